import { SSH_KEY_FIXTURES as K } from './__fixtures__/sshKeys';
import { checkSshPublicKey } from './sshPublicKey';
import { sha256 } from './sha256';

const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
const sshString = (bytes: number[]) => [
  (bytes.length >>> 24) & 0xff,
  (bytes.length >>> 16) & 0xff,
  (bytes.length >>> 8) & 0xff,
  bytes.length & 0xff,
  ...bytes,
];
const text = (s: string) => [...s].map(c => c.charCodeAt(0));

describe('checkSshPublicKey', () => {
  it.each([
    ['ed25519', 'ssh-ed25519'],
    ['rsa', 'ssh-rsa'],
    ['rsa4096', 'ssh-rsa'],
    ['p256', 'ecdsa-sha2-nistp256'],
    ['p384', 'ecdsa-sha2-nistp384'],
    ['p521', 'ecdsa-sha2-nistp521'],
  ] as const)(
    'accepts an OpenSSH %s key with the size and fingerprint ssh-keygen reports',
    (name, type) => {
      const fixture = K[name];
      expect(checkSshPublicKey(fixture.line)).toEqual({
        ok: true,
        type,
        bits: fixture.bits,
        fingerprint: fixture.fingerprint,
      });
    },
  );

  it('accepts a key without a comment and with surrounding whitespace', () => {
    const [type, data] = K.ed25519.line.split(' ');
    expect(checkSshPublicKey(`  ${type}   ${data}\n`)).toMatchObject({
      ok: true,
      type: 'ssh-ed25519',
    });
  });

  it('rejects an RSA key below 2048 bits, naming the size', () => {
    expect(checkSshPublicKey(K.rsa1024.line)).toEqual({
      ok: false,
      message: 'RSA key is 1024 bits; at least 2048 are required',
    });
  });

  it('rejects a key whose text type does not match the key data', () => {
    const data = K.ed25519.line.split(' ')[1];
    expect(checkSshPublicKey(`ssh-rsa ${data}`)).toEqual({
      ok: false,
      message:
        'key type in the text (ssh-rsa) does not match the key data (ssh-ed25519)',
    });
  });

  it('rejects DSA keys', () => {
    expect(checkSshPublicKey(K.dsa.line)).toEqual({
      ok: false,
      message:
        'DSA keys are not accepted; use Ed25519, RSA (2048+ bits) or ECDSA',
    });
  });

  it('rejects unknown types, empty input, private keys and several lines', () => {
    expect(checkSshPublicKey('')).toEqual({
      ok: false,
      message: 'is required',
    });
    expect(checkSshPublicKey('ssh-foo AAAA')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^key type "ssh-foo" is not supported/),
    });
    expect(
      checkSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----'),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('private key'),
    });
    expect(checkSshPublicKey(`${K.ed25519.line}\n${K.rsa.line}`)).toEqual({
      ok: false,
      message: 'must be a single line (paste one public key)',
    });
    expect(checkSshPublicKey('ssh-ed25519')).toEqual({
      ok: false,
      message: 'has no key data after "ssh-ed25519"',
    });
  });

  it('rejects data that is not base64 or is truncated', () => {
    expect(checkSshPublicKey('ssh-ed25519 not*base64')).toEqual({
      ok: false,
      message: 'key data is not valid base64',
    });
    const data = K.ed25519.line.split(' ')[1];
    const truncated = b64(
      [...atob(data)].map(c => c.charCodeAt(0)).slice(0, 40),
    );
    expect(checkSshPublicKey(`ssh-ed25519 ${truncated}`)).toEqual({
      ok: false,
      message: 'Ed25519 key data is truncated',
    });
  });

  it('rejects an Ed25519 key of the wrong length and trailing bytes', () => {
    const short = b64([
      ...sshString(text('ssh-ed25519')),
      ...sshString(new Array(31).fill(7)),
    ]);
    expect(checkSshPublicKey(`ssh-ed25519 ${short}`)).toEqual({
      ok: false,
      message: 'Ed25519 key is 31 bytes; it must be 32',
    });
    const trailing = b64([
      ...sshString(text('ssh-ed25519')),
      ...sshString(new Array(32).fill(7)),
      0,
    ]);
    expect(checkSshPublicKey(`ssh-ed25519 ${trailing}`)).toMatchObject({
      ok: false,
    });
  });

  it('rejects an ECDSA key whose curve differs from its type', () => {
    const data = K.p384.line.split(' ')[1];
    const bytes = [...atob(data)].map(c => c.charCodeAt(0));
    // Re-label a nistp384 key as nistp256 in the outer type string only.
    const relabelled = b64([
      ...sshString(text('ecdsa-sha2-nistp256')),
      ...bytes.slice(4 + 'ecdsa-sha2-nistp384'.length),
    ]);
    expect(checkSshPublicKey(`ecdsa-sha2-nistp256 ${relabelled}`)).toEqual({
      ok: false,
      message:
        'ECDSA curve in the key data (nistp384) does not match the key type (ecdsa-sha2-nistp256)',
    });
  });
});

describe('sha256', () => {
  const hex = (bytes: Uint8Array) =>
    [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');

  it('matches the FIPS 180-2 test vectors', () => {
    expect(hex(sha256(new Uint8Array(text('abc'))))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(
      hex(
        sha256(
          new Uint8Array(
            text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
          ),
        ),
      ),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
});
