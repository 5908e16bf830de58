import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createActionContext } from './__testUtils__/createActionContext';
import { createTofuApplyAction } from './actions/tofuApply';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from './tofu/tofuTestFixtures';
import {
  userFacingAction,
  userFacingError,
  withoutServerPaths,
} from './userFacing';

// Runs the real terraform binary: minutes on a busy machine, not seconds.
jest.setTimeout(180_000);

describe('withoutServerPaths', () => {
  it('makes workspace paths relative and shortens other server paths to their last segment', () => {
    const ws = '/tmp/scaffolder/task-1';
    expect(withoutServerPaths(`wrote ${ws}/clusters/a.example.org`, ws)).toBe(
      'wrote ./clusters/a.example.org',
    );
    expect(withoutServerPaths(`in ${ws}`, ws)).toBe('in .');
    expect(
      withoutServerPaths(
        'push to file:///work/main/.data/local/gitops.git failed',
      ),
    ).toBe('push to …/gitops.git failed');
    expect(
      withoutServerPaths(
        "ENOENT: no such file or directory, open '/home/ci/.data/tofu/a-example-org/main.tf'",
      ),
    ).toBe("ENOENT: no such file or directory, open '…/main.tf'");
  });

  it('leaves URLs, API routes and relative paths alone', () => {
    const text =
      'GET https://console.a.example.org/api/x answered 502; POST /api/pdm/v1/reserve; clusters/a.example.org/kustomization.yaml';
    expect(withoutServerPaths(text)).toBe(text);
  });
});

describe('userFacingError', () => {
  it('keeps the class and the message, drops the stack frames and server paths', () => {
    const error = userFacingError(
      new InputError('cannot read /var/lib/catalyst/state.json'),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('cannot read …/state.json');
    expect(error.stack).toBe('cannot read …/state.json');
  });
});

describe('userFacingAction', () => {
  it('turns a thrown error into its message alone and cleans every log line', async () => {
    const workspace = await makeTempDir('ws');
    const action = userFacingAction(
      createTemplateAction({
        id: 'test:fail',
        async handler(ctx) {
          ctx.logger.info(`Rendering into ${ctx.workspacePath}/clusters/x`);
          throw new Error(`Could not open ${ctx.workspacePath}/missing.yaml`);
        },
      }),
    );
    const { ctx, logger } = createActionContext({
      input: {},
      workspacePath: workspace,
    });
    const failure = await action.handler(ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.message).toBe('Could not open ./missing.yaml');
    expect(failure?.stack).toBe('Could not open ./missing.yaml');
    expect(String(failure?.stack)).not.toMatch(/\n\s+at /);
    expect(logger.info).toHaveBeenCalledWith(
      'Rendering into ./clusters/x',
      undefined,
    );
  });

  it('a real terraform run logs no server path, names the binary it runs and warns about the CLI configuration never', async () => {
    const workDir = await makeTempDir('work');
    const workspace = await makeTempDir('ws');
    const fqdn = uniqueFqdn('paths');
    const previous = process.env.TF_CLI_CONFIG_FILE;
    // An operator's CLI configuration that does not exist: terraform would warn about it on every command.
    process.env.TF_CLI_CONFIG_FILE = path.join(workDir, 'missing.terraformrc');
    try {
      const { ctx, logged, logger } = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: workspace,
        secrets: { hetznerToken: `hcloud-${'t0k3n'.repeat(13)}` },
      });
      await userFacingAction(
        createTofuApplyAction({
          config: tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir }),
        }),
      ).handler(ctx);
      const text = logged();
      expect(text).not.toContain(workDir);
      expect(text).not.toContain(workspace);
      expect(text).not.toContain(SANDBOX_MODULE);
      expect(text).not.toMatch(/terraformrc|CLI config/i);
      expect(text).not.toContain('OpenTofu');
      const info = logger.info.mock.calls.map(c => String(c[0]));
      expect(info).toContain('Running terraform apply');
      expect(
        info.some(l =>
          l.startsWith(
            `Staged the sandbox module in the work directory of ${fqdn}`,
          ),
        ),
      ).toBe(true);
      const warnings = logger.warn.mock.calls.map(c => String(c[0]));
      expect(new Set(warnings).size).toBe(warnings.length);
    } finally {
      if (previous === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = previous;
    }
  });

  it('a terraform run that fails ends in a message without stack frames or server paths', async () => {
    const workDir = await makeTempDir('work');
    const moduleDir = await makeTempDir('module');
    await fs.writeFile(
      path.join(moduleDir, 'main.tf'),
      'resource "terraform_data" "broken" {\n',
    );
    const { ctx } = createActionContext({
      input: sovereignInput(uniqueFqdn('broken')),
      workspacePath: await makeTempDir('ws'),
      secrets: { hetznerToken: `hcloud-${'t0k3n'.repeat(13)}` },
    });
    const failure = await userFacingAction(
      createTofuApplyAction({
        config: tofuTestConfig({ modulePath: moduleDir, workDir }),
      }),
    )
      .handler(ctx)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.stack).toBe(failure!.message);
    expect(failure!.message).toMatch(/terraform init/);
    expect(failure!.message).not.toContain(workDir);
    expect(failure!.message).not.toContain(moduleDir);
  });
});
