import fs from 'node:fs';
import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Where the module's state lives: `local` = terraform.tfstate in the workdir, `pg` = PostgreSQL, one schema per Sovereign. */
export type TofuStateBackend = 'local' | 'pg';

/** `scaffolder.catalyst.tofu` from app-config, resolved once when the actions are created. */
export interface TofuSettings {
  /** Executable: `tofu` or `terraform` (a name on PATH or an absolute path). */
  binary: string;
  /** Absolute folder of the module whose `*.tf` / `*.tftpl` files are staged. */
  modulePath: string;
  /** Absolute folder under which each Sovereign gets its own working directory. */
  workDir: string;
  stateBackend: TofuStateBackend;
  /** Set only for the `pg` backend; reaches the binary as PG_CONN_STR, never argv or files. */
  pgConnectionString?: string;
  /** Upper bound of one command (init, plan, apply, output, destroy). */
  timeoutMs: number;
  /** Time between SIGINT and SIGKILL when a run is cancelled or times out. */
  killGracePeriodMs: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_KILL_GRACE_PERIOD_MS = 30 * 1000;
const SUPPORTED_BINARIES = ['tofu', 'terraform'];

function readDuration(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) {
    return fallback;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new InputError(
      `scaffolder.catalyst.tofu.${key} must be a positive duration`,
    );
  }
  return ms;
}

/**
 * Reads and checks `scaffolder.catalyst.tofu`. Fails fast with the name of the offending key, so a broken deployment does
 * not surface only when the first Sovereign is launched.
 */
export function readTofuSettings(
  rootConfig: Config,
  options: { cwd?: string } = {},
): TofuSettings {
  const cwd = options.cwd ?? process.cwd();
  const config = rootConfig.getConfig('scaffolder.catalyst.tofu');

  const binary = config.getOptionalString('binary') ?? 'tofu';
  if (!SUPPORTED_BINARIES.includes(path.basename(binary))) {
    throw new InputError(
      `scaffolder.catalyst.tofu.binary must be "tofu" or "terraform" (or an absolute path to one of them), got "${binary}"`,
    );
  }

  const modulePath = path.resolve(cwd, config.getString('modulePath'));
  let moduleFiles: string[];
  try {
    moduleFiles = fs.readdirSync(modulePath);
  } catch {
    throw new InputError(
      `scaffolder.catalyst.tofu.modulePath "${modulePath}" is not a readable folder`,
    );
  }
  if (!moduleFiles.some(name => name.endsWith('.tf'))) {
    throw new InputError(
      `scaffolder.catalyst.tofu.modulePath "${modulePath}" contains no .tf files`,
    );
  }

  const workDir = path.resolve(cwd, config.getString('workDir'));

  const stateBackend = config.getOptionalString('stateBackend') ?? 'local';
  if (stateBackend !== 'local' && stateBackend !== 'pg') {
    throw new InputError(
      `scaffolder.catalyst.tofu.stateBackend must be "local" or "pg", got "${stateBackend}"`,
    );
  }
  const pgConnectionString = config.getOptionalString('pgConnectionString');
  if (stateBackend === 'pg' && !pgConnectionString) {
    throw new InputError(
      'scaffolder.catalyst.tofu.pgConnectionString is required when scaffolder.catalyst.tofu.stateBackend is "pg"',
    );
  }

  return {
    binary,
    modulePath,
    workDir,
    stateBackend,
    pgConnectionString: stateBackend === 'pg' ? pgConnectionString : undefined,
    timeoutMs: readDuration(config, 'timeout', DEFAULT_TIMEOUT_MS),
    killGracePeriodMs: readDuration(
      config,
      'killGracePeriod',
      DEFAULT_KILL_GRACE_PERIOD_MS,
    ),
  };
}
