import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BACKEND_OVERRIDE_FILE,
  sovereignWorkDirName,
  stageTofuWorkspace,
  stateSchemaName,
  TFVARS_FILE,
} from './TofuWorkspace';
import { TofuSettings } from './TofuSettings';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sandboxVariant,
} from './tofuTestFixtures';

const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe('stageTofuWorkspace', () => {
  it('names the workdir and the pg schema injectively after the FQDN', () => {
    expect(sovereignWorkDirName('omantel.omani.works')).toBe(
      'omantel-omani-works',
    );
    expect(stateSchemaName('om-tel.omani.works')).toBe(
      'catalyst_om__tel_omani_works',
    );
    // These two shared one directory and one schema before.
    expect(sovereignWorkDirName('x.omani.works')).not.toBe(
      sovereignWorkDirName('x-omani.works'),
    );
    expect(stateSchemaName('x.omani.works')).not.toBe(
      stateSchemaName('x-omani.works'),
    );
  });

  it('stages the module privately, skips unchanged files and drops files gone from the module', async () => {
    const workDir = await makeTempDir('stage');
    const modulePath = await sandboxVariant({
      'extra.tf': 'locals {\n  extra = 1\n}\n',
    });
    const settings: TofuSettings = {
      binary: 'terraform',
      modulePath,
      workDir,
      stateBackend: 'pg',
      pgConnectionString: 'postgres://x',
      timeoutMs: 1000,
      killGracePeriodMs: 1000,
    };
    const first = await stageTofuWorkspace({
      settings,
      fqdn: 'omantel.omani.works',
      variables: { sovereign_fqdn: 'omantel.omani.works' },
    });
    const dir = path.join(workDir, 'omantel-omani-works');
    expect(first.dir).toBe(dir);
    expect(await mode(dir)).toBe(0o700);
    expect(first.written).toEqual(
      expect.arrayContaining([
        'main.tf',
        'cloudinit-worker.tftpl',
        'extra.tf',
        BACKEND_OVERRIDE_FILE,
        TFVARS_FILE,
      ]),
    );
    for (const name of first.written) {
      expect(await mode(path.join(dir, name))).toBe(0o600);
    }
    // The sandbox links the Hetzner templates: the copy holds their content, not a link.
    expect(
      (
        await fs.lstat(path.join(dir, 'cloudinit-worker.tftpl'))
      ).isSymbolicLink(),
    ).toBe(false);
    expect(
      await fs.readFile(path.join(dir, 'cloudinit-worker.tftpl'), 'utf8'),
    ).toBe(
      await fs.readFile(
        path.join(SANDBOX_MODULE, 'cloudinit-worker.tftpl'),
        'utf8',
      ),
    );
    expect(
      await fs.readFile(path.join(dir, BACKEND_OVERRIDE_FILE), 'utf8'),
    ).toContain('backend "pg" {}');
    expect(
      JSON.parse(await fs.readFile(path.join(dir, TFVARS_FILE), 'utf8')),
    ).toEqual({
      sovereign_fqdn: 'omantel.omani.works',
    });

    await fs.rm(path.join(modulePath, 'extra.tf'));
    const second = await stageTofuWorkspace({
      settings: { ...settings, stateBackend: 'local' },
      fqdn: 'omantel.omani.works',
      variables: { sovereign_fqdn: 'omantel.omani.works' },
    });
    expect(second.written).toEqual([BACKEND_OVERRIDE_FILE]);
    expect(second.unchanged).toEqual(
      expect.arrayContaining(['main.tf', 'variables.tf', TFVARS_FILE]),
    );
    expect(second.removed).toEqual(['extra.tf']);
    expect(
      await fs.readFile(path.join(dir, BACKEND_OVERRIDE_FILE), 'utf8'),
    ).toContain('backend "local" {}');
  });
});
