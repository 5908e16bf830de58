/**
 * Catalog ingestion benchmark, on each database (in-memory SQLite, and PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set):
 *
 * 1. floor: a plain entity provider pushes as many minimal entities (Components) as the Catalyst run below
 *    publishes, in one full mutation, through a real catalog backend with the same catalog settings; timed
 *    until every entity is queryable through the catalog's HTTP API. This is what the catalog itself costs.
 * 2. catalyst: a fresh catalog backend with the Catalyst catalog module ingests the full Blueprint catalog,
 *    1,000 Sovereigns and 10,000 Vouchers published by its providers (catalyst-blueprints,
 *    catalyst-sovereigns, catalyst-vouchers), timed the same way; the ratio to the floor is printed.
 *    While that load runs, one Sovereign after another is changed in the registry (its change event is
 *    published as catalyst-backend does) and the catalog API is polled until the change is visible: the
 *    p50/p95/max of that latency are printed. The providers move a changed entity to the front of the catalog's
 *    queues as the catalog module does (CatalogPriority); CATALOG_BENCH_PRIORITY=0 measures without that.
 *    The ingestion figure comes from a run without these changes (the floor has none either); the latencies
 *    from a second, identical load with them.
 * 3. 100 Sovereign changes delivered as events (delta mutations) once the load is done.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/catalog-ingest.bench.ts
 *
 * Env: CATALOG_BENCH_SOVEREIGNS (default 1000), CATALOG_BENCH_VOUCHERS (default 10000),
 * CATALOG_BENCH_DATABASES (default `sqlite,pg`; `pg` needs the connection string above), CATALOG_BENCH_TRACE=1
 * (each change's latency on stderr).
 * Prints `BENCH\t<name>\t<value>\t<unit>` lines.
 */
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  BlueprintEntityProvider,
  catalogPriority,
  CatalystEntitiesProcessor,
  createSovereignEntityProvider,
  createVoucherEntityProvider,
} from '@catalyst/plugin-catalog-backend-module-catalyst';
import { loadCatalystData } from '@catalyst/plugin-catalyst-node';
import {
  SovereignRecord,
  VoucherRecord,
  VOUCHER_ENTITY_STATES,
} from '@catalyst/plugin-catalyst-common';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { CATALOG_SETTINGS } from './catalog-settings';
import { percentile, plainComponent, printFigure } from '@catalyst/backend-e2e';

const SOVEREIGNS = Number(process.env.CATALOG_BENCH_SOVEREIGNS ?? 1000);
const VOUCHERS = Number(process.env.CATALOG_BENCH_VOUCHERS ?? 10_000);
const DELTAS = 100;
/** CATALOG_BENCH_PRIORITY=0 measures changes without moving them to the front of the catalog's queue. */
const usePriority = process.env.CATALOG_BENCH_PRIORITY !== '0';

function sovereign(
  i: number,
  phase: SovereignRecord['phase'] = 'ready',
  revision = 0,
): SovereignRecord {
  const fqdn = `tenant${i}.omani.works`;
  return {
    name: `tenant${i}-omani-works`,
    fqdn,
    organization: revision
      ? `Tenant ${i} (revision ${revision})`
      : `Tenant ${i}`,
    owner: `group:default/tenant${i % 50}`,
    adminEmail: `admin@tenant${i}.example.com`,
    topology: {
      template: 'solo',
      airgap: false,
      haEnabled: i % 3 === 0,
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx42',
          workerSize: 'cpx32',
          workerCount: i % 4,
        },
      ],
    },
    domain: {
      mode: 'pool',
      poolDomain: 'omani.works',
      subdomain: `tenant${i}`,
    },
    components: ['cilium', 'flux', 'gitea', 'keycloak', 'harbor'],
    blueprints: [
      'bp-cilium@1.1.1',
      'bp-flux@1.1.2',
      'bp-gitea@1.1.2',
      'bp-keycloak@1.1.2',
      'bp-harbor@1.0.0',
    ],
    notInstallable: [],
    gitops: {
      repoUrl: 'https://gitea.example.com/gitops.git',
      branch: 'main',
      path: `clusters/${fqdn}`,
    },
    outputs: { loadBalancerIp: `198.51.${Math.floor(i / 250)}.${i % 250}` },
    dnsRecords: [],
    phase,
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
  };
}

function voucher(i: number): VoucherRecord {
  return {
    id: `v-${i.toString(36).padStart(6, '0')}`,
    sovereign: `sovereign:default/tenant${i % SOVEREIGNS}-omani-works`,
    codeMasked: `••••-${String(i % 1000).padStart(3, '0')}`,
    credit: { amount: 100, currency: 'OMR' },
    description: 'Launch campaign',
    state: VOUCHER_ENTITY_STATES[i % VOUCHER_ENTITY_STATES.length],
    maxRedemptions: 10,
    timesRedeemed: i % 10,
    expiresAt: null,
    issuedBy: `user:default/issuer${i % 20}`,
    createdAt: '2026-11-25T11:00:00.000Z',
  };
}

const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const DATABASES = (process.env.CATALOG_BENCH_DATABASES ?? 'sqlite,pg')
  .split(',')
  .map(d => d.trim())
  .filter(d => d === 'sqlite' || (d === 'pg' && PG));

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A database for one catalog backend: a fresh in-memory SQLite, or a fresh PostgreSQL database (dropped after). */
async function databaseConfig(db: string) {
  if (db === 'sqlite') {
    return {
      config: { client: 'better-sqlite3', connection: ':memory:' },
      drop: async () => {},
    };
  }
  const prefix = `bench_${randomBytes(4).toString('hex')}_`;
  return {
    config: { client: 'pg', connection: PG, prefix },
    drop: async () => {
      const admin = knexFactory({ client: 'pg', connection: PG });
      try {
        // The stopped test backend may keep its pool open.
        await admin.raw(
          `DROP DATABASE IF EXISTS ${prefix}catalog WITH (FORCE)`,
        );
      } finally {
        await admin.destroy();
      }
    },
  };
}

async function startCatalog(db: string, features: any[]) {
  const database = await databaseConfig(db);
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      eventsServiceFactory,
      ...features,
      mockServices.rootConfig.factory({
        data: {
          backend: { database: database.config },
          events: { useEventBus: 'never' },
          catalog: CATALOG_SETTINGS,
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }/api/catalog`;
  const count = async (filter: string) => {
    // The test backend's httpAuth treats a request without a token as the mock user.
    const res = await fetch(
      `${base}/entities/by-query?filter=${filter}&limit=1&fields=metadata.name`,
    );
    if (!res.ok)
      throw new Error(`catalog answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { totalItems: number }).totalItems;
  };
  return {
    base,
    count,
    stop: async () => {
      await backend.stop();
      await database.drop();
    },
  };
}

/** The catalog's own cost: `total` minimal entities from a plain provider, one full mutation. */
async function floor(db: string, total: number): Promise<number> {
  let connectedAt = 0;
  const floorModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'floor-bench',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'floor-provider',
            connect: async connection => {
              connectedAt = performance.now();
              await connection.applyMutation({
                type: 'full',
                entities: Array.from({ length: total }, (_, i) =>
                  plainComponent('floor', i),
                ),
              });
            },
          });
        },
      });
    },
  });
  const catalog = await startCatalog(db, [floorModule]);
  try {
    const deadline = Date.now() + 30 * 60_000;
    while ((await catalog.count('kind=component')) < total) {
      if (Date.now() > deadline)
        throw new Error('floor: not ingested within 30 minutes');
      await sleep(200);
    }
    return (performance.now() - connectedAt) / 1000;
  } finally {
    await catalog.stop();
  }
}

/**
 * One Catalyst load. Without `changing` it only times the ingestion (the figure set against the floor, which makes no
 * changes either); with `changing` it also changes Sovereigns while the load runs and times their visibility, then
 * the delta changes after it.
 */
async function catalyst(db: string, floorSeconds: number, changing: boolean) {
  const data = loadCatalystData();
  const sovereigns = Array.from({ length: SOVEREIGNS }, (_, i) => sovereign(i));
  const vouchers = Array.from({ length: VOUCHERS }, (_, i) => voucher(i));
  let events!: EventsService;
  let connectedAt = 0;

  // Each provider's resync runs as soon as it connects, like the real scheduler's first run.
  const immediateRunner: SchedulerServiceTaskRunner = {
    run: async ({ fn }) => {
      // Started in the background, as the scheduler does, so the catalog finishes starting meanwhile.
      void Promise.resolve(fn(new AbortController().signal)).catch(error =>
        console.error(`resync failed: ${error}`),
      );
    },
  };

  const benchModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'catalyst-bench',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          logger: coreServices.logger,
          database: coreServices.database,
          events: eventsServiceRef,
        },
        async init({ catalog, logger, database, events: ev }) {
          const priority = usePriority
            ? catalogPriority({ database, logger })
            : undefined;
          connectedAt = performance.now();
          catalog.addProcessor(new CatalystEntitiesProcessor());
          catalog.addEntityProvider(
            new BlueprintEntityProvider(data, {
              owner: 'group:default/openova',
              logger,
            }),
            createSovereignEntityProvider({
              source: { list: async () => sovereigns },
              priority,
              events: ev,
              taskRunner: immediateRunner,
              logger,
            }),
            createVoucherEntityProvider({
              source: { list: async () => vouchers },
              priority,
              events: ev,
              taskRunner: immediateRunner,
              logger,
            }),
          );
        },
      });
    },
  });
  const probe = createBackendPlugin({
    pluginId: 'benchprobe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events: ev }) {
          events = ev;
        },
      });
    },
  });

  const started = performance.now();
  const catalog = await startCatalog(db, [benchModule, probe]);
  const { count, base } = catalog;
  try {
    const blueprintCount =
      data.components.components.length +
      data.bootstrapKit.entries.filter(e => !e.component).length;
    const targets: Record<
      string,
      { filter: string; expected: number; doneAt?: number }
    > = {
      blueprints: { filter: 'kind=blueprint', expected: blueprintCount },
      sovereigns: { filter: 'kind=sovereign', expected: SOVEREIGNS },
      vouchers: { filter: 'kind=voucher', expected: VOUCHERS },
    };
    const deadline = Date.now() + 30 * 60_000;

    // While the load runs: change one Sovereign after another in the registry and time until the catalog
    // API shows the change.
    let loading = changing;
    const changeLatencies: number[] = [];
    const changes = (async () => {
      for (let revision = 1; loading; revision++) {
        const i = (revision * 37) % SOVEREIGNS;
        const record = sovereign(i, 'ready', revision);
        sovereigns[i] = record;
        const t0 = performance.now();
        await events.publish({
          topic: 'catalyst.sovereign',
          eventPayload: { action: 'upsert', record },
        });
        for (;;) {
          if (Date.now() > deadline) throw new Error('a change never arrived');
          const res = await fetch(
            `${base}/entities/by-name/sovereign/default/${record.name}`,
          );
          if (res.ok) {
            const entity = (await res.json()) as {
              spec?: { organization?: string };
            };
            if (entity.spec?.organization === record.organization) break;
          }
          await sleep(50);
        }
        changeLatencies.push(performance.now() - t0);
        if (process.env.CATALOG_BENCH_TRACE) {
          console.error(
            `change ${revision} at ${((t0 - started) / 1000).toFixed(1)} s: ${(
              (performance.now() - t0) /
              1000
            ).toFixed(2)} s`,
          );
        }
        await sleep(250);
      }
    })();

    while (Object.values(targets).some(t => t.doneAt === undefined)) {
      if (Date.now() > deadline)
        throw new Error('catalog did not ingest everything within 30 minutes');
      for (const t of Object.values(targets)) {
        if (t.doneAt === undefined && (await count(t.filter)) >= t.expected) {
          t.doneAt = performance.now();
        }
      }
      await sleep(200);
    }
    loading = false;
    await changes;

    const from = connectedAt || started;
    const total =
      (Math.max(...Object.values(targets).map(t => t.doneAt!)) - from) / 1000;
    const entities = blueprintCount + SOVEREIGNS + VOUCHERS;
    if (!changing) {
      for (const [name, t] of Object.entries(targets)) {
        printFigure(
          `catalog-ingest-${db}-${name}-queryable`,
          (t.doneAt! - from) / 1000,
          'seconds',
        );
      }
      printFigure(`catalog-ingest-${db}-total`, total, 'seconds');
      printFigure(
        `catalog-ingest-${db}-rate`,
        entities / total,
        'entities/s',
        1,
      );
      printFigure(`catalog-ingest-${db}-floor-total`, floorSeconds, 'seconds');
      printFigure(
        `catalog-ingest-${db}-floor-rate`,
        entities / floorSeconds,
        'entities/s',
        1,
      );
      printFigure(`catalog-ingest-${db}-vs-floor`, total / floorSeconds, 'x');
      return;
    }
    printFigure(`catalog-ingest-${db}-total-while-changing`, total, 'seconds');
    printFigure(
      `catalog-change-visible-under-load-${db}-p50`,
      percentile(changeLatencies, 50) / 1000,
      'seconds',
    );
    printFigure(
      `catalog-change-visible-under-load-${db}-p95`,
      percentile(changeLatencies, 95) / 1000,
      'seconds',
    );
    printFigure(
      `catalog-change-visible-under-load-${db}-max`,
      Math.max(...changeLatencies) / 1000,
      'seconds',
    );
    printFigure(
      `catalog-change-visible-under-load-${db}-samples`,
      changeLatencies.length,
      'changes',
      0,
    );

    // Event-driven changes: DELTAS Sovereigns move to `failed`; time until the catalog shows all of them.
    const deltaStart = performance.now();
    for (let i = 0; i < DELTAS; i++) {
      await events.publish({
        topic: 'catalyst.sovereign',
        eventPayload: { action: 'upsert', record: sovereign(i, 'failed') },
      });
    }
    for (;;) {
      if (Date.now() > deadline)
        throw new Error('delta changes did not arrive');
      if ((await count('kind=sovereign,spec.phase=failed')) >= DELTAS) break;
      await sleep(100);
    }
    const deltaSeconds = (performance.now() - deltaStart) / 1000;
    printFigure(
      `catalog-delta-${db}-${DELTAS}-sovereign-changes`,
      deltaSeconds,
      'seconds',
    );
    printFigure(
      `catalog-delta-${db}-rate`,
      DELTAS / deltaSeconds,
      'entities/s',
      1,
    );
  } finally {
    await catalog.stop();
  }
}

async function main() {
  const data = loadCatalystData();
  const entities =
    data.components.components.length +
    data.bootstrapKit.entries.filter(e => !e.component).length +
    SOVEREIGNS +
    VOUCHERS;
  for (const db of DATABASES) {
    const floorSeconds = await floor(db, entities);
    await catalyst(db, floorSeconds, false);
    await catalyst(db, floorSeconds, true);
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
