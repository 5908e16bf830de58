import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import {
  sovereignRecordSchema,
  sovereignRecordUpsertSchema,
} from '@catalyst/plugin-catalyst-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { omantelRequest, omantelUpsert } from './__fixtures__/sovereign';
import { MAX_EVENTS_PER_SOVEREIGN, SovereignStore } from './SovereignStore';

jest.setTimeout(120_000);

const migrationsDir = resolvePackagePath(
  '@catalyst/plugin-catalyst-backend',
  'migrations',
);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}
if (process.env.CI && !databases.supports('POSTGRES_15')) {
  throw new Error('CI must provide PostgreSQL 15 for the registry tests');
}

describe.each(databases.eachSupportedId())(
  'SovereignStore on %p',
  databaseId => {
    async function createStore(clock?: { now: Date }) {
      const knex = await databases.init(databaseId);
      const store = await SovereignStore.create(
        mockServices.database({ knex }),
        clock ? { now: () => clock.now } : undefined,
      );
      return { store, knex };
    }
    const input = (o = {}) =>
      sovereignRecordUpsertSchema.parse(omantelUpsert(o));

    it('creates, reads and lists a record with every field intact', async () => {
      const clock = { now: new Date('2026-11-25T10:00:00.000Z') };
      const { store } = await createStore(clock);

      const { record, created } = await store.upsert(
        'omantel-omani-works',
        input(),
      );
      expect(created).toBe(true);
      expect(sovereignRecordSchema.parse(record)).toEqual(record);
      expect(record).toMatchObject({
        name: 'omantel-omani-works',
        fqdn: 'omantel.omani.works',
        owner: 'group:default/omantel-platform',
        phase: 'provisioning',
        taskId: 'task-8d41',
        outputs: { loadBalancerIp: '203.0.113.10' },
        notInstallable: ['opentofu'],
        tls: {
          issuer: 'letsencrypt-production',
          dns01: { keyName: 'dns01.omantel.omani.works' },
        },
        createdAt: '2026-11-25T10:00:00.000Z',
        updatedAt: '2026-11-25T10:00:00.000Z',
      });
      expect(await store.get('omantel-omani-works')).toEqual(record);
      expect(await store.list()).toEqual([record]);
      expect(await store.get('nope')).toBeUndefined();

      const events = await store.listEvents('omantel-omani-works');
      expect(events).toEqual([
        {
          time: '2026-11-25T10:00:00.000Z',
          phase: 'provisioning',
          level: 'info',
          message:
            'Sovereign omantel.omani.works recorded in phase provisioning',
        },
      ]);
    });

    it('keeps createdAt and the phase on a re-upsert without a phase, and logs phase changes', async () => {
      const clock = { now: new Date('2026-11-25T10:00:00.000Z') };
      const { store } = await createStore(clock);
      await store.upsert('omantel-omani-works', input());

      clock.now = new Date('2026-11-25T10:05:00.000Z');
      await store.setPhase('omantel-omani-works', {
        phase: 'dns-pending',
        reason: 'awaiting-delegation',
        message: 'Waiting for the NS records of omani.works',
      });

      clock.now = new Date('2026-11-25T10:06:00.000Z');
      const { record, created } = await store.upsert(
        'omantel-omani-works',
        input({ phase: undefined, blueprints: ['bp-cilium@1.1.1'] }),
      );
      expect(created).toBe(false);
      expect(record.phase).toBe('dns-pending');
      expect(record.phaseReason).toBe('awaiting-delegation');
      expect(record.blueprints).toEqual(['bp-cilium@1.1.1']);
      expect(record.createdAt).toBe('2026-11-25T10:00:00.000Z');
      expect(record.updatedAt).toBe('2026-11-25T10:06:00.000Z');

      clock.now = new Date('2026-11-25T10:07:00.000Z');
      await store.upsert(
        'omantel-omani-works',
        input({ phase: 'failed', phaseReason: 'tofu apply failed' }),
      );
      const events = await store.listEvents('omantel-omani-works');
      expect(events.map(e => [e.phase, e.level, e.message])).toEqual([
        [
          'provisioning',
          'info',
          'Sovereign omantel.omani.works recorded in phase provisioning',
        ],
        ['dns-pending', 'info', 'Waiting for the NS records of omani.works'],
        ['failed', 'error', 'tofu apply failed'],
      ]);
    });

    it('appends events under the current phase and limits the listing to the newest', async () => {
      const { store } = await createStore();
      await store.upsert('omantel-omani-works', input());
      await store.appendEvent('omantel-omani-works', {
        level: 'warn',
        message: 'opentofu has no Blueprint and is not installed',
      });
      await store.appendEvent('omantel-omani-works', {
        level: 'info',
        phase: 'component',
        message: 'bp-cilium installed',
      });
      const last = await store.listEvents('omantel-omani-works', { limit: 2 });
      expect(last).toEqual([
        expect.objectContaining({
          phase: 'provisioning',
          level: 'warn',
          message: 'opentofu has no Blueprint and is not installed',
        }),
        expect.objectContaining({
          phase: 'component',
          message: 'bp-cilium installed',
        }),
      ]);
    });

    it('refuses events, phases and reads for an unknown Sovereign', async () => {
      const { store } = await createStore();
      await expect(
        store.appendEvent('ghost-omani-works', { level: 'info', message: 'x' }),
      ).rejects.toThrow(NotFoundError);
      await expect(
        store.setPhase('ghost-omani-works', { phase: 'ready', message: 'x' }),
      ).rejects.toThrow("Sovereign 'ghost-omani-works' is not in the registry");
      await expect(store.listEvents('ghost-omani-works')).rejects.toThrow(
        NotFoundError,
      );
      await expect(store.delete('ghost-omani-works')).rejects.toThrow(
        NotFoundError,
      );
    });

    it('deletes a record with its history', async () => {
      const { store, knex } = await createStore();
      await store.upsert('omantel-omani-works', input());
      const removed = await store.delete('omantel-omani-works');
      expect(removed.fqdn).toBe('omantel.omani.works');
      expect(await store.list()).toEqual([]);
      const [{ n }] = await knex('catalyst_sovereign_events').count('* as n');
      expect(Number(n)).toBe(0);
    });

    it('keeps the non-secret provisioning request with the record', async () => {
      const { store } = await createStore();
      const request = omantelRequest();
      const { record } = await store.upsert(
        'omantel-omani-works',
        input({ request }),
      );
      expect(record.request).toEqual(request);
      expect((await store.get('omantel-omani-works'))?.request).toEqual(
        request,
      );
      // A record without one (registered before requests were kept) reads back without the field.
      await store.upsert('omantel-omani-works', input());
      expect(await store.get('omantel-omani-works')).not.toHaveProperty(
        'request',
      );
    });

    it('remembers when the current phase was entered, not when it was last re-recorded', async () => {
      const clock = { now: new Date('2026-11-25T10:00:00.000Z') };
      const { store } = await createStore(clock);
      await store.upsert('omantel-omani-works', input());
      expect((await store.get('omantel-omani-works'))?.phaseChangedAt).toBe(
        '2026-11-25T10:00:00.000Z',
      );

      clock.now = new Date('2026-11-25T11:00:00.000Z');
      await store.setPhase('omantel-omani-works', {
        phase: 'dns-pending',
        message: 'waiting',
      });
      clock.now = new Date('2026-11-25T11:05:00.000Z');
      await store.setPhase('omantel-omani-works', {
        phase: 'dns-pending',
        message: 'still waiting',
      });
      clock.now = new Date('2026-11-25T11:10:00.000Z');
      const { record } = await store.upsert(
        'omantel-omani-works',
        input({ phase: undefined }),
      );
      expect(record.phaseChangedAt).toBe('2026-11-25T11:00:00.000Z');
      expect(record.updatedAt).toBe('2026-11-25T11:10:00.000Z');
      expect((await store.listInPhase('dns-pending')).map(r => r.name)).toEqual(
        ['omantel-omani-works'],
      );
      expect(await store.listInPhase('ready')).toEqual([]);
    });

    it('changes a phase conditionally, leaving a Sovereign that moved on alone', async () => {
      const { store } = await createStore();
      await store.upsert('omantel-omani-works', input());
      expect(
        await store.setPhaseFrom('omantel-omani-works', 'dns-pending', {
          phase: 'ready',
          message: 'delegated',
        }),
      ).toBeUndefined();
      expect((await store.get('omantel-omani-works'))?.phase).toBe(
        'provisioning',
      );
      const moved = await store.setPhaseFrom(
        'omantel-omani-works',
        'provisioning',
        { phase: 'failed', reason: 'delegation-timeout', message: 'late' },
      );
      expect(moved?.record).toMatchObject({
        phase: 'failed',
        phaseReason: 'delegation-timeout',
      });
    });

    it('lists events with their positions and announces every committed write', async () => {
      const { store } = await createStore();
      const seen: string[] = [];
      const unsubscribe = store.onChange(change => seen.push(change.name));
      await store.upsert('omantel-omani-works', input());
      await store.appendEvent('omantel-omani-works', {
        level: 'info',
        message: 'two',
      });
      await store.setPhase('omantel-omani-works', {
        phase: 'ready',
        message: 'three',
      });
      await expect(
        store.appendEvent('ghost-omani-works', { level: 'info', message: 'x' }),
      ).rejects.toThrow(NotFoundError);
      expect(seen).toEqual([
        'omantel-omani-works',
        'omantel-omani-works',
        'omantel-omani-works',
      ]);

      const all = await store.listEventEntries('omantel-omani-works');
      expect(all.map(e => e.event.message)).toEqual([
        'Sovereign omantel.omani.works recorded in phase provisioning',
        'two',
        'three',
      ]);
      expect(all[0].id).toBeLessThan(all[1].id);
      const after = await store.listEventEntries('omantel-omani-works', {
        afterId: all[0].id,
      });
      expect(after).toEqual(all.slice(1));

      unsubscribe();
      await store.delete('omantel-omani-works');
      expect(seen).toHaveLength(3);
    });

    it('migrates existing rows: phaseChangedAt starts with the event that entered the phase', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ directory: migrationsDir });
      const row = {
        name: 'omantel-omani-works',
        fqdn: 'omantel.omani.works',
        organization: 'Omantel',
        owner: 'group:default/omantel-platform',
        phase: 'dns-pending',
        record: JSON.stringify({}),
        created_at: '2026-11-25T09:00:00.000Z',
        updated_at: '2026-11-25T12:00:00.000Z',
      };
      await knex('catalyst_sovereigns').insert(row);
      await knex('catalyst_sovereign_events').insert(
        [
          ['2026-11-25T09:00:00.000Z', 'provisioning'],
          ['2026-11-25T10:00:00.000Z', 'dns-pending'],
          ['2026-11-25T11:00:00.000Z', 'dns-pending'],
        ].map(([time, phase]) => ({
          sovereign_name: row.name,
          time,
          phase,
          level: 'info',
          message: phase,
        })),
      );
      await knex('catalyst_sovereigns').insert({
        ...row,
        name: 'quiet-omani-works',
        fqdn: 'quiet.omani.works',
      });
      await knex.migrate.latest({ directory: migrationsDir });
      const rows = await knex('catalyst_sovereigns')
        .orderBy('name')
        .select('name', 'phase_changed_at');
      expect(rows).toEqual([
        {
          name: 'omantel-omani-works',
          phase_changed_at: '2026-11-25T10:00:00.000Z',
        },
        {
          name: 'quiet-omani-works',
          phase_changed_at: '2026-11-25T12:00:00.000Z',
        },
      ]);
    });

    it('migrates existing rows to the injective names, with their events, vouchers and organizations', async () => {
      const knex = await databases.init(databaseId);
      // The three migrations before the re-keying.
      for (let i = 0; i < 3; i++) {
        await knex.migrate.up({ directory: migrationsDir });
      }
      const legacy = (name: string, fqdn: string) => ({
        name,
        fqdn,
        organization: 'Omantel',
        owner: 'group:default/omantel-platform',
        phase: 'ready',
        record: JSON.stringify({}),
        created_at: '2026-11-25T09:00:00.000Z',
        updated_at: '2026-11-25T12:00:00.000Z',
      });
      // Legacy names: dots became hyphens. The first row's new name is the second row's old one.
      await knex('catalyst_sovereigns').insert([
        legacy('x-omani-works', 'x-omani.works'),
        legacy('x--omani-works', 'x--omani.works'),
        legacy('omantel-omani-works', 'omantel.omani.works'),
      ]);
      await knex('catalyst_sovereign_events').insert(
        ['x-omani-works', 'x--omani-works', 'omantel-omani-works'].map(
          name => ({
            sovereign_name: name,
            time: '2026-11-25T09:00:00.000Z',
            phase: 'ready',
            level: 'info',
            message: `event of ${name}`,
          }),
        ),
      );
      await knex('catalyst_vouchers').insert({
        id: '00000000-0000-4000-8000-000000000001',
        sovereign: 'x-omani-works',
        code_hash: 'a'.repeat(64),
        code_kind: 'generated',
        code_masked: '••••-AAAA',
        credit_minor: 1000,
        issued_by: 'user:default/guest',
        created_at: '2026-11-25T09:00:00.000Z',
        updated_at: '2026-11-25T09:00:00.000Z',
      });
      await knex('catalyst_organizations').insert({
        sovereign: 'x-omani-works',
        slug: 'acme',
        name: 'Acme',
        owner: 'user:default/guest',
        created_at: '2026-11-25T09:00:00.000Z',
      });

      await knex.migrate.latest({ directory: migrationsDir });

      const rows = await knex('catalyst_sovereigns')
        .orderBy('fqdn')
        .select('name', 'fqdn');
      expect(rows).toEqual([
        { name: 'omantel-omani-works', fqdn: 'omantel.omani.works' },
        { name: 'x----omani-works', fqdn: 'x--omani.works' },
        { name: 'x--omani-works', fqdn: 'x-omani.works' },
      ]);
      const events = await knex('catalyst_sovereign_events')
        .orderBy('sovereign_name')
        .select('sovereign_name', 'message');
      expect(events).toEqual([
        {
          sovereign_name: 'omantel-omani-works',
          message: 'event of omantel-omani-works',
        },
        {
          sovereign_name: 'x----omani-works',
          message: 'event of x--omani-works',
        },
        {
          sovereign_name: 'x--omani-works',
          message: 'event of x-omani-works',
        },
      ]);
      expect(await knex('catalyst_vouchers').select('sovereign')).toEqual([
        { sovereign: 'x--omani-works' },
      ]);
      expect(await knex('catalyst_organizations').select('sovereign')).toEqual([
        { sovereign: 'x--omani-works' },
      ]);
    });

    it('never hands a record to another FQDN, owner or task through an upsert', async () => {
      const { store } = await createStore();
      await store.upsert('omantel-omani-works', input({ phase: 'ready' }));
      const before = await store.get('omantel-omani-works');

      await expect(
        store.upsert(
          'omantel-omani-works',
          input({ fqdn: 'omantel-omani.works' }),
        ),
      ).rejects.toThrow(
        /is omantel\.omani\.works; a record for omantel-omani\.works cannot replace it/,
      );
      await expect(
        store.upsert(
          'omantel-omani-works',
          input({ owner: 'group:default/team-a' }),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /belongs to group:default\/omantel-platform; its owner cannot be changed while it is ready/,
        ),
      });
      await expect(
        store.upsert('omantel-omani-works', input({ taskId: 'task-other' })),
      ).rejects.toThrow(/held by provisioning task task-8d41/);
      expect(await store.get('omantel-omani-works')).toEqual(before);

      // A write without a task (the delegation watcher, DNS records) keeps the task that provisioned it.
      const { record } = await store.upsert(
        'omantel-omani-works',
        input({ taskId: undefined, dnsRecords: [] }),
      );
      expect(record.taskId).toBe('task-8d41');
      expect(record.owner).toBe('group:default/omantel-platform');
    });

    it("lets a new provisioning run reclaim a failed record, which then belongs to the new initiator's group", async () => {
      const { store } = await createStore();
      await store.upsert('omantel-omani-works', input());
      await store.setPhase('omantel-omani-works', {
        phase: 'failed',
        reason: 'provisioning-failed',
        message: 'tofu failed',
      });
      const { record } = await store.upsert(
        'omantel-omani-works',
        input({
          owner: 'group:default/team-b',
          taskId: 'task-new',
          phase: 'provisioning',
        }),
      );
      expect(record).toMatchObject({
        owner: 'group:default/team-b',
        taskId: 'task-new',
        phase: 'provisioning',
      });
      // Held again: the earlier owner cannot take it back through an upsert.
      await expect(
        store.upsert(
          'omantel-omani-works',
          input({ owner: 'group:default/omantel-platform' }),
        ),
      ).rejects.toThrow(/belongs to group:default\/team-b/);
    });

    it('keeps at most the newest MAX_EVENTS_PER_SOVEREIGN events', async () => {
      const { store, knex } = await createStore();
      await store.upsert('omantel-omani-works', input());
      // Fill to the cap directly, then let the store append past it.
      const rows = Array.from(
        { length: MAX_EVENTS_PER_SOVEREIGN - 1 },
        (_, i) => ({
          sovereign_name: 'omantel-omani-works',
          time: '2026-11-25T10:00:00.000Z',
          phase: 'component',
          level: 'info',
          message: `filler ${i}`,
        }),
      );
      await knex.batchInsert('catalyst_sovereign_events', rows, 500);
      await store.appendEvent('omantel-omani-works', {
        level: 'info',
        message: 'one past the cap',
      });
      const events = await store.listEvents('omantel-omani-works');
      expect(events).toHaveLength(MAX_EVENTS_PER_SOVEREIGN);
      expect(events[0].message).toBe('filler 0');
      expect(events[events.length - 1].message).toBe('one past the cap');
    });
  },
);
