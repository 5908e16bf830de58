import { mockServices } from '@backstage/backend-test-utils';
import { PoolAllocationClient } from '../clients/PoolAllocationClient';
import { ScaffolderTaskClient } from '../clients/ScaffolderTaskClient';
import { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { LocalApiServer } from '../__testUtils__/LocalApiServer';
import { ProvisioningCompensation } from './ProvisioningCompensation';
import { ReservationKeeper, TaskStatus } from './ReservationKeeper';

describe('ReservationKeeper and ProvisioningCompensation', () => {
  let server: LocalApiServer;
  let keeper: ReservationKeeper;
  let clock: number;
  const taskStates = new Map<string, TaskStatus>();
  /** The Sovereign as the registry answers it (undefined: 404). */
  let registered: Record<string, unknown> | undefined;

  beforeEach(async () => {
    clock = 1_000_000;
    taskStates.clear();
    registered = undefined;
    server = new LocalApiServer(r => {
      if (r.pluginId === 'scaffolder') {
        const id = r.path.split('/').pop()!;
        const status = taskStates.get(id);
        return status
          ? { status: 200, body: { id, status } }
          : {
              status: 404,
              body: { error: { name: 'NotFoundError', message: 'no task' } },
            };
      }
      if (r.path.endsWith('/renew'))
        return { status: 200, body: { expiresAt: '2026-01-01T02:00:00Z' } };
      if (r.path.includes('/release'))
        return { status: 200, body: { freed: {} } };
      if (r.path.endsWith('/zone'))
        return { status: 404, body: { error: 'not-found' } };
      if (r.path.endsWith('/phase'))
        return { status: 200, body: { record: {}, event: {} } };
      if (r.pluginId === 'catalyst' && r.method === 'GET')
        return registered
          ? { status: 200, body: registered }
          : {
              status: 404,
              body: { error: { name: 'NotFoundError', message: 'unknown' } },
            };
      if (r.pluginId === 'catalyst' && r.method === 'PUT')
        return { status: 200, body: { ...registered, ...r.body } };
      return { status: 500 };
    });
    await server.start();
    const deps = { discovery: server.discovery, auth: mockServices.auth() };
    const pdm = new PoolAllocationClient(deps);
    const logger = mockServices.logger.mock();
    const tasks = new ScaffolderTaskClient(deps);
    keeper = new ReservationKeeper({
      pdm,
      compensation: new ProvisioningCompensation({
        pdm,
        registry: new SovereignRegistryClient(deps),
        logger,
      }),
      taskStatus: id => tasks.getStatus(id),
      logger,
      now: () => clock,
    });
  });
  afterEach(async () => {
    keeper.stop();
    await server.stop();
  });

  const pool = {
    taskId: 'task-1',
    entityName: 'omantel-omani-works',
    fqdn: 'omantel.omani.works',
    domain: {
      mode: 'pool' as const,
      poolDomain: 'omani.works',
      subdomain: 'omantel',
    },
    reservationToken: 'tok-1',
    ttlSeconds: 3600,
  };
  const calls = () =>
    server.requests
      .filter(r => r.pluginId !== 'scaffolder')
      .map(r => `${r.method} ${r.path}`);

  it('renews every ttl/3 while the task runs and stops after commit', async () => {
    taskStates.set('task-1', 'processing');
    keeper.track(pool);
    await keeper.tick();
    expect(calls()).toEqual([]);
    clock += 1200_000;
    await keeper.tick();
    expect(calls()).toEqual(['POST /v1/pool/omani.works/renew']);
    expect(server.requests.find(r => r.path.endsWith('/renew'))!.body).toEqual({
      subdomain: 'omantel',
      reservationToken: 'tok-1',
      ttlSeconds: 3600,
    });
    clock += 600_000;
    await keeper.tick();
    expect(calls()).toHaveLength(1);
    keeper.markCommitted('task-1');
    clock += 3600_000;
    await keeper.tick();
    expect(calls()).toHaveLength(1);
    expect(keeper.tracked('task-1')).toBeDefined();
  });

  it('releases the pool reservation and marks the Sovereign failed when the task fails', async () => {
    taskStates.set('task-1', 'processing');
    keeper.track(pool);
    taskStates.set('task-1', 'failed');
    await keeper.tick();
    expect(calls()).toEqual([
      'DELETE /v1/pool/omani.works/release?sub=omantel',
      'GET /v1/sovereigns/omantel-omani-works',
      'POST /v1/sovereigns/omantel-omani-works/phase',
      'GET /v1/sovereigns/omantel-omani-works',
    ]);
    // The compensation proves itself with its own reservation token, in the body.
    expect(
      server.requests.find(r => r.path.includes('/release'))!.body,
    ).toEqual({ subdomain: 'omantel', reservationToken: 'tok-1' });
    const phase = server.requests.find(r => r.path.endsWith('/phase'))!.body;
    expect(phase).toMatchObject({
      phase: 'failed',
      reason: 'provisioning-failed',
    });
    expect(phase.message).toContain('task task-1 failed');
    expect(keeper.tracked('task-1')).toBeUndefined();
  });

  it('deletes the BYO zone (404 = already gone) when the task is cancelled or vanished', async () => {
    keeper.track({
      ...pool,
      taskId: 'task-2',
      domain: { mode: 'byo-api', byoDomain: 'acme.com' },
      reservationToken: undefined,
    });
    taskStates.set('task-2', 'cancelled');
    await keeper.tick();
    expect(calls()).toEqual([
      'DELETE /v1/byo/acme.com/zone',
      'GET /v1/sovereigns/omantel-omani-works',
      'POST /v1/sovereigns/omantel-omani-works/phase',
      'GET /v1/sovereigns/omantel-omani-works',
    ]);
    // A BYO compensation names its own task: PDM deletes only a zone this task created.
    expect(
      server.requests.find(r => r.path.endsWith('/zone'))!.body,
    ).toMatchObject({ createdBy: 'catalyst/task-2', sovereignFQDN: pool.fqdn });
    keeper.track({ ...pool, taskId: 'task-gone' });
    await keeper.tick();
    expect(calls()).toContain(
      'DELETE /v1/pool/omani.works/release?sub=omantel',
    );
  });

  it('clears the recorded DNS records once the domain is released', async () => {
    registered = {
      name: 'omantel-omani-works',
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
            provider: 'hetzner',
            cloudRegion: 'fsn1',
            controlPlaneSize: 'cpx32',
            workerSize: '',
            workerCount: 0,
          },
        ],
      },
      domain: { mode: 'byo-manual', byoDomain: 'acme.com' },
      components: [],
      blueprints: [],
      notInstallable: [],
      dnsRecords: [
        { name: 'acme.com', type: 'A', ttl: 300, content: '203.0.113.10' },
      ],
      phase: 'dns-pending',
      taskId: 'task-3',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    keeper.track({
      ...pool,
      taskId: 'task-3',
      domain: { mode: 'byo-manual', byoDomain: 'acme.com' },
      reservationToken: undefined,
    });
    taskStates.set('task-3', 'failed');
    await keeper.tick();
    expect(calls()).toEqual([
      'DELETE /v1/byo/acme.com/zone',
      'GET /v1/sovereigns/omantel-omani-works',
      'POST /v1/sovereigns/omantel-omani-works/phase',
      'GET /v1/sovereigns/omantel-omani-works',
      'PUT /v1/sovereigns/omantel-omani-works',
    ]);
    const put = server.requests.find(r => r.method === 'PUT')!;
    expect(put.body).toMatchObject({ dnsRecords: [], taskId: 'task-3' });
    expect(put.body).not.toHaveProperty('phase');
  });

  it('keeps the recorded DNS records when the domain could not be released', async () => {
    server.setHandler(r => {
      if (r.pluginId === 'scaffolder')
        return { status: 200, body: { id: 'task-4', status: 'failed' } };
      if (r.method === 'DELETE')
        return { status: 503, body: { error: 'db-unavailable' } };
      return { status: 200, body: { record: {}, event: {} } };
    });
    keeper.track({ ...pool, taskId: 'task-4' });
    await keeper.tick();
    expect(calls()).toEqual([
      'DELETE /v1/pool/omani.works/release?sub=omantel',
      'GET /v1/sovereigns/omantel-omani-works',
      'POST /v1/sovereigns/omantel-omani-works/phase',
    ]);
  });

  it('gives back only what its own task took: no token, no release; a Sovereign held by another task stays as it is', async () => {
    registered = {
      name: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      phase: 'ready',
      taskId: 'task-victim',
    };
    keeper.track({ ...pool, taskId: 'task-5', reservationToken: undefined });
    taskStates.set('task-5', 'failed');
    await keeper.tick();
    expect(calls()).toEqual([]);

    keeper.track({
      ...pool,
      taskId: 'task-6',
      domain: { mode: 'byo-manual', byoDomain: 'acme.com' },
      reservationToken: undefined,
    });
    taskStates.set('task-6', 'failed');
    await keeper.tick();
    // PDM refuses (404 here) anything task-6 did not create; the victim's record is not marked failed.
    expect(calls()).toEqual([
      'DELETE /v1/byo/acme.com/zone',
      'GET /v1/sovereigns/omantel-omani-works',
    ]);
  });

  it('just stops tracking when the task completes', async () => {
    taskStates.set('task-1', 'completed');
    keeper.track(pool);
    await keeper.tick();
    expect(calls()).toEqual([]);
    expect(keeper.tracked('task-1')).toBeUndefined();
  });

  it('keeps renewing when the task status cannot be read', async () => {
    server.setHandler(r =>
      r.pluginId === 'scaffolder'
        ? { status: 503 }
        : { status: 200, body: { expiresAt: '2026-01-01T02:00:00Z' } },
    );
    keeper.track(pool);
    clock += 1200_001;
    await keeper.tick();
    expect(calls()).toEqual(['POST /v1/pool/omani.works/renew']);
    expect(keeper.tracked('task-1')).toBeDefined();
  });
});
