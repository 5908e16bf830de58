import yaml from 'yaml';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  tofuTestConfig,
} from '../tofu/tofuTestFixtures';
import { createTofuPlanAction } from './tofuPlan';
import { examples } from './tofuPlan.examples';

// Runs every example through the handler with real terraform on infra/sandbox.

describe('catalyst:tofu:plan examples (terraform, integration)', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const config = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
      });
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe('catalyst:tofu:plan');
      const { ctx, outputs } = createActionContext({
        input: step.input,
        workspacePath: await makeTempDir('ws'),
        secrets: { hetznerToken: 'example-token-0123456789abcdef' },
      });
      await createTofuPlanAction({ config }).handler(ctx);
      expect(outputs).toEqual({ toAdd: 4, toChange: 0, toDestroy: 0 });
    },
  );
});
