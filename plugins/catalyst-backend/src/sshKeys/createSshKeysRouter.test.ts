import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import sshpk from 'sshpk';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { catalystPlugin } from '../plugin';

function rsaPublicLine(bits: number) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return sshpk
    .parseKey(publicKey.export({ type: 'spki', format: 'pem' }), 'pem')
    .toString('ssh');
}

describe('SSH key routes', () => {
  const logged: string[] = [];

  async function start() {
    const logger = mockServices.rootLogger.mock();
    const child = {
      info: (m: string) => logged.push(m),
      warn: (m: string) => logged.push(m),
      error: (m: string) => logged.push(m),
      debug: (m: string) => logged.push(m),
      child: () => child,
    };
    logger.child.mockReturnValue(child as never);
    const { server } = await startTestBackend({
      features: [catalystPlugin, logger.factory],
    });
    return server;
  }

  it('generates an Ed25519 key pair whose halves match, logging only the fingerprint', async () => {
    const server = await start();
    const res = await request(server)
      .post('/api/catalyst/v1/sshkey/generate')
      .send({ fqdn: 'Omantel.omani.works' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { publicKey, privateKey, fingerprint } = res.body;

    expect(publicKey).toMatch(
      /^ssh-ed25519 [A-Za-z0-9+/=]+ catalyst@omantel\.omani\.works$/,
    );
    expect(privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const parsedPrivate = sshpk.parsePrivateKey(privateKey, 'openssh');
    expect(parsedPrivate.type).toBe('ed25519');
    // Unencrypted: the OpenSSH container names cipher "none" and kdf "none".
    const body = Buffer.from(
      privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''),
      'base64',
    ).toString('latin1');
    expect(body).toContain('openssh-key-v1');
    expect(body.slice(15, 40)).toContain('none');
    expect(parsedPrivate.toPublic().fingerprint('sha256').toString()).toBe(
      fingerprint,
    );
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const all = logged.join('\n');
    expect(all).toContain(fingerprint);
    expect(all).not.toContain(privateKey.split('\n')[1]);
    expect(all).not.toContain(publicKey.split(' ')[1]);

    const second = await request(server)
      .post('/api/catalyst/v1/sshkey/generate')
      .send({});
    expect(second.body.publicKey).toMatch(/ catalyst$/);
    expect(second.body.fingerprint).not.toBe(fingerprint);

    const badFqdn = await request(server)
      .post('/api/catalyst/v1/sshkey/generate')
      .send({ fqdn: 'not a domain' });
    expect(badFqdn.status).toBe(400);
    expect(badFqdn.body.error.message).toContain('fqdn');
  });

  it('checks pasted public keys by type and size', async () => {
    const server = await start();
    const check = async (publicKey: string) =>
      (
        await request(server)
          .post('/api/catalyst/v1/sshkey/check')
          .send({ publicKey })
      ).body;

    const generated = sshpk.generatePrivateKey('ed25519').toPublic();
    expect(await check(`${generated.toString('ssh')} me@laptop\n`)).toEqual({
      valid: true,
      type: 'ed25519',
      bits: 256,
      fingerprint: generated.fingerprint('sha256').toString(),
    });

    expect(await check(rsaPublicLine(2048))).toMatchObject({
      valid: true,
      type: 'rsa',
      bits: 2048,
    });
    expect(await check(rsaPublicLine(1024))).toMatchObject({
      valid: false,
      type: 'rsa',
      bits: 1024,
      message: 'RSA keys need at least 2048 bits; this one has 1024',
    });

    for (const [curve, bits] of [
      ['nistp256', 256],
      ['nistp384', 384],
      ['nistp521', 521],
    ] as const) {
      const key = sshpk.generatePrivateKey('ecdsa', { curve }).toPublic();
      expect(await check(key.toString('ssh'))).toMatchObject({
        valid: true,
        type: 'ecdsa',
        bits,
      });
    }

    expect(await check('ssh-ed25519 AAAAnotbase64key')).toMatchObject({
      valid: false,
      type: null,
      message: expect.stringContaining('Not a valid OpenSSH public key'),
    });
    expect(
      await check(sshpk.generatePrivateKey('ed25519').toString('openssh')),
    ).toMatchObject({
      valid: false,
      message: expect.stringContaining('private key'),
    });
    expect(await check('')).toMatchObject({
      valid: false,
      message: 'The public key is empty',
    });

    const missing = await request(server)
      .post('/api/catalyst/v1/sshkey/check')
      .send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('publicKey');
  });
});
