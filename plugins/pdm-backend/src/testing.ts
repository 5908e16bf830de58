/**
 * Test doubles and tools for tests and benchmarks outside this package, published as
 * `@catalyst/plugin-pdm-backend/testing` and never from the package index, so production code cannot reach them:
 * the local fakes of the five registrar APIs, and real ACME for DNS-01 (Debian's pebble as the ACME server, lego
 * as the client; bench/dns01-acme.bench.ts).
 *
 * @packageDocumentation
 */
export * from './registrars/testing';
export {
  ACME_TOOLS,
  legoObtain,
  missingAcmeTools,
  Pebble,
} from './dns01/testing';
export type { LegoResult, TsigKey } from './dns01/testing';
