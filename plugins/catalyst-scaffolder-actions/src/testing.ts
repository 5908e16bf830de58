/**
 * For tests and benchmarks outside this package (bench/tofu-overhead.bench.ts), published as
 * `@catalyst/plugin-scaffolder-backend-module-catalyst/testing` and never from the package index: the
 * `catalyst:tofu:apply` action to run without a scaffolder, the module variables and environment it derives from
 * an action input (to run the same module by hand), and the tofu fixtures this package's own tests use (the
 * repository's modules, a config pointing the actions at them, an example input).
 *
 * @packageDocumentation
 */
export { createTofuApplyAction } from './actions/tofuApply';
export { parseSovereignTofuInput } from './tofu/sovereignTofuInput';
export type {
  SovereignTofuInput,
  SovereignTofuRunInput,
} from './tofu/sovereignTofuInput';
export {
  HETZNER_MODULE,
  makeTempDir,
  REPO_ROOT,
  SANDBOX_MODULE,
  sandboxVariant,
  sovereignInput,
  TEST_BINARY,
  tofuTestConfig,
  uniqueFqdn,
} from './tofu/tofuTestFixtures';
