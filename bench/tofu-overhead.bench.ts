/*
 * Overhead of catalyst:tofu:apply over running the same binary by hand on infra/sandbox: init + plan + apply
 * each way, in the same process and run, each on a fresh workdir with local state. Prints
 * `BENCH\t<name>\t<value>\t<unit>` lines.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/tofu-overhead.bench.ts   (from the repo root)
 * The action runs init, apply (which plans) and output; by hand it is init, plan -out, apply tfplan and output.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createTofuApplyAction } from '../plugins/catalyst-scaffolder-actions/src/actions/tofuApply';
import { parseSovereignTofuInput } from '../plugins/catalyst-scaffolder-actions/src/tofu/sovereignTofuInput';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sovereignInput,
  TEST_BINARY,
  tofuTestConfig,
  uniqueFqdn,
} from '../plugins/catalyst-scaffolder-actions/src/tofu/tofuTestFixtures';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const secrets = { hetznerToken: 'bench-token-0123456789abcdef' };

const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

async function direct(): Promise<number> {
  const fqdn = uniqueFqdn('direct');
  const dir = await makeTempDir('bench-direct');
  await fs.cp(SANDBOX_MODULE, dir, { recursive: true, dereference: true });
  const { variables, secretEnv } = parseSovereignTofuInput(
    sovereignInput(fqdn),
    secrets,
    'bench',
  );
  await fs.writeFile(
    path.join(dir, 'tofu.auto.tfvars.json'),
    JSON.stringify(variables),
  );
  const env = {
    ...process.env,
    ...secretEnv,
    TF_IN_AUTOMATION: 'true',
    CHECKPOINT_DISABLE: '1',
  };
  const started = process.hrtime.bigint();
  await execa(TEST_BINARY, ['init', '-input=false', '-no-color'], {
    cwd: dir,
    env,
  });
  await execa(
    TEST_BINARY,
    ['plan', '-input=false', '-no-color', '-out=tfplan'],
    { cwd: dir, env },
  );
  await execa(
    TEST_BINARY,
    ['apply', '-input=false', '-no-color', '-auto-approve', 'tfplan'],
    { cwd: dir, env },
  );
  await execa(TEST_BINARY, ['output', '-json'], { cwd: dir, env });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function viaAction(): Promise<number> {
  const fqdn = uniqueFqdn('action');
  const config = tofuTestConfig({
    modulePath: SANDBOX_MODULE,
    workDir: await makeTempDir('bench-action'),
  });
  const action = createTofuApplyAction({ config });
  const ctx: any = {
    input: sovereignInput(fqdn),
    secrets,
    logger: silentLogger,
    task: { id: 'bench' },
    workspacePath: await makeTempDir('bench-ws'),
    output() {},
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
  };
  const started = process.hrtime.bigint();
  await action.handler(ctx);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  // One warm-up each, then interleaved rounds so both see the same machine load.
  await direct();
  await viaAction();
  const directMs: number[] = [];
  const actionMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    directMs.push(await direct());
    actionMs.push(await viaAction());
  }
  const d = median(directMs);
  const a = median(actionMs);
  const print = (name: string, value: number, unit: string) =>
    process.stdout.write(`BENCH\t${name}\t${value}\t${unit}\n`);
  print('tofu_direct_init_plan_apply_median', Math.round(d), 'ms');
  print('tofu_action_init_plan_apply_median', Math.round(a), 'ms');
  print('tofu_action_overhead_ratio', Number((a / d).toFixed(3)), 'ratio');
  print('tofu_action_overhead_median', Math.round(a - d), 'ms');
  print('tofu_rounds', ROUNDS, 'count');
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
