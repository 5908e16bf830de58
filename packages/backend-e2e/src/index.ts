/**
 * End-to-end tests across the Catalyst backend plugins live in this package's src/; its entry point gives the
 * benchmarks in bench/ the same in-process backend and helpers, so neither they nor any plugin reach into a
 * plugin's src/.
 *
 * @packageDocumentation
 */
export {
  GiveUpWaiting,
  ProvisioningTestBackend,
  powerDnsFromEnv,
} from './harness/ProvisioningTestBackend';
export type {
  FinishedTask,
  ModuleVariant,
  PowerDnsTarget,
  ProvisioningTestBackendOptions,
  TaskEvent,
} from './harness/ProvisioningTestBackend';
export {
  entityNameOf,
  fqdnOf,
  provisionValues,
  randomLabel,
  SANDBOX_HETZNER_TOKEN,
} from './harness/sovereignParameters';
export type { DomainInput } from './harness/sovereignParameters';
export {
  cloneRepo,
  dig,
  remoteHead,
  servesZone,
} from './harness/externalChecks';
export type { ClonedRepo } from './harness/externalChecks';
export { median, percentile, printFigure } from './bench/figures';
export { eventually, plainComponent } from './harness/catalog';
