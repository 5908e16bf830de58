/**
 * PDM benchmark: N reserve → commit → release cycles through a real PDM plugin instance (HTTP, on
 * SQLite and on PostgreSQL), and the same zone operations sent straight to PowerDNS, in one run.
 *
 *   source .data/dev-test/env.sh
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/pdm.bench.ts
 *
 * Env: CATALYST_TEST_PDNS_URL / _API_KEY (required), BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (optional; without it the PostgreSQL figures are skipped), PDM_BENCH_CYCLES (default 50, max 1000).
 * Prints `BENCH\t<name>\t<value>\t<unit>` lines. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import pdmPlugin, { PowerDnsClient } from '@catalyst/plugin-pdm-backend';

const PDNS_URL = process.env.CATALYST_TEST_PDNS_URL;
const PDNS_KEY = process.env.CATALYST_TEST_PDNS_API_KEY;
const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const CYCLES = Math.min(
  Math.max(Number(process.env.PDM_BENCH_CYCLES ?? 50) || 50, 1),
  1000,
);
const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'];

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

async function measure(cycle: (i: number) => Promise<void>): Promise<Result> {
  await cycle(-1); // warm-up, not counted
  const durations: number[] = [];
  const start = performance.now();
  for (let i = 0; i < CYCLES; i++) {
    const t0 = performance.now();
    await cycle(i);
    durations.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  durations.sort((a, b) => a - b);
  return {
    perSecond: (CYCLES * 1000) / total,
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
  };
}

function print(name: string, result: Result) {
  const line = (metric: string, value: number, unit: string) =>
    process.stdout.write(
      `BENCH\t${name} ${metric}\t${value.toFixed(2)}\t${unit}\n`,
    );
  line('throughput', result.perSecond, 'cycles/s');
  line('p50', result.p50, 'ms');
  line('p99', result.p99, 'ms');
}

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${res.status}: ${await res.text()}`,
    );
  }
  return res.json();
}

async function benchPdm(knex: Knex, dns: PowerDnsClient): Promise<Result> {
  const pool = `b${randomBytes(5).toString('hex')}.test`;
  const backend = await startTestBackend({
    features: [
      pdmPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          pdm: {
            powerdns: { baseUrl: PDNS_URL, apiKey: PDNS_KEY },
            poolDomains: [pool],
            nameservers: NAMESERVERS,
          },
        },
      }),
    ],
  });
  const address = backend.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}/api/pdm/v1/pool/${pool}`;
  const headers = { 'Content-Type': 'application/json' };
  try {
    return await measure(async i => {
      const subdomain = `s${i + 1}x`;
      const reservation = await expectStatus(
        await fetch(`${base}/reserve`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ subdomain, createdBy: 'bench' }),
        }),
        201,
        'reserve',
      );
      await expectStatus(
        await fetch(`${base}/commit`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            subdomain,
            reservationToken: reservation.reservationToken,
            sovereignFQDN: `${subdomain}.${pool}`,
            loadBalancerIP: '192.0.2.10',
          }),
        }),
        200,
        'commit',
      );
      await expectStatus(
        await fetch(`${base}/release`, {
          method: 'DELETE',
          headers,
          body: JSON.stringify({ subdomain }),
        }),
        200,
        'release',
      );
    });
  } finally {
    await backend.stop();
    await dns.deleteZone(pool);
  }
}

/** The same zone work PDM does per cycle, with no database and no HTTP layer of ours. */
async function benchDirect(dns: PowerDnsClient): Promise<Result> {
  const pool = `d${randomBytes(5).toString('hex')}.test`;
  await dns.createZone(pool, NAMESERVERS);
  await dns.enableDnssec(pool);
  try {
    return await measure(async i => {
      const zone = `s${i + 1}x.${pool}`;
      await dns.createZone(zone, NAMESERVERS);
      const ds = await dns.enableDnssec(zone);
      await dns.patchRRSets(pool, [
        {
          name: zone,
          type: 'NS',
          ttl: 3600,
          changetype: 'REPLACE',
          records: NAMESERVERS.map(n => `${n}.`),
        },
        {
          name: zone,
          type: 'DS',
          ttl: 3600,
          changetype: 'REPLACE',
          records: ds,
        },
      ]);
      await dns.patchRRSets(
        zone,
        ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'].map(prefix => ({
          name: `${prefix}${zone}`,
          type: 'A',
          ttl: 300,
          changetype: 'REPLACE' as const,
          records: ['192.0.2.10'],
        })),
      );
      await dns.deleteZone(zone);
      await dns.removeNSDelegation(pool, zone);
    });
  } finally {
    await dns.deleteZone(pool);
  }
}

async function withPostgres<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: PG });
  const name = `pdm_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(PG!);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.destroy();
  }
}

async function main() {
  if (!PDNS_URL || !PDNS_KEY) {
    throw new Error(
      'CATALYST_TEST_PDNS_URL and CATALYST_TEST_PDNS_API_KEY must be set (source .data/dev-test/env.sh)',
    );
  }
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(PDNS_URL)) {
    throw new Error('the benchmark only talks to a PowerDNS on loopback');
  }
  const dns = new PowerDnsClient({ baseUrl: PDNS_URL, apiKey: PDNS_KEY });

  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const onSqlite = await benchPdm(sqlite, dns).finally(() => sqlite.destroy());
  print('pdm reserve-commit-release sqlite', onSqlite);

  let onPostgres: Result | undefined;
  if (PG) {
    onPostgres = await withPostgres(knex => benchPdm(knex, dns));
    print('pdm reserve-commit-release postgres', onPostgres);
  }

  const direct = await benchDirect(dns);
  print('powerdns direct zone cycle', direct);

  const ratio = (name: string, pdm: Result) =>
    process.stdout.write(
      `BENCH\t${name}\t${(direct.perSecond / pdm.perSecond).toFixed(2)}\tx\n`,
    );
  ratio('pdm sqlite overhead (direct cycles/s ÷ pdm cycles/s)', onSqlite);
  if (onPostgres) {
    ratio('pdm postgres overhead (direct cycles/s ÷ pdm cycles/s)', onPostgres);
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`pdm bench failed: ${error.message}\n`);
    process.exit(1);
  },
);
