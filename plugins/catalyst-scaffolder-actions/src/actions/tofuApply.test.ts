import { sovereignEntityName } from '@catalyst/plugin-catalyst-common';
import { ConflictError } from '@backstage/errors';
import execa from 'execa';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createActionTestEnvironment } from '../__testUtils__/actionTestEnvironment';
import {
  dropSchema,
  listFiles,
  makeTempDir,
  pgConnectionString,
  SANDBOX_MODULE,
  sandboxVariant,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from '../tofu/tofuTestFixtures';
import { createTofuApplyAction } from './tofuApply';
import { createTofuDestroyAction } from './tofuDestroy';
import { sovereignWorkDirName, stateSchemaName } from '../tofu/TofuWorkspace';

// Integration test: runs the real terraform binary on infra/sandbox (local state and PostgreSQL state).

const HCLOUD_TOKEN = `hcloud-${'s3cr3t'.repeat(11)}`;
const secrets = { hetznerToken: HCLOUD_TOKEN };

/** A resource that keeps tofu busy until it is interrupted; the marker finds its child process. */
const slowResource = (marker: string) => `
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 120 # ${marker}"
  }
}
`;

async function processesWith(marker: string): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid,args']);
  return stdout
    .split('\n')
    .filter(line => line.includes(marker) && !line.includes('ps -eo'));
}

async function runWithCancellation(options: {
  config: ReturnType<typeof tofuTestConfig>;
  fqdn: string;
  marker: string;
}) {
  const workspace = await makeTempDir('ws');
  const controller = new AbortController();
  const { ctx, logger } = createActionContext({
    input: sovereignInput(options.fqdn),
    workspacePath: workspace,
    secrets,
  });
  ctx.signal = controller.signal;
  const running = createTofuApplyAction({ config: options.config }).handler(
    ctx,
  );
  const seen: string[] = [];
  // Cancel as soon as the slow resource is being created: proves the lines arrive while tofu still runs.
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const lines = logger.info.mock.calls.map(c => String(c[0]));
      if (lines.some(l => l.includes('terraform_data.slow: Creating'))) {
        seen.push(...lines);
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > 60_000) {
        clearInterval(poll);
        reject(new Error('the slow resource never started'));
      }
    }, 50);
    running.catch(() => undefined);
  });
  const cancelledAt = Date.now();
  controller.abort();
  await expect(running).rejects.toThrow(/terraform apply was cancelled/);
  return { seen, elapsedMs: Date.now() - cancelledAt };
}

describe('catalyst:tofu:apply (terraform, integration)', () => {
  it('applies the sandbox with local state, streams progress and returns the outputs', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('local');
    const config = tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir });
    const { ctx, outputs, logger, logged } = createActionContext({
      input: sovereignInput(fqdn, { deploymentId: 'task-0123abcd' }),
      workspacePath: await makeTempDir('ws'),
      secrets: { ...secrets, ghcrPullToken: 'ghcr-pat-value-1234' },
      taskId: 'c0ffee00-1111-2222-3333-444455556666',
    });

    await createTofuApplyAction({ config }).handler(ctx);

    expect(outputs.controlPlaneIp).toMatch(/^198\.51\.100\.\d+$/);
    expect(outputs.loadBalancerIp).toMatch(/^203\.0\.113\.\d+$/);
    expect(outputs.consoleUrl).toBe(`https://console.${fqdn}`);
    expect(outputs.gitopsRepoUrl).toBe(
      `https://github.com/openova-io/openova//clusters/${fqdn}`,
    );
    expect(outputs.outputs).toMatchObject({
      sovereign_fqdn: fqdn,
      clusters: expect.any(Object),
    });

    const info = logger.info.mock.calls.map(c => String(c[0]));
    expect(info).toContain('Running terraform init');
    expect(
      info.some(l =>
        /Plan: 4 to add, 0 to change, 0 to destroy.*progress: 4 to add/.test(l),
      ),
    ).toBe(true);
    expect(info.some(l => /Creation complete.*\(added 1\/4\)/.test(l))).toBe(
      true,
    );
    expect(info.some(l => /\(added 4\/4\)/.test(l))).toBe(true);

    const dir = path.join(workDir, sovereignWorkDirName(fqdn));
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect(
      (await fs.stat(path.join(dir, 'tofu.auto.tfvars.json'))).mode & 0o777,
    ).toBe(0o600);
    const tfvars = JSON.parse(
      await fs.readFile(path.join(dir, 'tofu.auto.tfvars.json'), 'utf8'),
    );
    expect(tfvars).toMatchObject({
      sovereign_fqdn: fqdn,
      deployment_id: 'task-0123abcd',
      domain_mode: 'pool',
    });
    expect(tfvars).not.toHaveProperty('hcloud_token');
    expect(
      await fs.readFile(path.join(dir, 'terraform.tfstate'), 'utf8'),
    ).toContain('terraform_data');
    // The Hetzner token is in no file of the workdir (state included), no log line and no output.
    for (const file of await listFiles(dir)) {
      expect(await fs.readFile(file, 'latin1')).not.toContain(HCLOUD_TOKEN);
    }
    expect(logged()).not.toContain(HCLOUD_TOKEN);
    expect(logged()).not.toContain('ghcr-pat-value-1234');
    expect(JSON.stringify(outputs)).not.toContain(HCLOUD_TOKEN);

    // Destroy through the destroy action: the state is empty afterwards.
    const destroy = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await createTofuDestroyAction({ config }).handler(destroy.ctx);
    expect(destroy.outputs.destroyed).toBe(4);
    const state = JSON.parse(
      await fs.readFile(path.join(dir, 'terraform.tfstate'), 'utf8'),
    );
    expect(state.resources).toEqual([]);
  });

  it("hands the zone's DNS-01 key secret from PDM to the cluster bootstrap only, never to a log or an output", async () => {
    const env = await createActionTestEnvironment();
    try {
      const workDir = await makeTempDir('work');
      const fqdn = uniqueFqdn('dns01');
      const secret = Buffer.from(`tsig-${fqdn}-material`).toString('base64');
      env.apis.dns01Secrets.set(fqdn, secret);
      const config = tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir });
      const { ctx, outputs, logged } = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuApplyAction({ config, pdm: env.pdm }).handler(ctx);

      const state = JSON.parse(
        await fs.readFile(
          path.join(workDir, sovereignEntityName(fqdn), 'terraform.tfstate'),
          'utf8',
        ),
      );
      const cp1 = state.resources
        .find((r: any) => r.name === 'control_plane')
        .instances.find((i: any) => i.index_key.endsWith('-cp1'));
      expect(cp1.attributes.input.value.user_data).toContain(
        `secret: ${Buffer.from(secret).toString('base64')}`,
      );
      expect(logged()).toContain(
        `DNS-01 key dns01.${fqdn} goes to the cluster as the Secret cert-manager/catalyst-dns01-tsig`,
      );
      expect(logged()).not.toContain(secret);
      expect(JSON.stringify(outputs)).not.toContain(secret);

      // No key at PDM (the zone was never reserved or was released): the run stops before tofu starts.
      const missing = createActionContext({
        input: sovereignInput(uniqueFqdn('nokey')),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await expect(
        createTofuApplyAction({ config, pdm: env.pdm }).handler(missing.ctx),
      ).rejects.toThrow(/has no DNS-01 key/);
    } finally {
      await env.cleanup();
    }
  });

  it('does not apply twice when the task is retried with the same inputs', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('retry');
    const config = tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir });
    const checkpoints = new Map<string, unknown>();
    const action = createTofuApplyAction({ config });

    const first = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets,
      checkpoints,
    });
    await action.handler(first.ctx);
    const [key] = [...checkpoints.keys()];
    expect(key).toMatch(
      new RegExp(`^tofu-apply-${fqdn.replace(/\./g, '\\.')}-[0-9a-f]{16}$`),
    );

    const second = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets,
      checkpoints,
    });
    await action.handler(second.ctx);
    expect(second.logger.info.mock.calls.map(c => String(c[0]))).not.toContain(
      'Running terraform apply',
    );
    expect(second.outputs).toEqual(first.outputs);

    // Different inputs are a different apply.
    const third = createActionContext({
      input: sovereignInput(fqdn, { gitopsBranch: 'staging' }),
      workspacePath: await makeTempDir('ws'),
      secrets,
      checkpoints,
    });
    await action.handler(third.ctx);
    expect(third.logger.info.mock.calls.map(c => String(c[0]))).toContain(
      'Running terraform apply',
    );
    expect(checkpoints.size).toBe(2);
  });

  it("fails with tofu's own diagnostic when the module is broken", async () => {
    const modulePath = await sandboxVariant({
      'broken.tf':
        'resource "terraform_data" "broken" {\n  input = local.not_declared_anywhere\n}\n',
    });
    const config = tofuTestConfig({
      modulePath,
      workDir: await makeTempDir('work'),
    });
    const { ctx, logged } = createActionContext({
      input: sovereignInput(uniqueFqdn('broken')),
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    const error = await createTofuApplyAction({ config })
      .handler(ctx)
      .catch(e => e);
    expect(error.name).toBe('TofuCommandError');
    expect(error.message).toMatch(
      /^terraform apply failed with exit code 1: Reference to undeclared local value/,
    );
    expect(error.message).toContain(
      'A local value with the name "not_declared_anywhere" has not been declared. (broken.tf:2)',
    );
    expect(error.message).not.toContain(HCLOUD_TOKEN);
    expect(logged()).toContain('Error: Reference to undeclared local value');
  });

  it('rejects a variable the module validation refuses, naming it', async () => {
    const config = tofuTestConfig({
      modulePath: SANDBOX_MODULE,
      workDir: await makeTempDir('work'),
    });
    const input = sovereignInput(uniqueFqdn('dsa'));
    const { ctx } = createActionContext({
      input: {
        ...input,
        request: {
          ...input.request,
          sshPublicKey: 'ssh-dss AAAAB3NzaC1kc3MAAACBAP1234567890abcdefghij',
        },
      },
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await expect(
      createTofuApplyAction({ config }).handler(ctx),
    ).rejects.toThrow(
      /Invalid value for variable: ssh_public_key must be one OpenSSH line/,
    );
  });

  it('cancellation interrupts the process group and leaves no local lock behind', async () => {
    const marker = `catalyst-cancel-${Date.now()}`;
    const modulePath = await sandboxVariant({
      'slow.tf': slowResource(marker),
    });
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('cancel');
    const config = tofuTestConfig({
      modulePath,
      workDir,
      killGracePeriod: '5s',
    });

    const { elapsedMs } = await runWithCancellation({ config, fqdn, marker });
    expect(elapsedMs).toBeLessThan(15_000);
    expect(await processesWith(marker)).toEqual([]);
    const dir = path.join(workDir, sovereignWorkDirName(fqdn));
    await expect(
      fs.access(path.join(dir, '.terraform.tfstate.lock.info')),
    ).rejects.toThrow(/ENOENT/);

    // The next run on the same Sovereign is not blocked by a stale lock.
    const next = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await createTofuApplyAction({
      config: tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir }),
    }).handler(next.ctx);
    expect(next.outputs.loadBalancerIp).toMatch(/^203\.0\.113\./);
  }, 90_000);
});

const pgUrl = pgConnectionString();
if (!pgUrl && process.env.CI) {
  throw new Error(
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is required in CI for the pg state tests',
  );
}
const describePg = pgUrl ? describe : describe.skip;

describePg(
  'catalyst:tofu:apply with the pg state backend (PostgreSQL, integration)',
  () => {
    const schemas: string[] = [];
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(pgUrl!, schema);
    });
    const pgFqdn = (label: string) => {
      const fqdn = uniqueFqdn(label);
      schemas.push(stateSchemaName(fqdn));
      return fqdn;
    };

    it('keeps state in the Sovereign schema, not in the workdir, and destroys from it', async () => {
      const workDir = await makeTempDir('work');
      const fqdn = pgFqdn('pg');
      const config = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir,
        stateBackend: 'pg',
        pgConnectionString: pgUrl,
      });
      const { ctx, outputs, logged } = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuApplyAction({ config }).handler(ctx);
      expect(outputs.loadBalancerIp).toMatch(/^203\.0\.113\./);
      expect(logged()).not.toContain(pgUrl);

      const dir = path.join(workDir, sovereignWorkDirName(fqdn));
      await expect(
        fs.access(path.join(dir, 'terraform.tfstate')),
      ).rejects.toThrow(/ENOENT/);
      const schema = stateSchemaName(fqdn);
      const { stdout } = await execa('psql', [
        pgUrl!,
        '-tAc',
        `SELECT data FROM "${schema}".states WHERE name = 'default'`,
      ]);
      expect(JSON.parse(stdout).outputs.load_balancer_ip.value).toBe(
        outputs.loadBalancerIp,
      );
      expect(stdout).not.toContain(HCLOUD_TOKEN);

      const destroy = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuDestroyAction({ config }).handler(destroy.ctx);
      expect(destroy.outputs.destroyed).toBe(4);
    });

    it('two runs on one Sovereign lock each other; a cancelled run releases the lock', async () => {
      const marker = `catalyst-pg-cancel-${Date.now()}`;
      const fqdn = pgFqdn('pglock');
      const slowModule = await sandboxVariant({
        'slow.tf': slowResource(marker),
      });
      const slowConfig = tofuTestConfig({
        modulePath: slowModule,
        workDir: await makeTempDir('work'),
        stateBackend: 'pg',
        pgConnectionString: pgUrl,
      });
      // A second backend host: its own workdir, the same schema.
      const otherConfig = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
        stateBackend: 'pg',
        pgConnectionString: pgUrl,
      });

      const workspace = await makeTempDir('ws');
      const controller = new AbortController();
      const slow = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: workspace,
        secrets,
      });
      slow.ctx.signal = controller.signal;
      const running = createTofuApplyAction({ config: slowConfig }).handler(
        slow.ctx,
      );
      running.catch(() => undefined);
      await new Promise<void>(resolve => {
        const poll = setInterval(() => {
          if (
            slow.logger.info.mock.calls.some(c =>
              String(c[0]).includes('terraform_data.slow: Creating'),
            )
          ) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
      });

      const blocked = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      const lockError = await createTofuApplyAction({ config: otherConfig })
        .handler(blocked.ctx)
        .catch(e => e);
      expect(lockError).toBeInstanceOf(ConflictError);
      expect(lockError.message).toMatch(/Error acquiring the state lock/);

      controller.abort();
      await expect(running).rejects.toThrow(/was cancelled/);
      expect(await processesWith(marker)).toEqual([]);

      const after = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuApplyAction({ config: otherConfig }).handler(after.ctx);
      expect(after.outputs.loadBalancerIp).toMatch(/^203\.0\.113\./);
    }, 90_000);
  },
);
