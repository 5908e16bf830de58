/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRegistrarError"] }] */
import { expectRegistrarError } from '../expectRegistrarError';
import { NamecheapAdapter, splitDomain } from './NamecheapAdapter';
import { FakeNamecheapServer } from './fakeNamecheapServer';
import { parseNamecheapReply } from './namecheapXml';

const API_KEY = 'ncKey0123456789abcdef0123456789ab';
const TOKEN = `acmeops:${API_KEY}:acmeops:127.0.0.1`;
const SHORT_TOKEN = `acmeops:${API_KEY}:127.0.0.1`;

describe('NamecheapAdapter against the fake Namecheap API', () => {
  const server = new FakeNamecheapServer();
  let adapter: NamecheapAdapter;

  server.addUser({
    apiUser: 'acmeops',
    apiKey: API_KEY,
    allowedIps: ['127.0.0.1'],
  });
  server.addUser({
    apiUser: 'other',
    apiKey: 'otherKey',
    allowedIps: ['127.0.0.1'],
  });
  server.addDomain('acme.co.uk', 'acmeops');
  for (let i = 0; i < 230; i++) server.addDomain(`filler${i}.com`, 'acmeops');
  server.addDomain('late-page.net', 'acmeops');
  server.addDomain('foreign.com', 'other');

  beforeAll(async () => {
    adapter = new NamecheapAdapter({
      baseUrl: await server.start(),
      timeoutMs: 2000,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('splits a domain into SLD and TLD at the first label', () => {
    expect(splitDomain('acme.co.uk')).toEqual({ sld: 'acme', tld: 'co.uk' });
    expect(splitDomain('acme.com')).toEqual({ sld: 'acme', tld: 'com' });
  });

  it('validates with a balance probe, then pages the domain list 100 at a time', async () => {
    await adapter.validateToken(TOKEN, 'late-page.net');
    const commands = server.requests.map(r => r.query.get('Command'));
    expect(commands).toEqual([
      'namecheap.users.getBalances',
      'namecheap.domains.getList',
      'namecheap.domains.getList',
      'namecheap.domains.getList',
    ]);
    expect(
      server.requests
        .slice(1)
        .map(r => [r.query.get('Page'), r.query.get('PageSize')]),
    ).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100'],
    ]);
    for (const request of server.requests) {
      expect(request.method).toBe('GET');
      expect(request.headers.accept).toBe('application/xml');
      expect(request.query.get('ApiUser')).toBe('acmeops');
      expect(request.query.get('UserName')).toBe('acmeops');
      expect(request.query.get('ClientIp')).toBe('127.0.0.1');
    }
  });

  it('accepts the three-part token (userName = apiUser)', async () => {
    await adapter.validateToken(SHORT_TOKEN, 'ACME.co.uk');
    expect(server.requests[0].query.get('UserName')).toBe('acmeops');
  });

  it('stops paging at TotalItems and reports a foreign domain as not in the account', async () => {
    await expectRegistrarError(
      adapter.validateToken(TOKEN, 'foreign.com'),
      'domain-not-in-account',
      [API_KEY],
    );
    expect(server.requests).toHaveLength(1 + 3);
  });

  it('maps a wrong key (1011102) and a non-allow-listed client IP (1011150) to invalid-token', async () => {
    const wrongKey = 'acmeops:wrongKeyValue_777:127.0.0.1';
    await expectRegistrarError(
      adapter.validateToken(wrongKey, 'acme.co.uk'),
      'invalid-token',
      ['wrongKeyValue_777'],
    );
    const otherIp = `acmeops:${API_KEY}:203.0.113.9`;
    const error = await expectRegistrarError(
      adapter.validateToken(otherIp, 'acme.co.uk'),
      'invalid-token',
      [API_KEY],
    );
    expect(error.message).toMatch(/allow-listed/);
  });

  it('rejects malformed tokens without a call', async () => {
    for (const token of [
      'acmeops:key',
      'a:b:c:d:e',
      `acmeops:${API_KEY}:not-an-ip`,
      `acmeops::127.0.0.1`,
    ]) {
      await expectRegistrarError(
        adapter.validateToken(token, 'acme.co.uk'),
        'invalid-token',
        [token],
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('rejects names that have no SLD/TLD split', async () => {
    for (const domain of ['weird', '.invalid', 'trailing.']) {
      await expect(adapter.getNameservers(TOKEN, domain)).rejects.toThrow(
        /not a registrable domain/,
      );
    }
  });

  it('sets custom nameservers with SLD/TLD, reads them back, and is idempotent', async () => {
    expect(await adapter.getNameservers(TOKEN, 'acme.co.uk')).toEqual([
      'dns1.registrar-servers.com',
      'dns2.registrar-servers.com',
    ]);
    await adapter.setNameservers(TOKEN, 'acme.co.uk', [
      'NS1.openova.io',
      'ns2.openova.io ',
      'ns1.openova.io',
    ]);
    const set = server.requests.find(
      r => r.query.get('Command') === 'namecheap.domains.dns.setCustom',
    );
    expect(set?.query.get('SLD')).toBe('acme');
    expect(set?.query.get('TLD')).toBe('co.uk');
    expect(set?.query.get('Nameservers')).toBe('ns1.openova.io,ns2.openova.io');
    await adapter.setNameservers(TOKEN, 'acme.co.uk', [
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
    expect(server.nameserversOf('acme.co.uk')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
    expect(await adapter.getNameservers(SHORT_TOKEN, 'acme.co.uk')).toEqual([
      'ns1.openova.io',
      'ns2.openova.io',
    ]);
  });

  it('maps Domain not found (2019166) on set to domain-not-in-account', async () => {
    await expectRegistrarError(
      adapter.setNameservers(TOKEN, 'foreign.com', [
        'ns1.openova.io',
        'ns2.openova.io',
      ]),
      'domain-not-in-account',
      [API_KEY],
    );
  });

  it('maps in-band throttling and HTTP 429 to rate-limited', async () => {
    server.throttledCalls = 1;
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.co.uk'),
      'rate-limited',
      [API_KEY],
    );
    server.failNext({ status: 429, retryAfter: '60' });
    const error = await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.co.uk'),
      'rate-limited',
      [API_KEY],
    );
    expect(error.retryAfterSeconds).toBe(60);
  });

  it('maps 5xx and transport failures to api-unavailable without quoting the URL', async () => {
    server.failNext({ status: 503 });
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.co.uk'),
      'api-unavailable',
      [API_KEY, 'ApiKey'],
    );
    server.failNext({ dropConnection: true });
    await expectRegistrarError(
      adapter.getNameservers(TOKEN, 'acme.co.uk'),
      'api-unavailable',
      [API_KEY, 'ApiKey'],
    );
  });

  it('the fake rejects a missing or non-allow-listed ClientIp with the real error numbers', async () => {
    const base = `${server.baseUrl}?ApiUser=acmeops&ApiKey=${API_KEY}&UserName=acmeops&Command=namecheap.users.getBalances`;
    const missing = parseNamecheapReply(await (await fetch(base)).text());
    expect(missing?.status).toBe('ERROR');
    expect(missing?.errors.map(e => e.number)).toEqual(['1010105']);
    const blocked = parseNamecheapReply(
      await (await fetch(`${base}&ClientIp=198.51.100.7`)).text(),
    );
    expect(blocked?.errors.map(e => e.number)).toEqual(['1011150']);
    const allowed = parseNamecheapReply(
      await (await fetch(`${base}&ClientIp=127.0.0.1`)).text(),
    );
    expect(allowed?.status).toBe('OK');
  });
});
