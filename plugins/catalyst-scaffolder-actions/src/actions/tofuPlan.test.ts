import fs from 'node:fs/promises';
import path from 'node:path';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from '../tofu/tofuTestFixtures';
import { createTofuApplyAction } from './tofuApply';
import { createTofuPlanAction } from './tofuPlan';
import { sovereignWorkDirName } from '../tofu/TofuWorkspace';

// Integration test: real terraform on infra/sandbox with local state.

const secrets = { hetznerToken: 'plan-test-token-0123456789abcdef' };

describe('catalyst:tofu:plan (terraform, integration)', () => {
  it('reports what an apply would change without changing anything or leaving a plan file', async () => {
    const workDir = await makeTempDir('work');
    const fqdn = uniqueFqdn('plan');
    const config = tofuTestConfig({ modulePath: SANDBOX_MODULE, workDir });
    const action = createTofuPlanAction({ config });
    expect(action.id).toBe('catalyst:tofu:plan');

    const first = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(first.ctx);
    // Example request: 1 load balancer, 1 control plane, 2 workers.
    expect(first.outputs).toEqual({ toAdd: 4, toChange: 0, toDestroy: 0 });
    const dir = path.join(workDir, sovereignWorkDirName(fqdn));
    const files = await fs.readdir(dir);
    expect(files).not.toContain('tfplan');
    expect(files).not.toContain('terraform.tfstate');

    await createTofuApplyAction({ config }).handler(
      createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      }).ctx,
    );
    const input = sovereignInput(fqdn);
    const moreWorkers = {
      ...input,
      request: {
        ...input.request,
        regions: [{ ...input.request.regions[0], workerCount: 3 }],
      },
    };
    const second = createActionContext({
      input: moreWorkers,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(second.ctx);
    // One more worker; the first control plane's sovereign.json records the worker count, so it changes too.
    expect(second.outputs).toEqual({ toAdd: 1, toChange: 1, toDestroy: 0 });
  });

  it('refuses a demo-mode token and a non-Hetzner region before running anything', async () => {
    const config = tofuTestConfig({
      modulePath: SANDBOX_MODULE,
      workDir: await makeTempDir('work'),
    });
    const action = createTofuPlanAction({ config });
    const demo = createActionContext({
      input: sovereignInput(uniqueFqdn('demo')),
      workspacePath: await makeTempDir('ws'),
      secrets: { hetznerToken: `demo-mode-hetzner-${'x'.repeat(50)}` },
    });
    await expect(action.handler(demo.ctx)).rejects.toThrow(/demo-mode token/);

    const input = sovereignInput(uniqueFqdn('aws'));
    const aws = createActionContext({
      input: {
        ...input,
        request: {
          ...input.request,
          regions: [
            {
              ...input.request.regions[0],
              provider: 'aws',
              cloudRegion: 'us-east-1',
            },
          ],
        },
      },
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await expect(action.handler(aws.ctx)).rejects.toThrow(
      /only hetzner regions can be provisioned, got aws\/us-east-1/,
    );
    expect(aws.logger.info).not.toHaveBeenCalled();
  });
});
