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
import {
  createTofuApplyAction,
  makeTempDir,
  parseSovereignTofuInput,
  SANDBOX_MODULE,
  sovereignInput,
  TEST_BINARY,
  tofuTestConfig,
  uniqueFqdn,
} from '@catalyst/plugin-scaffolder-backend-module-catalyst/testing';
import { median, printFigure } from '@catalyst/backend-e2e';

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
  printFigure('tofu_direct_init_plan_apply_median', d, 'ms', 0);
  printFigure('tofu_action_init_plan_apply_median', a, 'ms', 0);
  printFigure('tofu_action_overhead_ratio', a / d, 'ratio', 3);
  printFigure('tofu_action_overhead_median', a - d, 'ms', 0);
  printFigure('tofu_rounds', ROUNDS, 'count', 0);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
