import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';
import http from 'node:http';
import request from 'supertest';
import { HetznerCredentialValidator } from './HetznerCredentialValidator';
import { catalystPlugin } from '../plugin';

const GOOD_TOKEN = 'G'.repeat(64);
const FORBIDDEN_TOKEN = 'F'.repeat(64);
const BROKEN_TOKEN = 'B'.repeat(64);
const SLOW_TOKEN = 'S'.repeat(64);

/** A local stand-in for api.hetzner.cloud that enforces Bearer auth and answers in Hetzner's error shape. */
async function startFakeHetzner() {
  const app = express();
  const seen: string[] = [];
  app.get('/v1/servers', (req, res) => {
    const auth = req.header('authorization') ?? '';
    seen.push(auth);
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (token === GOOD_TOKEN) {
      res.json({
        servers: [],
        meta: { pagination: { page: 1, total_entries: 0 } },
      });
    } else if (token === FORBIDDEN_TOKEN) {
      res.status(403).json({
        error: {
          code: 'forbidden',
          message: 'insufficient permissions for this project',
        },
      });
    } else if (token === BROKEN_TOKEN) {
      res
        .status(500)
        .json({ error: { code: 'server_error', message: 'internal' } });
    } else if (token === SLOW_TOKEN) {
      setTimeout(() => res.json({ servers: [] }), 3_000);
    } else {
      res.status(401).json({
        error: { code: 'unauthorized', message: 'unable to authenticate' },
      });
    }
  });
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('POST /v1/credentials/validate', () => {
  let hetzner: Awaited<ReturnType<typeof startFakeHetzner>>;
  let server: http.Server;
  const logs: string[] = [];

  beforeAll(async () => {
    hetzner = await startFakeHetzner();
    const logger = mockServices.rootLogger.mock();
    const capture = (msg: string) => {
      logs.push(msg);
    };
    const child = {
      info: capture,
      warn: capture,
      error: capture,
      debug: capture,
      child: () => child,
    };
    logger.child.mockReturnValue(child as never);
    ({ server } = await startTestBackend({
      features: [
        catalystPlugin,
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            catalyst: {
              providers: {
                hetzner: {
                  apiBaseUrl: hetzner.url,
                  credentialCheckTimeoutMs: 1_000,
                },
              },
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    await hetzner.close();
  });

  const validate = (body: object) =>
    request(server).post('/api/catalyst/v1/credentials/validate').send(body);

  it('accepts a token Hetzner accepts, sending it as a Bearer token', async () => {
    const res = await validate({
      provider: 'hetzner',
      token: ` ${GOOD_TOKEN} `,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true });
    expect(hetzner.seen.at(-1)).toBe(`Bearer ${GOOD_TOKEN}`);
  });

  it("reports a token Hetzner refuses with 401 or 403 as rejected, with Hetzner's message", async () => {
    const unauthorized = await validate({
      provider: 'hetzner',
      token: 'U'.repeat(64),
    });
    expect(unauthorized.status).toBe(200);
    expect(unauthorized.body).toEqual({
      valid: false,
      reason: 'rejected',
      detail: 'unauthorized: unable to authenticate',
    });
    const forbidden = await validate({
      provider: 'hetzner',
      token: FORBIDDEN_TOKEN,
    });
    expect(forbidden.body).toMatchObject({
      valid: false,
      reason: 'rejected',
      detail: 'forbidden: insufficient permissions for this project',
    });
  });

  it('answers 503 unreachable for Hetzner errors, timeouts and a dead host', async () => {
    const broken = await validate({ provider: 'hetzner', token: BROKEN_TOKEN });
    expect(broken.status).toBe(503);
    expect(broken.body).toMatchObject({ valid: false, reason: 'unreachable' });

    const slow = await validate({ provider: 'hetzner', token: SLOW_TOKEN });
    expect(slow.status).toBe(503);
    expect(slow.body).toMatchObject({
      valid: false,
      reason: 'unreachable',
      detail: 'The Hetzner API did not answer within 1 s',
    });
  });

  it('refuses short tokens without calling Hetzner, and unsupported providers', async () => {
    const calls = hetzner.seen.length;
    const short = await validate({ provider: 'hetzner', token: 'abc' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ valid: false, reason: 'too-short' });
    expect(hetzner.seen.length).toBe(calls);

    const aws = await validate({ provider: 'aws', token: 'A'.repeat(64) });
    expect(aws.status).toBe(400);
    expect(aws.body).toMatchObject({
      valid: false,
      reason: 'unsupported-provider',
    });

    const missing = await validate({ provider: 'hetzner' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('token');
  });

  it('never echoes or logs a token', async () => {
    const responses = await Promise.all(
      [GOOD_TOKEN, FORBIDDEN_TOKEN, BROKEN_TOKEN].map(token =>
        validate({ provider: 'hetzner', token }),
      ),
    );
    for (const token of [GOOD_TOKEN, FORBIDDEN_TOKEN, BROKEN_TOKEN]) {
      for (const res of responses) {
        expect(JSON.stringify(res.body)).not.toContain(token);
      }
      expect(logs.join('\n')).not.toContain(token);
    }
  });
});

describe('HetznerCredentialValidator against a dead host', () => {
  it('answers unreachable when nothing listens', async () => {
    const probe = http.createServer();
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>(r => probe.close(() => r()));
    const validator = new HetznerCredentialValidator({
      apiBaseUrl: `http://127.0.0.1:${port}/v1`,
    });
    expect(await validator.validate(GOOD_TOKEN)).toEqual({
      valid: false,
      reason: 'unreachable',
      detail: 'The Hetzner API could not be reached',
    });
  });
});
