import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { PoolAllocationClient } from '../clients/PoolAllocationClient';
import { ScaffolderTaskClient } from '../clients/ScaffolderTaskClient';
import { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { LocalApiServer } from '../__testUtils__/LocalApiServer';
import { ProvisioningCompensation } from './ProvisioningCompensation';
import { ReservationKeeper, TaskStatus } from './ReservationKeeper';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

describe.each(databases.eachSupportedId())(
  'ReservationKeeper and ProvisioningCompensation on %s',
  databaseId => {
    let server: LocalApiServer;
    let keeper: ReservationKeeper;
    /** A second backend replica (or the same one after a restart) on the same database. */
    let replica: ReservationKeeper;
    let db: Knex;
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
                body: {
                  error: { name: 'NotFoundError', message: 'no task' },
                  response: { statusCode: 404 },
                },
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
                body: {
                  error: { name: 'NotFoundError', message: 'unknown' },
                  response: { statusCode: 404 },
                },
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
      db = await databases.init(databaseId);
      const create = () =>
        ReservationKeeper.create({
          database: { getClient: async () => db },
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
      keeper = await create();
      replica = await create();
    });
    afterEach(async () => {
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
      await keeper.track(pool);
      await keeper.tick();
      expect(calls()).toEqual([]);
      clock += 1200_000;
      await keeper.tick();
      expect(calls()).toEqual(['POST /v1/pool/omani.works/renew']);
      expect(
        server.requests.find(r => r.path.endsWith('/renew'))!.body,
      ).toEqual({
        subdomain: 'omantel',
        reservationToken: 'tok-1',
        ttlSeconds: 3600,
      });
      clock += 600_000;
      await keeper.tick();
      expect(calls()).toHaveLength(1);
      await keeper.markCommitted('task-1');
      clock += 3600_000;
      await keeper.tick();
      expect(calls()).toHaveLength(1);
      expect(await keeper.tracked('task-1')).toBeDefined();
    });

    it('releases the pool reservation and marks the Sovereign failed when the task fails', async () => {
      taskStates.set('task-1', 'processing');
      await keeper.track(pool);
      taskStates.set('task-1', 'failed');
      await keeper.tick();
      expect(calls()).toEqual([
        'DELETE /v1/pool/omani.works/release?sub=omantel',
        // Whether the task still holds the Sovereign, before it is marked failed.
        'GET /v1/sovereigns/omantel-omani-works',
        'POST /v1/sovereigns/omantel-omani-works/phase',
        'GET /v1/sovereigns/omantel-omani-works',
      ]);
      const phase = server.requests.find(r => r.path.endsWith('/phase'))!.body;
      expect(phase).toMatchObject({
        phase: 'failed',
        reason: 'provisioning-failed',
      });
      expect(phase.message).toContain('task task-1 failed');
      expect(await keeper.tracked('task-1')).toBeUndefined();
    });

    it('deletes the BYO zone (404 = already gone) when the task is cancelled or vanished', async () => {
      await keeper.track({
        ...pool,
        taskId: 'task-2',
        domain: { mode: 'byo-api', byoDomain: 'acme.com' },
        reservationToken: undefined,
      });
      taskStates.set('task-2', 'cancelled');
      await keeper.tick();
      expect(calls()).toEqual([
        'DELETE /v1/byo/acme.com/zone',
        // Whether the task still holds the Sovereign, before it is marked failed.
        'GET /v1/sovereigns/omantel-omani-works',
        'POST /v1/sovereigns/omantel-omani-works/phase',
        'GET /v1/sovereigns/omantel-omani-works',
      ]);
      await keeper.track({ ...pool, taskId: 'task-gone' });
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
      await keeper.track({
        ...pool,
        taskId: 'task-3',
        domain: { mode: 'byo-manual', byoDomain: 'acme.com' },
        reservationToken: undefined,
      });
      taskStates.set('task-3', 'failed');
      await keeper.tick();
      expect(calls()).toEqual([
        'DELETE /v1/byo/acme.com/zone',
        // Whether the task still holds the Sovereign, before it is marked failed.
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
      await keeper.track({ ...pool, taskId: 'task-4' });
      await keeper.tick();
      expect(calls()).toEqual([
        'DELETE /v1/pool/omani.works/release?sub=omantel',
        // Whether the task still holds the Sovereign, before it is marked failed.
        'GET /v1/sovereigns/omantel-omani-works',
        'POST /v1/sovereigns/omantel-omani-works/phase',
      ]);
    });

    describe('a task handed over by the register step, before its reserve step', () => {
      const watched = {
        taskId: 'task-5',
        entityName: 'omantel-omani-works',
        fqdn: 'omantel.omani.works',
        domain: pool.domain,
        ttlSeconds: 3600,
      };

      it('marks the Sovereign failed and releases nothing when the task fails before reserving', async () => {
        await keeper.watch(watched);
        expect(await keeper.tracked('task-5')).toMatchObject({
          reserved: false,
          committed: false,
        });
        taskStates.set('task-5', 'processing');
        clock += 3600_000;
        await keeper.tick();
        // Nothing reserved, nothing to renew.
        expect(calls()).toEqual([]);
        taskStates.set('task-5', 'failed');
        await keeper.tick();
        expect(calls()).toEqual([
          'GET /v1/sovereigns/omantel-omani-works',
          'POST /v1/sovereigns/omantel-omani-works/phase',
        ]);
        const phase = server.requests.find(r =>
          r.path.endsWith('/phase'),
        )!.body;
        expect(phase).toMatchObject({
          phase: 'failed',
          reason: 'provisioning-failed',
        });
        expect(phase.message).toBe(
          'Provisioning stopped (task task-5 failed); no domain had been reserved yet',
        );
        expect(await keeper.tracked('task-5')).toBeUndefined();
      });

      it('the reserve step completes the row and a later register step does not undo it', async () => {
        await keeper.watch(watched);
        await keeper.track({ ...pool, taskId: 'task-5' });
        // register-done hands the task over again (or a recovered register step runs once more).
        await keeper.watch(watched);
        expect(await keeper.tracked('task-5')).toMatchObject({
          reserved: true,
          reservationToken: 'tok-1',
        });
        taskStates.set('task-5', 'failed');
        await keeper.tick();
        expect(calls()[0]).toBe(
          'DELETE /v1/pool/omani.works/release?sub=omantel',
        );
        expect(
          server.requests.find(r => r.path.endsWith('/phase'))!.body.message,
        ).toBe(
          'Provisioning stopped (task task-5 failed); the domain reservation was released',
        );
        expect(await keeper.tracked('task-5')).toBeUndefined();
      });

      it('removes a BYO zone the task created before its reserve step ended, and leaves one it did not', async () => {
        const byo = {
          ...watched,
          domain: { mode: 'byo-api' as const, byoDomain: 'acme.com' },
        };
        // PDM refuses: the zone there was not created by this task.
        server.setHandler(r => {
          if (r.pluginId === 'scaffolder')
            return { status: 200, body: { id: 'task-5', status: 'failed' } };
          if (r.method === 'DELETE')
            return {
              status: 403,
              body: { error: 'forbidden', detail: 'created by another task' },
            };
          if (r.method === 'GET')
            return {
              status: 404,
              body: { error: { name: 'NotFoundError', message: 'unknown' } },
            };
          return { status: 200, body: { record: {}, event: {} } };
        });
        await keeper.watch(byo);
        await keeper.tick();
        expect(calls()).toEqual([
          'DELETE /v1/byo/acme.com/zone',
          'GET /v1/sovereigns/omantel-omani-works',
          'POST /v1/sovereigns/omantel-omani-works/phase',
        ]);
        expect(await keeper.tracked('task-5')).toBeUndefined();
        // The same refusal for a task whose reserve step finished is an error: the row stays for the next pass.
        await keeper.track({ ...byo, taskId: 'task-6' });
        taskStates.set('task-6', 'failed');
        server.requests.length = 0;
        await keeper.tick();
        expect(await keeper.tracked('task-6')).toMatchObject({
          state: 'compensating',
        });
      });
    });

    it('just stops tracking when the task completes', async () => {
      taskStates.set('task-1', 'completed');
      await keeper.track(pool);
      await keeper.tick();
      expect(calls()).toEqual([]);
      expect(await keeper.tracked('task-1')).toBeUndefined();
    });

    it('keeps renewing when the task status cannot be read', async () => {
      server.setHandler(r =>
        r.pluginId === 'scaffolder'
          ? { status: 503 }
          : { status: 200, body: { expiresAt: '2026-01-01T02:00:00Z' } },
      );
      await keeper.track(pool);
      clock += 1200_001;
      await keeper.tick();
      expect(calls()).toEqual(['POST /v1/pool/omani.works/renew']);
      expect(await keeper.tracked('task-1')).toBeDefined();
    });

    it('goes on after a restart, from another replica, and compensates exactly once', async () => {
      taskStates.set('task-1', 'processing');
      await keeper.track(pool);
      // The replica that reserved is gone; the other one renews from the database row.
      clock += 1200_000;
      await replica.tick();
      expect(calls()).toEqual(['POST /v1/pool/omani.works/renew']);
      expect((await replica.tracked('task-1'))?.lastRenewedAt).toBe(clock);

      taskStates.set('task-1', 'failed');
      await Promise.all([keeper.tick(), replica.tick()]);
      expect(calls().filter(c => c.startsWith('DELETE'))).toEqual([
        'DELETE /v1/pool/omani.works/release?sub=omantel',
      ]);
      expect(calls().filter(c => c.endsWith('/phase'))).toHaveLength(1);
      expect(await keeper.tracked('task-1')).toBeUndefined();
      await replica.tick();
      expect(calls().filter(c => c.startsWith('DELETE'))).toHaveLength(1);
    });

    it('finishes a compensation a pass claimed but did not complete, and retries a release PDM refused', async () => {
      await keeper.track(pool);
      // A pass claimed the compensation, then its backend died.
      await db('catalyst_reservation_keeper')
        .where({ task_id: 'task-1' })
        .update({ state: 'compensating', reason: 'task task-1 failed' });
      taskStates.set('task-1', 'processing');
      server.setHandler(r =>
        r.method === 'DELETE'
          ? { status: 503, body: { error: 'db-unavailable' } }
          : { status: 200, body: { record: {}, event: {} } },
      );
      await replica.tick();
      // PDM refused: the claim stays for the next pass.
      expect((await replica.tracked('task-1'))?.state).toBe('compensating');
      server.setHandler(r =>
        r.method === 'DELETE'
          ? { status: 200, body: { freed: {} } }
          : { status: 200, body: { record: {}, event: {} } },
      );
      await replica.tick();
      expect(await replica.tracked('task-1')).toBeUndefined();
      const phases = server.requests.filter(r => r.path.endsWith('/phase'));
      expect(phases.at(-1)!.body.message).toContain('task task-1 failed');
    });

    it('keeps committed across a retried reserve step', async () => {
      await keeper.track(pool);
      await keeper.markCommitted('task-1');
      await replica.track(pool);
      expect(await replica.tracked('task-1')).toMatchObject({
        committed: true,
        state: 'tracking',
      });
    });
  },
);
