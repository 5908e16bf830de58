/**
 * DNS-01 benchmark: time from a Sovereign's key creation (a pool reserve through a real PDM plugin instance) to an
 * issued wildcard certificate for `*.<fqdn>` and `<fqdn>`, with Debian's pebble as the ACME server and lego's
 * rfc2136 provider as the client, against the real PowerDNS (docs/tls.md).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/dns01-acme.bench.ts
 *
 * Env: CATALYST_TEST_PDNS_URL / _API_KEY / _DNS_PORT (required), DNS01_BENCH_RUNS (default 3, max 10).
 * Needs pebble, lego and openssl on PATH. Prints `BENCH\t<name>\t<value>\t<unit>` lines. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import pdmPlugin, { PowerDnsClient } from '@catalyst/plugin-pdm-backend';
import { Pebble, legoObtain } from '@catalyst/plugin-pdm-backend/testing';
import { median, printFigure } from '@catalyst/backend-e2e';

const PDNS_URL = process.env.CATALYST_TEST_PDNS_URL;
const PDNS_KEY = process.env.CATALYST_TEST_PDNS_API_KEY;
const DNS_PORT = Number(process.env.CATALYST_TEST_PDNS_DNS_PORT);
const RUNS = Math.min(
  Math.max(Number(process.env.DNS01_BENCH_RUNS ?? 3) || 3, 1),
  10,
);

async function main() {
  if (!PDNS_URL || !PDNS_KEY || !DNS_PORT) {
    throw new Error(
      'Set CATALYST_TEST_PDNS_URL, CATALYST_TEST_PDNS_API_KEY and CATALYST_TEST_PDNS_DNS_PORT',
    );
  }
  const pool = `b${randomBytes(5).toString('hex')}.test`;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      pdmPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          pdm: {
            powerdns: { baseUrl: PDNS_URL, apiKey: PDNS_KEY },
            poolDomains: [pool],
            nameservers: [`ns1.${pool}`],
            dns01: { nameserver: `127.0.0.1:${DNS_PORT}` },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}/api/pdm/v1`;
  const headers = {
    'Content-Type': 'application/json',
    Authorization: mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:scaffolder'),
      targetPluginId: 'pdm',
    }),
  };
  const dns = new PowerDnsClient({ baseUrl: PDNS_URL, apiKey: PDNS_KEY });
  const pebble = await Pebble.start(DNS_PORT);
  const totals: number[] = [];
  const legoTimes: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const subdomain = `c${i}x`;
      const fqdn = `${subdomain}.${pool}`;
      const started = performance.now();
      const reserved = await fetch(`${base}/pool/${pool}/reserve`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ subdomain }),
      });
      if (reserved.status !== 201) {
        throw new Error(`reserve answered ${reserved.status}`);
      }
      const key = await fetch(`${base}/dns01/${fqdn}/key`, { headers });
      if (key.status !== 200) throw new Error(`key answered ${key.status}`);
      const result = await legoObtain({
        pebble,
        dnsPort: DNS_PORT,
        key: await key.json(),
        domains: [`*.${fqdn}`, fqdn],
      });
      if (!result.ok || !result.certificate) {
        throw new Error(`lego failed:\n${result.output}`);
      }
      totals.push(performance.now() - started);
      legoTimes.push(result.elapsedMs);
      await fetch(`${base}/pool/${pool}/release`, {
        method: 'DELETE',
        headers,
        body: JSON.stringify({ subdomain }),
      });
    }
  } finally {
    await pebble.stop();
    await backend.stop();
    await dns.deleteZone(pool);
    await knex.destroy();
  }
  printFigure(
    'key creation to wildcard certificate (median)',
    median(totals) / 1000,
    's',
  );
  printFigure(
    'key creation to wildcard certificate (max)',
    Math.max(...totals) / 1000,
    's',
  );
  printFigure('lego run (median)', median(legoTimes) / 1000, 's');
  printFigure('runs', RUNS, 'count');
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
