/**
 * Voucher redemption benchmark on PostgreSQL: 50 concurrent clients redeem through the VoucherStore (the
 * same statements the /v1/vouchers/redeem route runs: the voucher read, then one statement that claims one of
 * the voucher's redemption slots and writes the redemption row, credit ledger entry and Organization row).
 *
 * Two workloads:
 * - `hot`: every client redeems the same unlimited campaign code (they share the voucher's slots);
 * - `spread`: each redemption uses its own single-use generated code (the usual case, and the floor `hot` is
 *   compared with: the same work without a shared row).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/voucher-redeem.bench.ts
 *
 * Env: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (required), VOUCHER_BENCH_REDEMPTIONS (per
 * workload, default 2000, max 20000). Prints `BENCH\t<name>\t<value>\t<unit>` lines.
 */
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import {
  generateVoucherCode,
  hashVoucherCode,
  maskVoucherCode,
  VoucherStore,
} from '@catalyst/plugin-catalyst-backend/testing';

const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const CLIENTS = 50;
const REDEMPTIONS = Math.min(
  Math.max(
    Number(process.env.VOUCHER_BENCH_REDEMPTIONS ?? 2000) || 2000,
    CLIENTS,
  ),
  20_000,
);
const KEY = randomBytes(32).toString('hex');
const SOVEREIGN = 'sovereign:default/bench-example-com';

function bench(name: string, value: number, unit: string) {
  process.stdout.write(`BENCH\t${name}\t${value.toFixed(2)}\t${unit}\n`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function issue(
  store: VoucherStore,
  codes: string[],
  maxRedemptions: number,
) {
  for (let i = 0; i < codes.length; i += 500) {
    await store.issue({
      sovereign: SOVEREIGN,
      creditMinor: 100_000,
      currency: 'OMR',
      description: 'bench',
      expiresAt: null,
      maxRedemptions,
      issuedBy: 'user:default/bench',
      codes: codes.slice(i, i + 500).map(code => ({
        hash: hashVoucherCode(KEY, code),
        masked: maskVoucherCode(code),
        kind: 'generated' as const,
      })),
    });
  }
}

/** Runs `total` redemptions from CLIENTS concurrent loops; returns throughput and latencies. */
async function run(
  store: VoucherStore,
  codeFor: (i: number) => string,
  prefix: string,
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < REDEMPTIONS; i = next++) {
        const t0 = performance.now();
        const result = await store.redeem({
          codeHash: hashVoucherCode(KEY, codeFor(i)),
          sovereign: SOVEREIGN,
          customer: `user:default/${prefix}-${i}`,
          organization: { slug: `${prefix}-org-${i}`, name: `Org ${i}` },
          organizationRef: `group:bench-example-com/${prefix}-org-${i}`,
        });
        latencies.push(performance.now() - t0);
        if (!result.ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (failures)
    throw new Error(`${prefix}: ${failures} redemptions were refused`);
  return { perSecond: REDEMPTIONS / seconds, latencies };
}

async function withPostgres<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: PG });
  const name = `voucher_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(PG!);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 20 },
  });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.destroy();
  }
}

async function main() {
  if (!PG) {
    throw new Error(
      'Set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (source .data/dev-test/env.sh)',
    );
  }
  await withPostgres(async knex => {
    const store = await VoucherStore.create(mockServices.database({ knex }));

    const campaign = generateVoucherCode();
    await issue(store, [campaign], 0);
    const hot = await run(store, () => campaign, 'hot');
    const [counted] = await knex('catalyst_voucher_slots as s')
      .join('catalyst_vouchers as v', 'v.id', 's.voucher_id')
      .where('v.code_hash', hashVoucherCode(KEY, campaign))
      .sum({ n: 's.used' });
    if (Number(counted.n) !== REDEMPTIONS) {
      throw new Error(`hot: counter is ${counted.n}, expected ${REDEMPTIONS}`);
    }
    bench('voucher_redeem_hot_code_pg', hot.perSecond, 'redemptions/s');
    bench(
      'voucher_redeem_hot_code_pg_p50',
      percentile(hot.latencies, 50),
      'ms',
    );
    bench(
      'voucher_redeem_hot_code_pg_p99',
      percentile(hot.latencies, 99),
      'ms',
    );

    const codes = Array.from({ length: REDEMPTIONS }, () =>
      generateVoucherCode(),
    );
    await issue(store, codes, 1);
    const spread = await run(store, i => codes[i], 'spread');
    bench(
      'voucher_redeem_distinct_codes_pg',
      spread.perSecond,
      'redemptions/s',
    );
    bench(
      'voucher_redeem_distinct_codes_pg_p50',
      percentile(spread.latencies, 50),
      'ms',
    );
    bench(
      'voucher_redeem_distinct_codes_pg_p99',
      percentile(spread.latencies, 99),
      'ms',
    );
    // The floor: the same redemptions without a shared row (each code is redeemed once).
    bench(
      'voucher_redeem_hot_vs_distinct_throughput_ratio',
      spread.perSecond / hot.perSecond,
      'x',
    );
    bench(
      'voucher_redeem_hot_vs_distinct_p99_ratio',
      percentile(hot.latencies, 99) / percentile(spread.latencies, 99),
      'x',
    );
    bench('voucher_redeem_clients', CLIENTS, 'clients');
  });
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
