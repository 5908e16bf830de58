import fs from 'node:fs/promises';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import {
  sovereignEntityName,
  sovereignStateSchemaName,
} from '@catalyst/plugin-catalyst-common';
import { TofuSettings, TofuStateBackend } from './TofuSettings';

/** Name of the variables file; it never holds a secret (those go through TF_VAR_* in the environment). */
export const TFVARS_FILE = 'tofu.auto.tfvars.json';
/** Rendered at staging time so one module serves both state backends. */
export const BACKEND_OVERRIDE_FILE = 'backend_override.tf';

const MODULE_FILE = /\.(tf|tftpl)$/;

/**
 * Working-directory name of a Sovereign: its entity name (omantel-omani-works), an injective function of the
 * FQDN, so two Sovereigns never share a directory (docs/ownership-and-keys.md).
 */
export function sovereignWorkDirName(fqdn: string): string {
  return sovereignEntityName(fqdn);
}

/** PostgreSQL schema holding a Sovereign's state and lock (catalyst_omantel_omani_works), ≤ 63 bytes, injective. */
export function stateSchemaName(fqdn: string): string {
  return sovereignStateSchemaName(fqdn);
}

function backendOverride(backend: TofuStateBackend): string {
  return `# Written by Catalyst when staging the module; edits are overwritten.\nterraform {\n  backend "${backend}" {}\n}\n`;
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a file with mode 0600 unless it already has exactly this content; true when it was written. */
async function writePrivateFile(
  file: string,
  content: Buffer | string,
): Promise<boolean> {
  const next = typeof content === 'string' ? Buffer.from(content) : content;
  const current = await readIfExists(file);
  if (current && current.equals(next)) {
    await fs.chmod(file, 0o600);
    return false;
  }
  await fs.writeFile(file, next, { mode: 0o600 });
  await fs.chmod(file, 0o600);
  return true;
}

export interface StagingReport {
  dir: string;
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Prepares `<workDir>/<fqdn-dashed>` (0700): copies the module's *.tf / *.tftpl files (0600; unchanged files are
 * left alone, files no longer in the module are removed), renders the backend override and writes the tfvars.
 * The workdir keeps `.terraform/` and, for the local backend, terraform.tfstate between runs.
 */
export async function stageTofuWorkspace(options: {
  settings: TofuSettings;
  fqdn: string;
  variables: JsonObject;
}): Promise<StagingReport> {
  const { settings, fqdn, variables } = options;
  const dir = path.join(settings.workDir, sovereignWorkDirName(fqdn));
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);

  const report: StagingReport = {
    dir,
    written: [],
    unchanged: [],
    removed: [],
  };
  const moduleFiles = new Set<string>();
  for (const name of (await fs.readdir(settings.modulePath)).sort()) {
    if (!MODULE_FILE.test(name) || name === BACKEND_OVERRIDE_FILE) continue;
    const source = path.join(settings.modulePath, name);
    // stat follows symlinks: the sandbox links the Hetzner module's cloud-init templates.
    if (!(await fs.stat(source)).isFile()) continue;
    moduleFiles.add(name);
    const written = await writePrivateFile(
      path.join(dir, name),
      await fs.readFile(source),
    );
    (written ? report.written : report.unchanged).push(name);
  }

  for (const name of await fs.readdir(dir)) {
    if (
      MODULE_FILE.test(name) &&
      name !== BACKEND_OVERRIDE_FILE &&
      !moduleFiles.has(name)
    ) {
      await fs.rm(path.join(dir, name), { force: true });
      report.removed.push(name);
    }
  }

  const backendWritten = await writePrivateFile(
    path.join(dir, BACKEND_OVERRIDE_FILE),
    backendOverride(settings.stateBackend),
  );
  (backendWritten ? report.written : report.unchanged).push(
    BACKEND_OVERRIDE_FILE,
  );

  const tfvarsWritten = await writePrivateFile(
    path.join(dir, TFVARS_FILE),
    `${JSON.stringify(variables, null, 2)}\n`,
  );
  (tfvarsWritten ? report.written : report.unchanged).push(TFVARS_FILE);

  return report;
}
