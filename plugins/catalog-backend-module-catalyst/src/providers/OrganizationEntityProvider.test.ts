import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import {
  EventParams,
  EventsServiceSubscribeOptions,
} from '@backstage/plugin-events-node';
import { OrganizationRecord } from '@catalyst/plugin-catalyst-common';
import {
  createOrganizationEntityProvider,
  organizationRecordToEntity,
} from './OrganizationEntityProvider';

const record: OrganizationRecord = {
  sovereign: 'sovereign:default/omantel-omani-works',
  slug: 'tariq-trading',
  name: 'Tariq Trading',
  owner: 'user:default/tariq',
  createdAt: '2026-11-25T10:00:00.000Z',
};

describe('catalyst-organizations provider', () => {
  it('turns an Organization into a Group in its Sovereign’s namespace, owned by its tenant', () => {
    expect(organizationRecordToEntity(record)).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'tariq-trading',
        namespace: 'omantel-omani-works',
        title: 'Tariq Trading',
        description: 'A tenant Organization',
        annotations: {
          'backstage.io/managed-by-location':
            'catalyst-organizations:omantel-omani-works/tariq-trading',
          'backstage.io/managed-by-origin-location':
            'catalyst-organizations:omantel-omani-works/tariq-trading',
          'catalyst.openova.io/owner': 'user:default/tariq',
          'catalyst.openova.io/sovereign':
            'sovereign:default/omantel-omani-works',
        },
      },
      spec: {
        type: 'organization',
        profile: { displayName: 'Tariq Trading' },
        children: [],
        members: ['user:default/tariq'],
      },
    });
  });

  it('carries its credit and first App, named in its description and annotations', () => {
    const entity = organizationRecordToEntity({
      ...record,
      firstApp: 'bp-grafana',
      credit: [{ amount: 100, currency: 'EUR' }],
    });
    expect(entity.metadata.description).toBe(
      'A tenant Organization with 100 EUR credit, first App grafana',
    );
    expect(entity.metadata.annotations).toMatchObject({
      'catalyst.openova.io/credit': '100 EUR',
      'catalyst.openova.io/first-app': 'bp-grafana',
    });
    expect(
      organizationRecordToEntity({ ...record, credit: [] }).metadata
        .annotations?.['catalyst.openova.io/credit'],
    ).toBe('0');
  });

  it('resyncs from the source and follows upserts and deletes on catalyst.organization', async () => {
    const subscribers: EventsServiceSubscribeOptions[] = [];
    const events = {
      publish: async (params: EventParams) => {
        for (const s of subscribers) {
          if (s.topics.includes(params.topic)) await s.onEvent(params);
        }
      },
      subscribe: async (options: EventsServiceSubscribeOptions) => {
        subscribers.push(options);
      },
    };
    let task: (() => Promise<void>) | undefined;
    const provider = createOrganizationEntityProvider({
      source: { list: async () => [record] },
      events,
      taskRunner: {
        run: async (t: { fn: () => Promise<void> }) => {
          task = t.fn;
        },
      } as any,
      logger: mockServices.logger.mock(),
    });
    const applyMutation = jest.fn().mockResolvedValue(undefined);
    const connection: EntityProviderConnection = {
      applyMutation,
      refresh: jest.fn(),
    };
    await provider.connect(connection);
    await task!();
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'full',
      entities: [
        {
          entity: organizationRecordToEntity(record),
          locationKey: 'catalyst-organizations',
        },
      ],
    });

    const second = { ...record, slug: 'sami-co', owner: 'user:default/sami' };
    await events.publish({
      topic: 'catalyst.organization',
      eventPayload: { action: 'upsert', record: second },
    });
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'delta',
      added: [
        {
          entity: organizationRecordToEntity(second),
          locationKey: 'catalyst-organizations',
        },
      ],
      removed: [],
    });
    await events.publish({
      topic: 'catalyst.organization',
      eventPayload: { action: 'delete', record: second },
    });
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'group:omantel-omani-works/sami-co',
          locationKey: 'catalyst-organizations',
        },
      ],
    });
  });
});
