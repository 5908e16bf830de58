/**
 * Catalog ingestion benchmark: a real catalog backend (in-memory SQLite) with the Catalyst catalog module
 * ingests the full Blueprint catalog, 1,000 Sovereigns and 10,000 Vouchers published by the providers
 * (catalyst-blueprints, catalyst-sovereigns, catalyst-vouchers), timed until every entity is queryable
 * through the catalog's HTTP API. Then it times 100 Sovereign changes delivered as events (delta mutations).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/catalog-ingest.bench.ts
 *
 * Env: CATALOG_BENCH_SOVEREIGNS (default 1000), CATALOG_BENCH_VOUCHERS (default 10000).
 * Prints `BENCH\t<name>\t<value>\t<unit>` lines.
 */
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
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

const SOVEREIGNS = Number(process.env.CATALOG_BENCH_SOVEREIGNS ?? 1000);
const VOUCHERS = Number(process.env.CATALOG_BENCH_VOUCHERS ?? 10_000);
const DELTAS = 100;

function sovereign(
  i: number,
  phase: SovereignRecord['phase'] = 'ready',
): SovereignRecord {
  const fqdn = `tenant${i}.omani.works`;
  return {
    name: `tenant${i}-omani-works`,
    fqdn,
    organization: `Tenant ${i}`,
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

async function main() {
  const data = loadCatalystData();
  const sovereigns = Array.from({ length: SOVEREIGNS }, (_, i) => sovereign(i));
  const vouchers = Array.from({ length: VOUCHERS }, (_, i) => voucher(i));
  let events!: EventsService;
  let connectedAt = 0;

  // Each provider's resync runs as soon as it connects, like the real scheduler's first run.
  const immediateRunner = {
    run: async ({ fn }: { fn: () => Promise<void> | void }) => {
      await fn();
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
          events: eventsServiceRef,
        },
        async init({ catalog, logger, events: ev }) {
          connectedAt = performance.now();
          catalog.addProcessor(new CatalystEntitiesProcessor());
          catalog.addEntityProvider(
            new BlueprintEntityProvider(data, {
              owner: 'group:default/openova',
              logger,
            }),
            createSovereignEntityProvider({
              source: { list: async () => sovereigns },
              events: ev,
              taskRunner: immediateRunner,
              logger,
            }),
            createVoucherEntityProvider({
              source: { list: async () => vouchers },
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
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      benchModule,
      probe,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: { events: { useEventBus: 'never' } },
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
  while (Object.values(targets).some(t => t.doneAt === undefined)) {
    if (Date.now() > deadline)
      throw new Error('catalog did not ingest everything within 30 minutes');
    for (const t of Object.values(targets)) {
      if (t.doneAt === undefined && (await count(t.filter)) >= t.expected) {
        t.doneAt = performance.now();
      }
    }
    await new Promise(r => setTimeout(r, 200));
  }
  const from = connectedAt || started;
  const total = Math.max(...Object.values(targets).map(t => t.doneAt!)) - from;
  const entities = blueprintCount + SOVEREIGNS + VOUCHERS;
  for (const [name, t] of Object.entries(targets)) {
    console.log(
      `BENCH\tcatalog-ingest-${name}-queryable\t${(
        (t.doneAt! - from) /
        1000
      ).toFixed(2)}\tseconds`,
    );
  }
  console.log(
    `BENCH\tcatalog-ingest-total\t${(total / 1000).toFixed(2)}\tseconds`,
  );
  console.log(
    `BENCH\tcatalog-ingest-rate\t${(entities / (total / 1000)).toFixed(
      1,
    )}\tentities/s`,
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
    if (Date.now() > deadline) throw new Error('delta changes did not arrive');
    if ((await count('kind=sovereign,spec.phase=failed')) >= DELTAS) break;
    await new Promise(r => setTimeout(r, 100));
  }
  const deltaSeconds = (performance.now() - deltaStart) / 1000;
  console.log(
    `BENCH\tcatalog-delta-${DELTAS}-sovereign-changes\t${deltaSeconds.toFixed(
      2,
    )}\tseconds`,
  );
  console.log(
    `BENCH\tcatalog-delta-rate\t${(DELTAS / deltaSeconds).toFixed(
      1,
    )}\tentities/s`,
  );

  await backend.stop();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
