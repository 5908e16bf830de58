import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  describeWithPowerDns,
  digShort,
  normalizeDs,
  sharedPowerDns,
  uniquePoolDomain,
} from '../__testUtils__/testEnvironment';
import { PowerDnsClient, PowerDnsError, canonicalName } from './PowerDnsClient';

jest.setTimeout(60_000);

describe('canonicalName', () => {
  it('lower-cases, trims and adds the trailing dot once', () => {
    expect(canonicalName(' Acme.Omani.Works ')).toBe('acme.omani.works.');
    expect(canonicalName('acme.omani.works.')).toBe('acme.omani.works.');
  });
});

describe('PowerDnsClient against a scripted HTTP server', () => {
  let server: Server;
  let url: string;
  const seen: { method?: string; url?: string; headers: any }[] = [];
  let answers: Array<[number, string]> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      const [status, body] = answers.shift() ?? [500, '{"error":"boom"}'];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));
  beforeEach(() => {
    seen.length = 0;
  });

  const client = () =>
    new PowerDnsClient({
      baseUrl: `${url}/`,
      apiKey: 'secret-key-123',
      authorization: 'Basic abc',
      retryDelaysMs: [0, 10, 20],
    });

  it('retries 5xx up to three attempts, then reports PowerDNS own error text', async () => {
    answers = [
      [503, '{"error":"busy"}'],
      [502, 'bad gateway'],
      [500, '{"error":"Backend error: database locked"}'],
    ];
    const error = await client()
      .deleteZone('Acme.Example')
      .catch(e => e);
    expect(error).toBeInstanceOf(PowerDnsError);
    expect(error.message).toBe(
      'powerdns delete-zone: status 500: Backend error: database locked',
    );
    expect(seen).toHaveLength(3);
    expect(seen[0].url).toBe('/api/v1/servers/localhost/zones/acme.example.');
    expect(seen[0].headers['x-api-key']).toBe('secret-key-123');
    expect(seen[0].headers.authorization).toBe('Basic abc');
    expect(seen[0].headers.accept).toBe('application/json');
    expect(seen.every(s => !s.url?.includes('secret-key-123'))).toBe(true);
    expect(error.message).not.toContain('secret-key-123');
  });

  it('does not retry a 4xx and keeps the body text (truncated) when it is not JSON', async () => {
    answers = [[422, 'x'.repeat(400)]];
    const error = await client()
      .patchRRSets('a.example', [
        {
          name: 'a.example',
          type: 'A',
          changetype: 'REPLACE',
          records: ['1.2.3.4'],
        },
      ])
      .catch(e => e);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      `powerdns patch-rrsets: status 422: ${'x'.repeat(256)}`,
    );
  });

  it('reports a transport error without the URL or key', async () => {
    const dead = new PowerDnsClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'secret-key-123',
      retryDelaysMs: [0, 1, 1],
    });
    const error = await dead.zoneExists('a.example').catch(e => e);
    expect(error).toBeInstanceOf(PowerDnsError);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/^powerdns get-zone: transport error/);
    expect(error.message).not.toContain('secret-key-123');
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('gives up on a server that stops answering, headers or body, within the per-attempt budget', async () => {
    const stalled: Array<() => void> = [];
    const slow = createServer((req, res) => {
      if (req.url?.includes('half')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"metadata": [');
      }
      stalled.push(() => res.destroy());
    });
    await new Promise<void>(r => slow.listen(0, '127.0.0.1', r));
    const port = (slow.address() as AddressInfo).port;
    try {
      const stalledClient = new PowerDnsClient({
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey: 'secret-key-123',
        timeoutMs: 100,
        retryDelaysMs: [0, 1],
      });
      const started = Date.now();
      const noHeaders = await stalledClient
        .zoneExists('a.example')
        .catch(e => e);
      expect(noHeaders).toBeInstanceOf(PowerDnsError);
      expect(noHeaders.message).toBe(
        'powerdns get-zone: no answer within 100 ms',
      );
      const noBody = await stalledClient
        .getZoneMetadata('half.example', 'TSIG-ALLOW-DNSUPDATE')
        .catch(e => e);
      expect(noBody).toBeInstanceOf(PowerDnsError);
      expect(noBody.message).toBe(
        'powerdns get-metadata: no answer within 100 ms',
      );
      // Two attempts each, nothing waiting longer than its budget.
      expect(stalled).toHaveLength(4);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stalled.forEach(close => close());
      await new Promise(r => slow.close(r));
    }
  });

  it('reuses its connection when the server keeps it open', async () => {
    const sockets = new Set<unknown>();
    const keepAlive = createServer((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>(r => keepAlive.listen(0, '127.0.0.1', r));
    try {
      const reusing = new PowerDnsClient({
        baseUrl: `http://127.0.0.1:${
          (keepAlive.address() as AddressInfo).port
        }`,
        apiKey: 'secret-key-123',
      });
      for (let i = 0; i < 5; i++) {
        expect(await reusing.dsRecords('a.example')).toEqual([]);
      }
      expect(sockets.size).toBe(1);
    } finally {
      keepAlive.closeAllConnections();
      await new Promise(r => keepAlive.close(r));
    }
  });

  it('treats an empty PATCH as a no-op and refuses an empty delegation', async () => {
    await client().patchRRSets('a.example', []);
    expect(seen).toHaveLength(0);
    await expect(
      client().addNSDelegation('example', 'a.example', []),
    ).rejects.toThrow('the nameserver list is empty');
  });
});

describeWithPowerDns(
  'PowerDnsClient against a real PowerDNS (integration)',
  () => {
    const env = sharedPowerDns()!;
    const pool = uniquePoolDomain();
    const child = `acme.${pool}`;
    const ns = ['ns1.openova.io', 'ns2.openova.io'];
    const client = new PowerDnsClient({ baseUrl: env.url, apiKey: env.apiKey });

    afterAll(async () => {
      await client.deleteZone(child);
      await client.deleteZone(pool);
    });

    it('creates zones idempotently and reports them', async () => {
      expect(await client.zoneExists(pool)).toBe(false);
      expect(await client.createZone(pool.toUpperCase(), ns)).toBe('created');
      expect(await client.createZone(pool, ns)).toBe('exists');
      expect(await client.zoneExists(pool)).toBe(true);
      expect(await digShort(env.dnsPort, pool, 'NS')).toEqual([
        'ns1.openova.io.',
        'ns2.openova.io.',
      ]);
    });

    it('creates a zone signed and rectified in one call, answering its DS like enableDnssec', async () => {
      const signed = `signed.${pool}`;
      try {
        expect(await client.createSignedZone(signed, ns)).toBe('created');
        expect(await client.createSignedZone(signed, ns)).toBe('exists');
        const ds = await client.dsRecords(signed);
        expect(ds.length).toBeGreaterThan(0);
        expect(ds.every(d => / 13 2 [0-9a-f]{64}$/.test(d))).toBe(true);
        // Already signed: enableDnssec keeps the key and answers the same DS.
        expect(await client.enableDnssec(signed)).toEqual(ds);
        const zone = await fetch(
          `${env.url}/api/v1/servers/localhost/zones/${signed}.`,
          { headers: { 'X-API-Key': env.apiKey } },
        ).then(r => r.json());
        expect(zone).toMatchObject({ dnssec: true, api_rectify: true });
        expect(
          (await digShort(env.dnsPort, signed, 'DNSKEY')).length,
        ).toBeGreaterThan(0);
      } finally {
        await client.deleteZone(signed);
      }
      expect(await client.dsRecords(signed)).toEqual([]);
    });

    it('signs a zone, publishes its DS in the parent and removes the delegation', async () => {
      await client.createZone(child, ns);
      const ds = await client.enableDnssec(child);
      expect(ds.length).toBeGreaterThan(0);
      expect(ds.every(d => / 13 2 [0-9a-f]{64}$/.test(d))).toBe(true);
      // Enabling again keeps the same key.
      expect(await client.enableDnssec(child)).toEqual(ds);
      const keys = await client.listCryptokeys(child);
      expect(keys.filter(k => k.active)).toHaveLength(1);
      expect(keys[0].algorithm).toBe('ECDSAP256SHA256');

      await client.addNSDelegation(pool, child, ns);
      await client.setDsRecords(pool, child, ds);
      expect(
        (await digShort(env.dnsPort, child, 'DS')).map(normalizeDs),
      ).toEqual(ds.map(normalizeDs).sort());
      const dnskey = await digShort(env.dnsPort, child, 'DNSKEY');
      expect(dnskey.some(k => k.startsWith('257 3 13 '))).toBe(true);

      await client.removeNSDelegation(pool, child);
      await client.removeNSDelegation(pool, child);
      expect(await digShort(env.dnsPort, child, 'DS')).toEqual([]);
    });

    it('writes A records and deletes zones idempotently', async () => {
      await client.addARecord(child, `www.${child}`, '203.0.113.7');
      expect(await digShort(env.dnsPort, `www.${child}`, 'A')).toEqual([
        '203.0.113.7',
      ]);
      await client.deleteZone(child);
      await client.deleteZone(child);
      expect(await client.zoneExists(child)).toBe(false);
      expect(await client.listCryptokeys(child)).toEqual([]);
    });

    it('reports PowerDNS 4xx errors with its own message', async () => {
      const error = await client
        .patchRRSets(`nothere.${pool}`, [
          {
            name: `nothere.${pool}`,
            type: 'A',
            changetype: 'REPLACE',
            records: ['1.1.1.1'],
          },
        ])
        .catch(e => e);
      expect(error).toBeInstanceOf(PowerDnsError);
      expect(error.status).toBe(404);
      expect(error.message).toMatch(/^powerdns patch-rrsets: status 404: /);
    });
  },
);
