/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { createHash } from 'node:crypto';
import { expectRegistrarError } from '../expectRegistrarError';
import { OvhAdapter } from './OvhAdapter';
import { FakeOvhServer } from './fakeOvhServer';
import { signOvhRequest } from './ovhSignature';

const APP_KEY = 'ovhAppKey7a8b9c';
const APP_SECRET = 'ovhAppSecret_TopSecret_0011223344';
const CONSUMER_KEY = 'ovhConsumerKey_5566778899aabbcc';
const TOKEN = `${APP_KEY}:${APP_SECRET}:${CONSUMER_KEY}`;

describe('signOvhRequest', () => {
  it('matches the spec test vector shape and the documented formula', () => {
    const input = {
      appSecret: 'secret',
      consumerKey: 'consumer',
      method: 'get',
      url: 'https://eu.api.ovh.com/1.0/domain?x=1',
      body: '',
      timestamp: 1700000000,
    };
    const signature = signOvhRequest(input);
    expect(signature).toMatch(/^\$1\$[0-9a-f]{40}$/);
    const expected = createHash('sha1')
      .update(
        'secret+consumer+GET+https://eu.api.ovh.com/1.0/domain?x=1++1700000000',
      )
      .digest('hex');
    expect(signature).toBe(`$1$${expected}`);
    expect(signOvhRequest({ ...input, body: '{"a":1}' })).not.toBe(signature);
    expect(signOvhRequest({ ...input, timestamp: 1700000001 })).not.toBe(
      signature,
    );
  });
});

describe('OvhAdapter against the fake OVH API', () => {
  const server = new FakeOvhServer();
  let adapter: OvhAdapter;

  server.addCredential({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    consumerKey: CONSUMER_KEY,
    account: 'ab1234-ovh',
  });
  server.addCredential({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    consumerKey: 'pendingConsumerKey',
    account: 'ab1234-ovh',
    validated: false,
  });
  server.addDomain('acme.fr', 'ab1234-ovh');
  server.addDomain('foreign.fr', 'cd5678-ovh');

  beforeAll(async () => {
    adapter = new OvhAdapter({
      baseUrl: await server.start(),
      timeoutMs: 2000,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.clockSkewSeconds = 0;
  });

  it('declares that nameserver updates are queued', () => {
    expect(adapter.capabilities.nameserverUpdate).toBe('queued');
  });

  it('syncs with /auth/time and signs requests the server accepts, even with a skewed API clock', async () => {
    server.clockSkewSeconds = 3600;
    const skewed = new OvhAdapter({ baseUrl: server.baseUrl });
    await skewed.validateToken(TOKEN, 'ACME.fr');
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /1.0/auth/time',
      'GET /1.0/domain',
    ]);
    const signed = server.requests[1];
    expect(signed.headers['x-ovh-application']).toBe(APP_KEY);
    expect(signed.headers['x-ovh-consumer']).toBe(CONSUMER_KEY);
    expect(Number(signed.headers['x-ovh-timestamp'])).toBeGreaterThan(
      Date.now() / 1000 + 3500,
    );
    expect(signed.headers['x-ovh-signature']).toMatch(/^\$1\$[0-9a-f]{40}$/);
  });

  it('re-syncs once when the API reports the query out of time', async () => {
    await adapter.validateToken(TOKEN, 'acme.fr');
    server.requests.length = 0;
    server.clockSkewSeconds = -7200;
    await adapter.validateToken(TOKEN, 'acme.fr');
    expect(server.requests.map(r => r.path)).toEqual([
      '/1.0/domain',
      '/1.0/auth/time',
      '/1.0/domain',
    ]);
  });

  it('maps a wrong application secret (Invalid signature) to invalid-token without echoing it', async () => {
    const wrong = `${APP_KEY}:notTheSecret_999:${CONSUMER_KEY}`;
    await expectRegistrarError(
      adapter.validateToken(wrong, 'acme.fr'),
      'invalid-token',
      ['notTheSecret_999', CONSUMER_KEY],
    );
  });

  it('maps unknown keys and an unvalidated consumer key to invalid-token', async () => {
    await expectRegistrarError(
      adapter.validateToken(
        `unknownApp:${APP_SECRET}:${CONSUMER_KEY}`,
        'acme.fr',
      ),
      'invalid-token',
      [APP_SECRET],
    );
    await expectRegistrarError(
      adapter.validateToken(
        `${APP_KEY}:${APP_SECRET}:pendingConsumerKey`,
        'acme.fr',
      ),
      'invalid-token',
      [APP_SECRET, 'pendingConsumerKey'],
    );
  });

  it('rejects tokens that are not exactly three non-empty parts without a call', async () => {
    for (const token of ['a:b', 'a::c', 'a:b:c:d', '']) {
      await expectRegistrarError(
        adapter.validateToken(token, 'acme.fr'),
        'invalid-token',
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('reports a domain of another account as domain-not-in-account (list and 404)', async () => {
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'foreign.fr'),
      'domain-not-in-account',
      [APP_SECRET],
    );
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'foreign.fr'),
      'domain-not-in-account',
      [APP_SECRET],
    );
  });

  it('updates nameservers with a signed POST body, reads them back by id, and is idempotent', async () => {
    expect(await adapter.getNameservers(TOKEN, 'acme.fr')).toEqual([
      'dns10.ovh.net',
      'ns10.ovh.net',
    ]);
    server.requests.length = 0;
    await adapter.setNameservers(TOKEN, 'acme.fr', [
      'NS1.openova.io.',
      'ns2.openova.io',
      'ns1.openova.io',
    ]);
    const post = server.requests.find(r => r.method === 'POST');
    expect(post?.path).toBe('/1.0/domain/acme.fr/nameServers/update');
    expect(JSON.parse(post!.body)).toEqual({
      nameServers: [{ host: 'ns1.openova.io' }, { host: 'ns2.openova.io' }],
    });
    await adapter.setNameservers(TOKEN, 'acme.fr', [
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
    expect(server.nameServersOf('acme.fr')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
    expect(await adapter.getNameservers(TOKEN, 'acme.fr')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
  });

  it('maps 429 and 5xx', async () => {
    await adapter.validateToken(TOKEN, 'acme.fr');
    server.failNext({ status: 429, retryAfter: '3600' });
    const limited = await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.fr'),
      'rate-limited',
      [APP_SECRET],
    );
    expect(limited.retryAfterSeconds).toBe(3600);
    server.failNext({ status: 500 });
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'acme.fr'),
      'api-unavailable',
      [APP_SECRET],
    );
  });
});
