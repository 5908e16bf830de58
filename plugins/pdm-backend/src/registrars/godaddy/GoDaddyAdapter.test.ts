/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { expectRegistrarError } from '../expectRegistrarError';
import { GoDaddyAdapter } from './GoDaddyAdapter';
import { FakeGoDaddyServer } from './fakeGoDaddyServer';

const KEY = 'gdKey_ABCDEF123456';
const SECRET = 'gdSecret_Xy9:with-colon';
const TOKEN = `${KEY}:${SECRET}`;

describe('GoDaddyAdapter against the fake GoDaddy API', () => {
  const server = new FakeGoDaddyServer();
  let adapter: GoDaddyAdapter;

  server.addApiKey(KEY, SECRET, 'shopper-1');
  server.addApiKey('otherKey', 'otherSecret', 'shopper-2');
  server.addDomain({ domain: 'acme.com', shopper: 'shopper-1' });
  server.addDomain({
    domain: 'expired.com',
    shopper: 'shopper-1',
    status: 'EXPIRED',
  });
  server.addDomain({ domain: 'foreign.com', shopper: 'shopper-2' });
  // 2 300 more domains so the account spans three pages of 1000; the target sorts onto the last page.
  for (let i = 0; i < 2300; i++) {
    server.addDomain({
      domain: `bulk-${String(i).padStart(4, '0')}.com`,
      shopper: 'shopper-1',
    });
  }
  server.addDomain({ domain: 'zz-last-page.com', shopper: 'shopper-1' });

  beforeAll(async () => {
    adapter = new GoDaddyAdapter({
      baseUrl: await server.start(),
      timeoutMs: 2000,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('validates with the sso-key header, splitting the token on the first colon', async () => {
    await adapter.validateToken(TOKEN, 'ACME.com');
    expect(server.requests[0].headers.authorization).toBe(
      `sso-key ${KEY}:${SECRET}`,
    );
    expect(server.requests[0].query.get('statuses')).toBe('ACTIVE');
    expect(server.requests[0].query.get('limit')).toBe('1000');
  });

  it('pages through the account with marker until it finds the domain', async () => {
    await adapter.validateToken(TOKEN, 'zz-last-page.com');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0].query.get('marker')).toBeNull();
    expect(server.requests[1].query.get('marker')).toBe('bulk-0998.com');
    expect(server.requests[2].query.get('marker')).toBe('bulk-1998.com');
  });

  it('reports a domain outside the account (or not ACTIVE) after the last page', async () => {
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'foreign.com'),
      'domain-not-in-account',
      [SECRET],
    );
    expect(server.requests).toHaveLength(3);
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'expired.com'),
      'domain-not-in-account',
    );
  });

  it('rejects a badly shaped token without a call', async () => {
    await expectRegistrarError(
      adapter.validateToken('no-colon-here', 'acme.com'),
      'invalid-token',
      ['no-colon-here'],
    );
    await expectRegistrarError(
      adapter.validateToken(':secret', 'acme.com'),
      'invalid-token',
      [':secret'],
    );
    expect(server.requests).toHaveLength(0);
  });

  it('maps a wrong secret (401) to invalid-token without echoing it', async () => {
    const wrong = `${KEY}:wrongSecretValue_42`;
    await expectRegistrarError(
      adapter.validateToken(wrong, 'acme.com'),
      'invalid-token',
      ['wrongSecretValue_42'],
    );
  });

  it('sets, reads back and re-sets nameservers idempotently', async () => {
    await adapter.setNameservers(TOKEN, 'acme.com', [
      'NS2.openova.io',
      'ns1.openova.io.',
      'ns2.openova.io',
    ]);
    expect(server.nameServersOf('acme.com')).toEqual([
      'ns2.openova.io',
      'ns1.openova.io',
    ]);
    expect(JSON.parse(server.requests[0].body)).toEqual({
      nameServers: ['ns2.openova.io', 'ns1.openova.io'],
    });
    await adapter.setNameservers(TOKEN, 'acme.com', [
      'ns2.openova.io',
      'ns1.openova.io',
    ]);
    expect(await adapter.getNameservers(TOKEN, 'acme.com')).toEqual([
      'ns2.openova.io',
      'ns1.openova.io',
    ]);
  });

  it('maps 404 on set and get to domain-not-in-account', async () => {
    await expectRegistrarError(
      adapter.setNameservers(TOKEN, 'foreign.com', ['ns1.openova.io']),
      'domain-not-in-account',
      [SECRET],
    );
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'unknown.org'),
      'domain-not-in-account',
    );
  });

  it('reads the wait from the body when a 429 has no Retry-After header', async () => {
    server.failNext({ status: 429 });
    const error = await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.com'),
      'rate-limited',
      [SECRET],
    );
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('maps 5xx to api-unavailable', async () => {
    server.failNext({ status: 502 });
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.com'),
      'api-unavailable',
      [SECRET],
    );
  });
});
