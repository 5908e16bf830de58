import { mockServices } from '@backstage/backend-test-utils';
import { LocalApiServer } from '../__testUtils__/LocalApiServer';
import { SovereignRegistryClient } from './SovereignRegistryClient';

const record = {
  fqdn: 'omantel.omani.works',
  organization: 'Omantel',
  owner: 'group:default/platform',
  adminEmail: 'ops@omantel.om',
  topology: {
    template: 'solo',
    airgap: false,
    haEnabled: false,
    regions: [
      {
        provider: 'hetzner' as const,
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx32',
        workerSize: '',
        workerCount: 0,
      },
    ],
  },
  domain: {
    mode: 'pool' as const,
    poolDomain: 'omani.works',
    subdomain: 'omantel',
  },
  phase: 'provisioning' as const,
};

describe('SovereignRegistryClient (against a local HTTP server)', () => {
  let server: LocalApiServer;
  let client: SovereignRegistryClient;

  beforeEach(async () => {
    server = new LocalApiServer(() => ({ status: 500 }));
    await server.start();
    client = new SovereignRegistryClient({
      discovery: server.discovery,
      auth: mockServices.auth(),
    });
  });
  afterEach(() => server.stop());

  it('upserts under the entity name with a service token for catalyst', async () => {
    server.setHandler(r => ({
      status: 201,
      body: { name: 'omantel-omani-works', ...r.body },
    }));
    const stored = await client.upsert(record);
    expect(stored.name).toBe('omantel-omani-works');
    const [request] = server.requests;
    expect(request.method).toBe('PUT');
    expect(request.pluginId).toBe('catalyst');
    expect(request.path).toBe('/v1/sovereigns/omantel-omani-works');
    expect(request.authorization).toMatch(/"target":"catalyst"/);
    expect(request.body).toMatchObject({
      ...record,
      components: [],
      blueprints: [],
    });
  });

  it('refuses a record with a secret-bearing field before sending it', async () => {
    await expect(
      client.upsert({ ...record, hcloudToken: 'secret' } as any),
    ).rejects.toThrow(/Sovereign record is invalid: .*hcloudToken/);
    expect(server.requests).toHaveLength(0);
  });

  it('posts phase changes and events, and reads a record (404 → undefined)', async () => {
    server.setHandler(r => {
      if (r.path.endsWith('/phase'))
        return {
          status: 200,
          body: { record: { ...record, phase: r.body.phase }, event: {} },
        };
      if (r.path.endsWith('/events')) return { status: 201, body: {} };
      return {
        status: 404,
        body: {
          error: { name: 'NotFoundError', message: 'not in the registry' },
        },
      };
    });
    const updated = await client.setPhase('omantel-omani-works', {
      phase: 'dns-pending',
      reason: 'awaiting-delegation',
      message: 'Waiting for the NS delegation',
    });
    expect(updated.phase).toBe('dns-pending');
    await client.addEvent('omantel-omani-works', {
      level: 'warn',
      message: 'x'.repeat(5000),
      phase: 'blueprints',
    });
    await expect(client.get('missing')).resolves.toBeUndefined();
    expect(server.requests[1].body.message).toHaveLength(4000);
    expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/sovereigns/omantel-omani-works/phase',
      'POST /v1/sovereigns/omantel-omani-works/events',
      'GET /v1/sovereigns/missing',
    ]);
  });

  it('replaces the DNS records of a stored record and keeps the rest, its phase and its task', async () => {
    const stored = {
      ...record,
      name: 'omantel-omani-works',
      phase: 'decommissioning',
      phaseReason: 'requested',
      taskId: 'task-7',
      components: [],
      blueprints: [],
      notInstallable: [],
      dnsRecords: [
        {
          name: 'omantel.omani.works',
          type: 'A',
          ttl: 300,
          content: '203.0.113.10',
        },
      ],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      phaseChangedAt: '2026-01-02T00:00:00.000Z',
    };
    server.setHandler(r =>
      r.method === 'GET'
        ? { status: 200, body: stored }
        : { status: 200, body: { ...stored, ...r.body } },
    );
    const updated = await client.setDnsRecords('omantel-omani-works', []);
    expect(updated?.dnsRecords).toEqual([]);
    const put = server.requests.find(r => r.method === 'PUT')!;
    expect(put.path).toBe('/v1/sovereigns/omantel-omani-works');
    const {
      name,
      createdAt,
      updatedAt,
      phaseChangedAt,
      phase,
      phaseReason,
      ...kept
    } = stored;
    expect(put.body).toEqual({ ...kept, dnsRecords: [] });

    // Unchanged records: read only.
    server.requests.length = 0;
    await client.setDnsRecords('omantel-omani-works', stored.dnsRecords);
    expect(server.requests.map(r => r.method)).toEqual(['GET']);

    server.setHandler(() => ({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'no such Sovereign' } },
    }));
    await expect(client.setDnsRecords('ghost', [])).resolves.toBeUndefined();
  });

  it('maps Backstage error bodies to typed errors', async () => {
    server.setHandler(() => ({
      status: 403,
      body: {
        error: {
          name: 'NotAllowedError',
          message: 'missing catalyst.sovereign.manage',
        },
        request: {
          method: 'POST',
          url: '/api/catalyst/v1/sovereigns/omantel-omani-works/phase',
        },
        response: { statusCode: 403 },
      },
    }));
    await expect(
      client.setPhase('omantel-omani-works', {
        phase: 'ready',
        message: 'done',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'Sovereign registry POST /v1/sovereigns/omantel-omani-works/phase answered 403 NotAllowedError: missing catalyst.sovereign.manage',
    });
  });
});
