import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  catalogPriority,
  CatalystEntitiesProcessor,
  createSovereignEntityProvider,
} from '@catalyst/plugin-catalog-backend-module-catalyst';
import {
  CATALYST_SOVEREIGN_TOPIC,
  SovereignRecord,
} from '@catalyst/plugin-catalyst-common';
import { Server } from 'node:http';
import request from 'supertest';
import { sovereignRecord } from '@catalyst/plugin-catalog-backend-module-catalyst/testing';
import { eventually, plainComponent } from './harness/catalog';

jest.setTimeout(300_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

/** Entities queued ahead of the change: enough that the catalog needs several seconds for them. */
const BACKLOG = 600;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * A catalog with the Sovereign provider (one Sovereign) and a second provider whose load the test starts by hand:
 * BACKLOG new entities in one full mutation, the way a first start with thousands of Vouchers queues them.
 */
async function startCatalog(databaseId: TestDatabaseId, priority: boolean) {
  const knex = await databases.init(databaseId);
  let events!: EventsService;
  let backlog!: EntityProviderConnection;
  const sovereigns: SovereignRecord[] = [sovereignRecord()];
  const module = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'priority-test',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          logger: coreServices.logger,
          database: coreServices.database,
          events: eventsServiceRef,
        },
        async init({ catalog, logger, database, events: ev }) {
          events = ev;
          catalog.addProcessor(new CatalystEntitiesProcessor());
          catalog.addEntityProvider(
            createSovereignEntityProvider({
              source: { list: async () => sovereigns },
              events: ev,
              taskRunner: {
                run: async ({ fn }) => {
                  void fn(new AbortController().signal);
                },
              },
              logger,
              priority: priority
                ? catalogPriority({ database, logger })
                : undefined,
            }),
            {
              getProviderName: () => 'backlog',
              connect: async connection => {
                backlog = connection;
              },
            },
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      module,
      eventsServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          events: { useEventBus: 'never' },
          catalog: {
            processingInterval: { minutes: 5 },
            stitchingStrategy: { pollingInterval: { milliseconds: 100 } },
          },
        },
      }),
    ],
  });
  return { server: server as Server, events, backlog: () => backlog };
}

async function organizationOf(server: Server): Promise<string | undefined> {
  const res = await request(server).get(
    '/api/catalog/entities/by-name/sovereign/default/omantel-omani-works',
  );
  return res.status === 200 ? res.body.spec?.organization : undefined;
}

async function backlogServed(server: Server): Promise<number> {
  const res = await request(server).get(
    '/api/catalog/entities/by-query?filter=kind=component&limit=1&fields=metadata.name',
  );
  return res.body.totalItems;
}

/**
 * Queues BACKLOG entities, then changes the Sovereign; returns how many of the backlog the catalog served at the
 * moment the change became visible.
 */
async function changeBehindBacklog(
  databaseId: TestDatabaseId,
  priority: boolean,
) {
  const { server, events, backlog } = await startCatalog(databaseId, priority);
  await eventually(
    async () => expect(await organizationOf(server)).toBe('Omantel'),
    120_000,
    100,
  );

  await backlog().applyMutation({
    type: 'full',
    entities: Array.from({ length: BACKLOG }, (_, i) =>
      plainComponent('backlog', i),
    ),
  });
  // SQLite keeps these times to the second: a change within the same second would tie with the backlog.
  await sleep(1100);
  await events.publish({
    topic: CATALYST_SOVEREIGN_TOPIC,
    eventPayload: {
      action: 'upsert',
      record: sovereignRecord({ organization: 'Omantel (renamed)' }),
    },
  });
  await eventually(
    async () => expect(await organizationOf(server)).toBe('Omantel (renamed)'),
    120_000,
    100,
  );
  const servedWhenVisible = await backlogServed(server);

  // The rest of the load still arrives, and the change is not undone by it.
  await eventually(
    async () => expect(await backlogServed(server)).toBe(BACKLOG),
    120_000,
    100,
  );
  expect(await organizationOf(server)).toBe('Omantel (renamed)');
  return servedWhenVisible;
}

describe.each(databases.eachSupportedId())(
  'a changed Sovereign while the catalog works through a backlog, %p',
  databaseId => {
    it('is visible before the backlog queued ahead of it is done', async () => {
      const served = await changeBehindBacklog(databaseId, true);
      expect(served).toBeLessThan(BACKLOG / 2);
    });

    it('waits behind the whole backlog without the priority (the catalog on its own is first-in, first-out)', async () => {
      const served = await changeBehindBacklog(databaseId, false);
      expect(served).toBeGreaterThan(BACKLOG * 0.9);
    });
  },
);
