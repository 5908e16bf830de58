/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { InputError } from '@backstage/errors';
import { expectRegistrarError } from '../expectRegistrarError';
import { DynadotAdapter } from './DynadotAdapter';
import { FakeDynadotServer } from './fakeDynadotServer';

const KEY = 'dynKey_0123456789ABCDEF';
const SECRET = 'dynSecret_fedcba9876543210';
const TOKEN = `${KEY}:${SECRET}`;

describe('DynadotAdapter against the fake Dynadot API', () => {
  const server = new FakeDynadotServer();
  let adapter: DynadotAdapter;

  server.addApiKey(KEY, SECRET, 'acct-1');
  server.addApiKey('otherKey', 'otherSecret', 'acct-2');
  server.addDomain('acme.io', 'acct-1');
  server.addDomain('foreign.io', 'acct-2');

  beforeAll(async () => {
    adapter = new DynadotAdapter({
      baseUrl: await server.start(),
      timeoutMs: 2000,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('validates with domain_info, sending key, secret and command as GET query parameters', async () => {
    await adapter.validateToken(TOKEN, ' Acme.IO ');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('GET');
    expect(request.query.get('key')).toBe(KEY);
    expect(request.query.get('secret')).toBe(SECRET);
    expect(request.query.get('command')).toBe('domain_info');
    expect(request.query.get('domain')).toBe('acme.io');
  });

  it('maps "invalid key" to invalid-token and never quotes the credentials or URL', async () => {
    const wrong = `${KEY}:wrongDynSecret_31337`;
    const error = await expectRegistrarError(
      adapter.validateToken(wrong, 'acme.io'),
      'invalid-token',
      ['wrongDynSecret_31337', KEY, 'secret=', 'api3.json'],
    );
    expect(error.message).toBe('Dynadot rejected the API key or secret');
  });

  it('rejects a badly shaped token without a call', async () => {
    await expectRegistrarError(
      adapter.validateToken('justakey', 'acme.io'),
      'invalid-token',
      ['justakey'],
    );
    expect(server.requests).toHaveLength(0);
  });

  it('maps a domain of another account to domain-not-in-account', async () => {
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'foreign.io'),
      'domain-not-in-account',
      [SECRET],
    );
    await expectRegistrarError(
      adapter.setNameservers(TOKEN, 'foreign.io', ['ns1.openova.io']),
      'domain-not-in-account',
      [SECRET],
    );
  });

  it('sets nameservers as ns0..nN, reads back only the used slots, and is idempotent', async () => {
    await adapter.setNameservers(TOKEN, 'acme.io', [
      'NS1.OPENOVA.IO',
      'ns2.openova.io.',
      'ns3.openova.io',
      'ns1.openova.io',
    ]);
    const [set] = server.requests;
    expect(set.query.get('command')).toBe('set_ns');
    expect([
      set.query.get('ns0'),
      set.query.get('ns1'),
      set.query.get('ns2'),
      set.query.get('ns3'),
    ]).toEqual(['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io', null]);
    await adapter.setNameservers(TOKEN, 'acme.io', [
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    expect(server.nameServersOf('acme.io')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
    expect(await adapter.getNameservers(TOKEN, 'acme.io')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
      'ns3.openova.io',
    ]);
  });

  it('refuses more than 13 nameservers before calling Dynadot', async () => {
    const many = Array.from({ length: 14 }, (_, i) => `ns${i}.openova.io`);
    await expect(
      adapter.setNameservers(TOKEN, 'acme.io', many),
    ).rejects.toBeInstanceOf(InputError);
    expect(server.requests).toHaveLength(0);
  });

  it('maps in-band throttling, HTTP 429 and 5xx', async () => {
    server.throttledCalls = 1;
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.io'),
      'rate-limited',
      [SECRET],
    );
    server.failNext({ status: 429, retryAfter: '90' });
    const error = await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.io'),
      'rate-limited',
      [SECRET],
    );
    expect(error.retryAfterSeconds).toBe(90);
    server.failNext({ status: 503 });
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.io'),
      'api-unavailable',
      [SECRET, KEY],
    );
  });

  it('accepts ResponseCode "0" as success even when Status is absent', async () => {
    const fetchImpl: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          DomainInfoResponse: {
            ResponseHeader: { ResponseCode: '0' },
            DomainInfo: {
              Name: 'acme.io',
              NameServerSettings: {
                NameServers: [{ ServerName: 'NS9.Example.net' }],
              },
            },
          },
        }),
        { status: 200 },
      );
    const stub = new DynadotAdapter({
      baseUrl: server.baseUrl,
      fetch: fetchImpl,
    });
    expect(await stub.getNameservers(TOKEN, 'acme.io')).toEqual([
      'ns9.example.net',
    ]);
  });
});
