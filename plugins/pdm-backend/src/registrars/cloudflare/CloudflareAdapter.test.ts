/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { InputError } from '@backstage/errors';
import { expectRegistrarError } from '../expectRegistrarError';
import { CloudflareAdapter } from './CloudflareAdapter';
import { FakeCloudflareServer } from './fakeCloudflareServer';

const TOKEN = 'cf-token-Sup3rSecretValue_0123456789';
const OTHER_TOKEN = 'cf-token-OtherAccountSecret_987654';

describe('CloudflareAdapter against the fake Cloudflare API', () => {
  const server = new FakeCloudflareServer();
  let adapter: CloudflareAdapter;

  beforeAll(async () => {
    const baseUrl = await server.start();
    adapter = new CloudflareAdapter({ baseUrl, timeoutMs: 500 });
  });
  afterAll(() => server.stop());

  beforeEach(() => {
    server.requests.length = 0;
  });

  server.addToken(TOKEN, 'acct-a');
  server.addToken(OTHER_TOKEN, 'acct-b');
  server.addZone({ name: 'acme.com', account: 'acct-a' });
  server.addZone({
    name: 'not-registrar.com',
    account: 'acct-a',
    registeredWithCloudflare: false,
  });
  server.addZone({ name: 'foreign.com', account: 'acct-b' });

  it('declares its id, propagation hint and capabilities', () => {
    expect(adapter.name).toBe('cloudflare');
    expect(adapter.propagation).toBe('minutes; full TLD up to 24 h');
    expect(adapter.capabilities.nameserverUpdate).toBe('immediate');
  });

  it('validates a token that can see the zone, with a Bearer header and an exact-name lookup', async () => {
    await adapter.validateToken(TOKEN, '  Acme.COM ');
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /client/v4/user/tokens/verify',
      'GET /client/v4/zones',
    ]);
    expect(server.requests[1].query.get('name')).toBe('acme.com');
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('rejects an empty token without calling Cloudflare', async () => {
    await expectRegistrarError(
      adapter.validateToken('  ', 'acme.com'),
      'invalid-token',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('maps an unknown token to invalid-token without echoing it', async () => {
    const secret = 'cf-unknown-TokenValue_abcdef';
    await expectRegistrarError(
      adapter.validateToken(secret, 'acme.com'),
      'invalid-token',
      [secret],
    );
  });

  it('maps a malformed Authorization header (6003/6111) to invalid-token', async () => {
    const secret = 'has spaces in it';
    await expectRegistrarError(
      adapter.validateToken(secret, 'acme.com'),
      'invalid-token',
      [secret],
    );
  });

  it('reports a zone of another account as domain-not-in-account', async () => {
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'foreign.com'),
      'domain-not-in-account',
      [TOKEN],
    );
    await expectRegistrarError(
      adapter.getNameservers(OTHER_TOKEN, 'acme.com'),
      'domain-not-in-account',
      [OTHER_TOKEN],
    );
  });

  it('sets normalised nameservers, reads them back, and is idempotent', async () => {
    const wanted = [
      ' NS1.OpenOva.io. ',
      'ns2.openova.io',
      'ns1.openova.io',
      'ns3.openova.io',
    ];
    await adapter.setNameservers(TOKEN, 'acme.com', wanted);
    expect(server.nameServersOf('acme.com')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    const patch = server.requests.find(r => r.method === 'PATCH');
    expect(JSON.parse(patch!.body)).toEqual({
      name_servers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
    });
    await adapter.setNameservers(TOKEN, 'acme.com', wanted);
    expect(await adapter.getNameservers(TOKEN, 'acme.com')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
  });

  it('rejects an invalid nameserver list before calling Cloudflare', async () => {
    await expect(
      adapter.setNameservers(TOKEN, 'acme.com', []),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      adapter.setNameservers(TOKEN, 'acme.com', ['not a host']),
    ).rejects.toBeInstanceOf(InputError);
    expect(server.requests).toHaveLength(0);
  });

  it('maps a zone not registered with Cloudflare Registrar to domain-not-in-account on set', async () => {
    await expectRegistrarError(
      adapter.setNameservers(TOKEN, 'not-registrar.com', ['ns1.openova.io']),
      'domain-not-in-account',
      [TOKEN],
    );
  });

  it('retries once after a short Retry-After and then succeeds', async () => {
    server.failNext({ status: 429, retryAfter: '1' });
    const started = Date.now();
    await adapter.validateToken(TOKEN, 'acme.com');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests.map(r => r.path)).toEqual([
      '/client/v4/user/tokens/verify',
      '/client/v4/user/tokens/verify',
      '/client/v4/zones',
    ]);
  });

  it('surfaces a long Retry-After as rate-limited with retryAfterSeconds, without waiting', async () => {
    server.failNext({ status: 429, retryAfter: '120' });
    const error = await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.com'),
      'rate-limited',
      [TOKEN],
    );
    expect(error.retryAfterSeconds).toBe(120);
    expect(server.requests).toHaveLength(1);
  });

  it('surfaces a second 429 after the one retry', async () => {
    server.failNext(
      { status: 429, retryAfter: '0' },
      { status: 429, retryAfter: '0' },
    );
    const error = await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.com'),
      'rate-limited',
    );
    expect(error.retryAfterSeconds).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('maps 5xx, a dropped connection and a timeout to api-unavailable', async () => {
    server.failNext({ status: 503 });
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.com'),
      'api-unavailable',
      [TOKEN],
    );
    server.failNext({ dropConnection: true });
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.com'),
      'api-unavailable',
      [TOKEN],
    );
    server.failNext({ delayMs: 1500 });
    const timeout = await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.com'),
      'api-unavailable',
      [TOKEN],
    );
    expect(timeout.message).toMatch(/did not answer/);
  });

  it('treats a non-200 success status as a failure', async () => {
    const fetchImpl: typeof fetch = async () =>
      new Response(JSON.stringify({ success: true, errors: [], result: {} }), {
        status: 202,
      });
    const strict = new CloudflareAdapter({
      baseUrl: server.baseUrl,
      fetch: fetchImpl,
    });
    await expectRegistrarError(
      strict.validateToken(TOKEN, 'acme.com'),
      'registrar-error',
      [TOKEN],
    );
  });
});
