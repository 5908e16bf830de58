import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalystPlugin from '@catalyst/plugin-catalyst-backend';
import { Server } from 'node:http';
import request from 'supertest';
import catalogModuleCatalyst from '@catalyst/plugin-catalog-backend-module-catalyst';
import { sovereignRecord } from '@catalyst/plugin-catalog-backend-module-catalyst/testing';
import { eventually } from './harness/catalog';

jest.setTimeout(90_000);

function upsertBody(overrides: Parameters<typeof sovereignRecord>[0] = {}) {
  const { name, createdAt, updatedAt, ...body } = sovereignRecord(overrides);
  return body;
}

describe('catalog module with a real catalog and catalyst-backend', () => {
  let server: Server;
  let probeEvents: EventsService;
  let scheduler: SchedulerService;
  // Gives the test its own handle on the shared events service, to simulate a lost or wrong event.
  const eventsProbe = createBackendPlugin({
    pluginId: 'eventsprobe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef, sched: coreServices.scheduler },
        async init({ events, sched }) {
          probeEvents = events;
          scheduler = sched;
        },
      });
    },
  });

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCatalyst,
        catalystPlugin,
        eventsProbe,
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: { events: { useEventBus: 'never' } },
        }),
      ],
    }));
  });

  const getEntity = (kind: string, namespace: string, name: string) =>
    request(server).get(
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );

  it('publishes the Blueprint catalog with its relations and family Systems', async () => {
    const gitea = await eventually(async () => {
      const res = await getEntity('blueprint', 'default', 'bp-gitea');
      expect(res.status).toBe(200);
      expect(res.body.relations?.length).toBeGreaterThan(0);
      return res.body;
    });
    expect(gitea.relations).toEqual(
      expect.arrayContaining([
        { type: 'dependsOn', targetRef: 'blueprint:default/bp-keycloak' },
        { type: 'partOf', targetRef: 'system:default/family-pilot' },
      ]),
    );
    const family = await eventually(async () => {
      const res = await getEntity('system', 'default', 'family-pilot');
      expect(res.status).toBe(200);
      expect(
        res.body.relations.filter((r: any) => r.type === 'hasPart'),
      ).toHaveLength(5);
      return res.body;
    });
    expect(family.metadata.title).toBe('PILOT · GitOps & IaC');

    const all = await eventually(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-query?filter=kind=blueprint&limit=500&fields=metadata.name',
      );
      expect(res.body.items).toHaveLength(68);
      return res.body.items;
    });
    expect(all).toHaveLength(68);
  });

  it('shows a Sovereign within seconds of its registration, follows changes and removes it', async () => {
    const put = await request(server)
      .put('/api/catalyst/v1/sovereigns/omantel-omani-works')
      .send(upsertBody({ phase: 'provisioning' }));
    expect(put.status).toBe(201);

    const entity = await eventually(async () => {
      const res = await getEntity(
        'sovereign',
        'default',
        'omantel-omani-works',
      );
      expect(res.status).toBe(200);
      expect(res.body.relations?.length).toBeGreaterThan(0);
      return res.body;
    }, 10_000);
    expect(entity.spec).toMatchObject({
      fqdn: 'omantel.omani.works',
      phase: 'provisioning',
    });
    expect(entity.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/omantel-platform' },
        { type: 'dependsOn', targetRef: 'blueprint:default/bp-gitea' },
      ]),
    );

    await request(server)
      .post('/api/catalyst/v1/sovereigns/omantel-omani-works/phase')
      .send({ phase: 'ready', message: 'All Blueprints are installed' })
      .expect(200);
    await eventually(async () => {
      const res = await getEntity(
        'sovereign',
        'default',
        'omantel-omani-works',
      );
      expect(res.body.spec.phase).toBe('ready');
      expect(res.body.metadata.labels['catalyst.openova.io/phase']).toBe(
        'ready',
      );
    }, 10_000);

    await request(server)
      .delete('/api/catalyst/v1/sovereigns/omantel-omani-works')
      .expect(204);
    await eventually(async () => {
      expect(
        (await getEntity('sovereign', 'default', 'omantel-omani-works')).status,
      ).toBe(404);
    }, 10_000);
  });

  it('repairs the catalog from the registry on a scheduled resync', async () => {
    const put = await request(server)
      .put('/api/catalyst/v1/sovereigns/otech-omani-works')
      .send(upsertBody({ fqdn: 'otech.omani.works' }));
    expect(put.status).toBe(201);
    await eventually(async () => {
      expect(
        (await getEntity('sovereign', 'default', 'otech-omani-works')).status,
      ).toBe(200);
    });

    // A wrong event (the record still exists in the registry) removes the entity …
    await probeEvents.publish({
      topic: 'catalyst.sovereign',
      eventPayload: { action: 'delete', record: put.body },
    });
    await eventually(async () => {
      expect(
        (await getEntity('sovereign', 'default', 'otech-omani-works')).status,
      ).toBe(404);
    });
    // … and the scheduled full resync from GET /v1/sovereigns brings it back.
    await scheduler.triggerTask('catalyst-sovereigns:resync');
    await eventually(async () => {
      expect(
        (await getEntity('sovereign', 'default', 'otech-omani-works')).status,
      ).toBe(200);
    });
  });

  it('publishes no vouchers while the voucher store does not exist', async () => {
    await scheduler.triggerTask('catalyst-vouchers:resync');
    const vouchers = await request(server).get(
      '/api/catalog/entities/by-query?filter=kind=voucher',
    );
    expect(vouchers.status).toBe(200);
    expect(vouchers.body.items).toEqual([]);
  });
});
