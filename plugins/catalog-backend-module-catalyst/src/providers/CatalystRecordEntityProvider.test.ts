import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  EventParams,
  EventsServiceSubscribeOptions,
} from '@backstage/plugin-events-node';
import {
  SovereignRecord,
  VoucherRecord,
} from '@catalyst/plugin-catalyst-common';
import { sovereignRecord, voucherRecord } from '../__fixtures__/records';
import {
  createSovereignEntityProvider,
  createVoucherEntityProvider,
} from './createRecordProviders';

/** An in-process events service that delivers to every subscriber, like the default one. */
function localEvents() {
  const subscribers: EventsServiceSubscribeOptions[] = [];
  return {
    async publish(params: EventParams) {
      for (const s of subscribers) {
        if (s.topics.includes(params.topic)) await s.onEvent(params);
      }
    },
    async subscribe(options: EventsServiceSubscribeOptions) {
      subscribers.push(options);
    },
  };
}

function fakeConnection() {
  const applyMutation = jest.fn().mockResolvedValue(undefined);
  const connection: EntityProviderConnection = {
    applyMutation,
    refresh: jest.fn(),
  };
  return { connection, applyMutation };
}

function fakeSource<R>(records: R[]) {
  return { records, list: jest.fn(async () => [...records]) };
}

/** Captures the task the provider schedules so the test can run it like the scheduler would. */
function capturingRunner() {
  let task: { id: string; fn: () => Promise<void> } | undefined;
  return {
    runner: {
      run: async (t: { id: string; fn: any }) => {
        task = t;
      },
    },
    runTask: () => task!.fn(),
    taskId: () => task?.id,
  };
}

describe('catalyst-sovereigns provider', () => {
  it('publishes the full set on resync, then follows upserts and deletes as deltas', async () => {
    const events = localEvents();
    const source = fakeSource<SovereignRecord>([sovereignRecord()]);
    const { runner, runTask, taskId } = capturingRunner();
    const provider = createSovereignEntityProvider({
      source,
      events,
      taskRunner: runner,
      logger: mockServices.logger.mock(),
    });
    const { connection, applyMutation } = fakeConnection();

    expect(provider.getProviderName()).toBe('catalyst-sovereigns');
    await provider.connect(connection);
    expect(taskId()).toBe('catalyst-sovereigns:resync');
    await runTask();

    expect(applyMutation).toHaveBeenCalledTimes(1);
    const full = applyMutation.mock.calls[0][0];
    expect(full.type).toBe('full');
    expect(full.entities).toHaveLength(1);
    const entity = full.entities[0].entity;
    expect(full.entities[0].locationKey).toBe('catalyst-sovereigns');
    expect(entity).toMatchObject({
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'Sovereign',
      metadata: {
        name: 'omantel-omani-works',
        annotations: {
          'backstage.io/managed-by-location':
            'catalyst-sovereigns:omantel-omani-works',
          'backstage.io/managed-by-origin-location':
            'catalyst-sovereigns:omantel-omani-works',
          'catalyst.openova.io/fqdn': 'omantel.omani.works',
        },
      },
      spec: {
        owner: 'group:default/omantel-platform',
        phase: 'ready',
        endpoints: {
          loadBalancerIp: '203.0.113.10',
          consoleUrl: 'https://console.omantel.omani.works',
        },
        // The certificate issuer and the DNS-01 setup, for the Sovereign page's TLS card.
        tls: {
          issuer: 'letsencrypt-production',
          dnsNames: ['*.omantel.omani.works', 'omantel.omani.works'],
          dns01: {
            zone: 'omantel.omani.works',
            nameserver: 'ns1.openova.io:53',
            keyName: 'dns01.omantel.omani.works',
            algorithm: 'hmac-sha256',
          },
        },
      },
    });

    const other = sovereignRecord({
      name: 'otech-omani-works',
      fqdn: 'otech.omani.works',
      phase: 'provisioning',
    });
    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'upsert', record: other },
    });
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'delta',
      added: [
        {
          entity: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'otech-omani-works' }),
          }),
          locationKey: 'catalyst-sovereigns',
        },
      ],
      removed: [],
    });

    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'delete', record: other },
    });
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'sovereign:default/otech-omani-works',
          locationKey: 'catalyst-sovereigns',
        },
      ],
    });
  });

  it('ignores malformed events and refuses records carrying unknown fields', async () => {
    const events = localEvents();
    const logger = mockServices.logger.mock();
    const provider = createSovereignEntityProvider({
      source: fakeSource<SovereignRecord>([]),
      events,
      taskRunner: capturingRunner().runner,
      logger,
    });
    const { connection, applyMutation } = fakeConnection();
    await provider.connect(connection);
    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: {
        action: 'upsert',
        record: { ...sovereignRecord(), kubeconfig: 'apiVersion: v1' },
      },
    });
    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'explode', record: sovereignRecord() },
    });
    expect(applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('keeps the current entities when the source fails', async () => {
    const source = {
      list: jest.fn().mockRejectedValue(new Error('connect ECONNREFUSED')),
    };
    const logger = mockServices.logger.mock();
    const { runner, runTask } = capturingRunner();
    const provider = createSovereignEntityProvider({
      source,
      events: localEvents(),
      taskRunner: runner,
      logger,
    });
    const { connection, applyMutation } = fakeConnection();
    await provider.connect(connection);
    await runTask();
    expect(applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('resync failed, keeping the current entities'),
    );
  });

  it('re-applies a change that arrived while a resync was reading an older snapshot', async () => {
    const events = localEvents();
    let release!: () => void;
    const stale = sovereignRecord({ phase: 'provisioning' });
    const source = {
      list: jest.fn(
        () =>
          new Promise<SovereignRecord[]>(resolve => {
            release = () => resolve([stale]);
          }),
      ),
    };
    const { runner, runTask } = capturingRunner();
    const provider = createSovereignEntityProvider({
      source,
      events,
      taskRunner: runner,
      logger: mockServices.logger.mock(),
    });
    const { connection, applyMutation } = fakeConnection();
    await provider.connect(connection);

    const resync = runTask();
    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: {
        action: 'upsert',
        record: sovereignRecord({ phase: 'ready' }),
      },
    });
    release();
    await resync;

    const calls = applyMutation.mock.calls.map(([m]) => m);
    expect(calls.map(m => m.type)).toEqual(['delta', 'full', 'delta']);
    expect(calls[1].entities[0].entity.spec.phase).toBe('provisioning');
    expect(calls[2].added[0].entity.spec.phase).toBe('ready');
  });

  it('moves each upsert from an event to the front of the catalog queues: read before the delta, moved after it', async () => {
    const events = localEvents();
    const steps: string[] = [];
    const priority = {
      prepare: jest.fn(async (ref: string) => {
        steps.push(`prepare ${ref}`);
        return async () => {
          steps.push(`hurry ${ref}`);
        };
      }),
    };
    const { runner } = capturingRunner();
    const provider = createSovereignEntityProvider({
      source: fakeSource<SovereignRecord>([]),
      events,
      taskRunner: runner,
      logger: mockServices.logger.mock(),
      priority,
    });
    const { connection, applyMutation } = fakeConnection();
    applyMutation.mockImplementation(async m => {
      steps.push(`${m.type} ${m.added.length ? 'added' : 'removed'}`);
    });
    await provider.connect(connection);

    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'upsert', record: sovereignRecord() },
    });
    await events.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'delete', record: sovereignRecord() },
    });

    // A removal has nothing to hurry.
    expect(steps).toEqual([
      'prepare sovereign:default/omantel-omani-works',
      'delta added',
      'hurry sovereign:default/omantel-omani-works',
      'delta removed',
    ]);
  });

  it('runs one resync at a time: a second request while one runs joins it', async () => {
    const events = localEvents();
    let release!: () => void;
    const source = {
      list: jest.fn(
        () =>
          new Promise<SovereignRecord[]>(resolve => {
            release = () => resolve([sovereignRecord()]);
          }),
      ),
    };
    const provider = createSovereignEntityProvider({
      source,
      events,
      taskRunner: capturingRunner().runner,
      logger: mockServices.logger.mock(),
    });
    const { connection, applyMutation } = fakeConnection();
    await provider.connect(connection);

    const first = provider.resync();
    const second = provider.resync();
    release();
    await Promise.all([first, second]);
    expect(source.list).toHaveBeenCalledTimes(1);
    expect(applyMutation).toHaveBeenCalledTimes(1);

    const third = provider.resync();
    release();
    await third;
    expect(source.list).toHaveBeenCalledTimes(2);
  });
});

describe('catalyst-vouchers provider', () => {
  it('publishes vouchers from a fake source and follows voucher events', async () => {
    const events = localEvents();
    const source = fakeSource<VoucherRecord>([
      voucherRecord(),
      voucherRecord({ id: 'v-revoked', state: 'revoked' }),
    ]);
    const { runner, runTask, taskId } = capturingRunner();
    const provider = createVoucherEntityProvider({
      source,
      events,
      taskRunner: runner,
      logger: mockServices.logger.mock(),
    });
    const { connection, applyMutation } = fakeConnection();
    await provider.connect(connection);
    expect(provider.getProviderName()).toBe('catalyst-vouchers');
    expect(taskId()).toBe('catalyst-vouchers:resync');
    await runTask();

    const full = applyMutation.mock.calls[0][0];
    expect(full.entities.map((e: any) => e.entity.metadata.name)).toEqual([
      'v-01hx3k9d2f',
      'v-revoked',
    ]);
    expect(full.entities[1].entity).toMatchObject({
      kind: 'Voucher',
      metadata: {
        namespace: 'omantel-omani-works',
        annotations: {
          'backstage.io/managed-by-location':
            'catalyst-vouchers:omantel-omani-works/v-revoked',
          'backstage.io/managed-by-origin-location':
            'catalyst-vouchers:omantel-omani-works/v-revoked',
        },
      },
      spec: { state: 'revoked', active: false, codeMasked: '••••-100' },
    });
    expect(JSON.stringify(full)).not.toMatch(/"code"/);

    await events.publish({
      topic: 'catalyst.voucher',
      eventPayload: {
        action: 'upsert',
        record: voucherRecord({ timesRedeemed: 4 }),
      },
    });
    expect(
      applyMutation.mock.calls[1][0].added[0].entity.spec.timesRedeemed,
    ).toBe(4);
    await events.publish({
      topic: 'catalyst.voucher',
      eventPayload: { action: 'delete', record: voucherRecord() },
    });
    expect(applyMutation.mock.calls[2][0].removed).toEqual([
      {
        entityRef: 'voucher:omantel-omani-works/v-01hx3k9d2f',
        locationKey: 'catalyst-vouchers',
      },
    ]);
  });
});
