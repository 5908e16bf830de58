import { createActionContext } from '../__testUtils__/createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from '../tofu/tofuTestFixtures';
import { createTofuApplyAction } from './tofuApply';
import { createTofuDestroyAction } from './tofuDestroy';

// Integration test: real terraform on infra/sandbox with local state.

const secrets = { hetznerToken: 'destroy-test-token-0123456789abcdef' };

describe('catalyst:tofu:destroy (terraform, integration)', () => {
  it('destroys what an apply created, streams the progress and is idempotent', async () => {
    const config = tofuTestConfig({
      modulePath: SANDBOX_MODULE,
      workDir: await makeTempDir('work'),
    });
    const fqdn = uniqueFqdn('destroy');
    const input = sovereignInput(fqdn);
    const ha = {
      ...input,
      request: {
        ...input.request,
        topology: { ...input.request.topology, haEnabled: true },
      },
    };
    await createTofuApplyAction({ config }).handler(
      createActionContext({
        input: ha,
        workspacePath: await makeTempDir('ws'),
        secrets,
      }).ctx,
    );

    const action = createTofuDestroyAction({ config });
    expect(action.id).toBe('catalyst:tofu:destroy');
    const first = createActionContext({
      input: ha,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(first.ctx);
    // HA: 1 load balancer, 3 control planes, 2 workers.
    expect(first.outputs.destroyed).toBe(6);
    const lines = first.logger.info.mock.calls.map(c => String(c[0]));
    expect(lines.some(l => /0 to add, 0 to change, 6 to destroy/.test(l))).toBe(
      true,
    );
    expect(
      lines.some(l => /Destruction complete.*\(destroyed 6\/6\)/.test(l)),
    ).toBe(true);

    const again = createActionContext({
      input: ha,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(again.ctx);
    expect(again.outputs.destroyed).toBe(0);
  });
});
