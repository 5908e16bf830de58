import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import execa from 'execa';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exampleSovereignInput } from './exampleSovereignInput';

/*
 * Shared by the tofu tests and the benchmark: the repository's modules, a config pointing the actions at them
 * with the terraform binary on this machine, and throw-away copies of the sandbox module.
 */

export const REPO_ROOT = path.resolve(
  resolvePackagePath('@catalyst/plugin-scaffolder-backend-module-catalyst'),
  '../..',
);
export const SANDBOX_MODULE = path.join(REPO_ROOT, 'infra/sandbox');
export const HETZNER_MODULE = path.join(REPO_ROOT, 'infra/hetzner');
/** The machine has terraform only; production config says tofu. */
export const TEST_BINARY = process.env.CATALYST_TEST_TOFU_BINARY ?? 'terraform';

export async function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `catalyst-tofu-${prefix}-`));
}

export function tofuTestConfig(options: {
  modulePath: string;
  workDir: string;
  stateBackend?: 'local' | 'pg';
  pgConnectionString?: string;
  killGracePeriod?: string;
  timeout?: string;
}) {
  return new ConfigReader({
    scaffolder: {
      catalyst: {
        tofu: {
          binary: TEST_BINARY,
          modulePath: options.modulePath,
          workDir: options.workDir,
          stateBackend: options.stateBackend ?? 'local',
          ...(options.pgConnectionString
            ? { pgConnectionString: options.pgConnectionString }
            : {}),
          killGracePeriod: options.killGracePeriod ?? '5s',
          ...(options.timeout ? { timeout: options.timeout } : {}),
        },
      },
    },
  });
}

/** A Sovereign FQDN of its own per test, so workdirs and pg schemas never collide. */
export function uniqueFqdn(label: string): string {
  return `${label}-${crypto.randomBytes(4).toString('hex')}.sandbox.example`;
}

/** The example action input, re-targeted at another FQDN. */
export function sovereignInput(
  fqdn: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    ...exampleSovereignInput,
    request: { ...exampleSovereignInput.request, fqdn },
    fqdn,
    overlayPath: `clusters/${fqdn}`,
    ...overrides,
  };
}

/** A copy of the sandbox module (links resolved) with extra files, e.g. an injected error or a slow resource. */
export async function sandboxVariant(
  extraFiles: Record<string, string>,
): Promise<string> {
  const dir = await makeTempDir('module');
  await fs.cp(SANDBOX_MODULE, dir, { recursive: true, dereference: true });
  for (const [name, content] of Object.entries(extraFiles)) {
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** PostgreSQL for the pg state backend: the test database of .data/dev-test/env.sh (lib/pq needs sslmode). */
export function pgConnectionString(): string | undefined {
  const base = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!base) return undefined;
  return base.includes('sslmode=')
    ? base
    : `${base}${base.includes('?') ? '&' : '?'}sslmode=disable`;
}

export async function dropSchema(connectionString: string, schema: string) {
  await execa('psql', [
    connectionString,
    '-v',
    'ON_ERROR_STOP=1',
    '-qc',
    `DROP SCHEMA IF EXISTS "${schema}" CASCADE`,
  ]);
}

/** Lists every file under dir (recursively), for "no secret in any file" assertions. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {
    withFileTypes: true,
    recursive: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => path.join((e as any).parentPath ?? (e as any).path, e.name));
}
