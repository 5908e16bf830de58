import fs from 'node:fs/promises';
import path from 'node:path';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createTofuApplyAction } from '../actions/tofuApply';
import {
  makeTempDir,
  sandboxVariant,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from './tofuTestFixtures';
import { tofuEnvironment } from './TofuRun';
import { sovereignWorkDirName } from './TofuWorkspace';

// Integration test: real terraform on a sandbox variant whose local-exec provisioner records its environment.

jest.setTimeout(120_000);

/** Secrets the backend process holds that must never reach tofu, its providers or its provisioners. */
const BACKEND_SECRETS: Record<string, string> = {
  GITHUB_TOKEN: 'ghp_backend_secret_0123456789',
  POSTGRES_PASSWORD: 'backend-db-password-0123',
  PDNS_API_KEY: 'backend-pdns-key-0123',
  CATALYST_VOUCHER_KEY: 'backend-voucher-key-0123',
  AUTH_GITHUB_CLIENT_SECRET: 'backend-oauth-secret-0123',
  TF_VAR_hcloud_token: 'inherited-tf-var-0123',
  PGPASSWORD: 'inherited-pg-password-0123',
};

describe('the environment of a tofu run', () => {
  it('is built from an allow-list, the run secrets and its own settings', () => {
    const env = tofuEnvironment(
      { PATH: '/usr/bin', HOME: '/home/catalyst', ...BACKEND_SECRETS },
      { TF_VAR_hcloud_token: 'run-token' },
      { stateBackend: 'pg', pgConnectionString: 'postgres://state' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/catalyst',
      TF_VAR_hcloud_token: 'run-token',
      TF_IN_AUTOMATION: 'true',
      TF_INPUT: 'false',
      CHECKPOINT_DISABLE: '1',
      PG_CONN_STR: 'postgres://state',
    });
  });

  it("keeps the backend's secrets away from terraform and the processes it starts (terraform, integration)", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, BACKEND_SECRETS);
    try {
      const workDir = await makeTempDir('env');
      const fqdn = uniqueFqdn('env');
      const modulePath = await sandboxVariant({
        'envdump.tf': [
          'resource "terraform_data" "envdump" {',
          '  provisioner "local-exec" {',
          '    command = "env > ${path.module}/provisioner-env.txt"',
          '  }',
          '}',
          '',
        ].join('\n'),
      });
      const action = createTofuApplyAction({
        config: tofuTestConfig({ modulePath, workDir }),
      });
      const hetznerToken = 'run-hetzner-token-0123456789abcdef';
      const { ctx } = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets: { hetznerToken },
      });
      await action.handler(ctx);
      const seen = await fs.readFile(
        path.join(workDir, sovereignWorkDirName(fqdn), 'provisioner-env.txt'),
        'utf8',
      );
      for (const [name, value] of Object.entries(BACKEND_SECRETS)) {
        expect({ name, leaked: seen.includes(value) }).toEqual({
          name,
          leaked: false,
        });
      }
      // What the run is meant to pass does arrive.
      expect(seen).toMatch(/^TF_IN_AUTOMATION=true$/m);
      expect(seen).toMatch(/^PATH=/m);
    } finally {
      for (const name of Object.keys(BACKEND_SECRETS)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
