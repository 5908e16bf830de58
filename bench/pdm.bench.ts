/**
 * PDM benchmark: reserve → commit → release cycles through a real PDM plugin instance (HTTP, on SQLite and on
 * PostgreSQL), each side by side with its floor: the same zone operations sent straight to PowerDNS over plain HTTP
 * (no database, no PDM, no retries), with the fewest API calls that reach the same end state:
 *
 *   reserve  POST /zones (signed, rectified) · GET cryptokeys (DS) · POST /tsigkeys (DNS-01 key) ·
 *            PUT metadata ALLOW-DNSUPDATE-FROM · PUT metadata TSIG-ALLOW-DNSUPDATE · PATCH parent (NS + DS)
 *   commit   PATCH zone (the six A records)
 *   release  DELETE tsigkey · DELETE zone (its metadata and keys go with it) · PATCH parent (delete NS + DS)
 *
 * PDM reads the new zone's DS while it writes the DNS-01 key and its two metadata (docs/pdm.md, "Round trips per
 * cycle"); its writes stay one after the other, since PowerDNS's SQLite backend refuses concurrent writes. A
 * second floor, `overlapped`, sends the same calls with the same overlap, so the ratio against it is what PDM
 * itself (HTTP, database, checks) adds.
 *
 * PDM and floor cycles alternate (one of each per round, order rotating every round) so that load from elsewhere
 * on the machine hits all alike; each figure is the sum of its own cycles' times. Every request, to PDM and to
 * PowerDNS alike, goes through the same node:http keep-alive client, so each side pays the same per request.
 *
 *   source .data/dev-test/env.sh
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/pdm.bench.ts
 *
 * Env: CATALYST_TEST_PDNS_URL / _API_KEY (required), BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (optional; without it the PostgreSQL figures are skipped), PDM_BENCH_CYCLES (default 100, max 1000).
 * Prints `BENCH\t<name>\t<value>\t<unit>` lines. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import pdmPlugin from '@catalyst/plugin-pdm-backend';

const PDNS_URL = process.env.CATALYST_TEST_PDNS_URL;
const PDNS_KEY = process.env.CATALYST_TEST_PDNS_API_KEY;
const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const CYCLES = Math.min(
  Math.max(Number(process.env.PDM_BENCH_CYCLES ?? 100) || 100, 1),
  1000,
);
const NAMESERVERS = ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'];
const RECORD_PREFIXES = ['', '*.', 'console.', 'api.', 'gitea.', 'harbor.'];

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

function summarize(durations: number[]): Result {
  const total = durations.reduce((a, b) => a + b, 0);
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    perSecond: (durations.length * 1000) / total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Runs every cycle CYCLES times, rotating which goes first; answers one result per cycle, in order. */
async function measureAll(
  cycles: Array<(i: number) => Promise<void>>,
): Promise<Result[]> {
  for (const cycle of cycles) await cycle(-1); // warm-up, not counted
  const durations: number[][] = cycles.map(() => []);
  for (let i = 0; i < CYCLES; i++) {
    for (let j = 0; j < cycles.length; j++) {
      const k = (i + j) % cycles.length;
      const t0 = performance.now();
      await cycles[k](i);
      durations[k].push(performance.now() - t0);
    }
  }
  return durations.map(summarize);
}

function print(name: string, pdm: Result, floor: Result, overlapped: Result) {
  const line = (metric: string, value: number, unit: string) =>
    process.stdout.write(
      `BENCH\t${name} ${metric}\t${value.toFixed(2)}\t${unit}\n`,
    );
  line('pdm throughput', pdm.perSecond, 'cycles/s');
  line('floor (direct PowerDNS) throughput', floor.perSecond, 'cycles/s');
  line(
    'overhead (floor cycles/s ÷ pdm cycles/s)',
    floor.perSecond / pdm.perSecond,
    'x',
  );
  line(
    'floor (direct PowerDNS, same overlap as pdm) throughput',
    overlapped.perSecond,
    'cycles/s',
  );
  line(
    'overhead vs overlapped floor (floor cycles/s ÷ pdm cycles/s)',
    overlapped.perSecond / pdm.perSecond,
    'x',
  );
  line('pdm p50', pdm.p50, 'ms');
  line('floor p50', floor.p50, 'ms');
  line('pdm p99', pdm.p99, 'ms');
  line('floor p99', floor.p99, 'ms');
  line('overlapped floor p50', overlapped.p50, 'ms');
  line('overlapped floor p99', overlapped.p99, 'ms');
}

/**
 * The one HTTP client of every request in this benchmark, to PDM and to PowerDNS alike: node:http with a keep-alive
 * agent (the leanest client Node has; `fetch` costs more CPU per request, which would count three extra times
 * against PDM's three requests per cycle). PDM's own PowerDNS client is the same kind.
 */
const agent = new http.Agent({ keepAlive: true });

function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers:
          payload === undefined
            ? headers
            : {
                ...headers,
                'Content-Type': 'application/json',
                'Content-Length': String(Buffer.byteLength(payload)),
              },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectStatus(
  res: { status: number; text: string },
  status: number,
  what: string,
) {
  if (res.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${res.status}: ${res.text}`,
    );
  }
  return JSON.parse(res.text);
}

/** Plain PowerDNS HTTP, as a hand-written client would send it. */
function powerDns() {
  const base = `${PDNS_URL}/api/v1/servers/localhost`;
  const headers = { 'X-API-Key': PDNS_KEY! };
  return async (
    method: string,
    path: string,
    body?: unknown,
    ok = [200, 201, 204],
  ) => {
    const { status, text } = await send(
      method,
      `${base}${path}`,
      headers,
      body,
    );
    if (!ok.includes(status)) {
      throw new Error(`powerdns ${method} ${path}: ${status} ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
}

async function createParent(pool: string) {
  const call = powerDns();
  await call('POST', '/zones', {
    name: `${pool}.`,
    kind: 'Native',
    nameservers: NAMESERVERS.map(n => `${n}.`),
    dnssec: true,
    api_rectify: true,
  });
}

async function deleteParent(pool: string) {
  await powerDns()('DELETE', `/zones/${pool}.`, undefined, [200, 204, 404]);
}

/** The floor: PDM's zone work for one cycle, straight to PowerDNS, one call after the other or overlapped. */
function directCycle(pool: string, overlap: boolean) {
  const call = powerDns();
  return async (i: number) => {
    const zone = `${overlap ? 'o' : 'd'}${i + 2}x.${pool}.`;
    const keyName = `dns01.${zone.replace(/\.$/, '')}`;
    // reserve
    await call('POST', '/zones', {
      name: zone,
      kind: 'Native',
      nameservers: NAMESERVERS.map(n => `${n}.`),
      dnssec: true,
      api_rectify: true,
    });
    const readDs = async () => {
      const keys = (await call('GET', `/zones/${zone}/cryptokeys`)) as {
        ds?: string[];
      }[];
      return keys.flatMap(k => k.ds ?? []).filter(d => d.split(' ')[2] === '2');
    };
    const dns01 = async () => {
      await call('POST', '/tsigkeys', {
        name: keyName,
        algorithm: 'hmac-sha256',
      });
      await call('PUT', `/zones/${zone}/metadata/ALLOW-DNSUPDATE-FROM`, {
        metadata: ['0.0.0.0/0', '::/0'],
      });
      await call('PUT', `/zones/${zone}/metadata/TSIG-ALLOW-DNSUPDATE`, {
        metadata: [keyName],
      });
    };
    let ds: string[];
    if (overlap) {
      [ds] = await Promise.all([readDs(), dns01()]);
    } else {
      ds = await readDs();
      await dns01();
    }
    await call('PATCH', `/zones/${pool}.`, {
      rrsets: [
        {
          name: zone,
          type: 'NS',
          ttl: 3600,
          changetype: 'REPLACE',
          records: NAMESERVERS.map(n => ({
            content: `${n}.`,
            disabled: false,
          })),
        },
        {
          name: zone,
          type: 'DS',
          ttl: 3600,
          changetype: 'REPLACE',
          records: ds.map(content => ({ content, disabled: false })),
        },
      ],
    });
    // commit
    await call('PATCH', `/zones/${zone}`, {
      rrsets: RECORD_PREFIXES.map(prefix => ({
        name: `${prefix}${zone}`,
        type: 'A',
        ttl: 300,
        changetype: 'REPLACE',
        records: [{ content: '192.0.2.10', disabled: false }],
      })),
    });
    // release
    await call('DELETE', `/tsigkeys/${keyName}.`);
    await call('DELETE', `/zones/${zone}`);
    await call('PATCH', `/zones/${pool}.`, {
      rrsets: [
        { name: zone, type: 'DS', changetype: 'DELETE' },
        { name: zone, type: 'NS', changetype: 'DELETE' },
      ],
    });
  };
}

async function benchPdm(knex: Knex): Promise<Result[]> {
  const pool = `b${randomBytes(5).toString('hex')}.test`;
  const floorPool = `f${randomBytes(5).toString('hex')}.test`;
  await createParent(floorPool);
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
  const headers = {};
  try {
    return await measureAll([
      async i => {
        const subdomain = `s${i + 1}x`;
        const reservation = await expectStatus(
          await send('POST', `${base}/reserve`, headers, {
            subdomain,
            createdBy: 'bench',
          }),
          201,
          'reserve',
        );
        await expectStatus(
          await send('POST', `${base}/commit`, headers, {
            subdomain,
            reservationToken: reservation.reservationToken,
            sovereignFQDN: `${subdomain}.${pool}`,
            loadBalancerIP: '192.0.2.10',
          }),
          200,
          'commit',
        );
        await expectStatus(
          await send('DELETE', `${base}/release`, headers, {
            subdomain,
            reservationToken: reservation.reservationToken,
          }),
          200,
          'release',
        );
      },
      directCycle(floorPool, false),
      directCycle(floorPool, true),
    ]);
  } finally {
    await backend.stop();
    await deleteParent(pool);
    await deleteParent(floorPool);
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

  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const [onSqlite, sqliteFloor, sqliteOverlapped] = await benchPdm(
    sqlite,
  ).finally(() => sqlite.destroy());
  print(
    'pdm reserve-commit-release sqlite',
    onSqlite,
    sqliteFloor,
    sqliteOverlapped,
  );

  if (PG) {
    const [onPostgres, pgFloor, pgOverlapped] = await withPostgres(knex =>
      benchPdm(knex),
    );
    print(
      'pdm reserve-commit-release postgres',
      onPostgres,
      pgFloor,
      pgOverlapped,
    );
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`pdm bench failed: ${error.message}\n`);
    process.exit(1);
  },
);
