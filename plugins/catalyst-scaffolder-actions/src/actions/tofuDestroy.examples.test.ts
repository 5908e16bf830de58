import yaml from 'yaml';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  tofuTestConfig,
} from '../tofu/tofuTestFixtures';
import { createTofuDestroyAction } from './tofuDestroy';
import { examples } from './tofuDestroy.examples';

// Runs every example through the handler with real terraform on infra/sandbox.

describe('catalyst:tofu:destroy examples (terraform, integration)', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const config = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
      });
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe('catalyst:tofu:destroy');
      const { ctx, outputs } = createActionContext({
        input: step.input,
        workspacePath: await makeTempDir('ws'),
        secrets: { hetznerToken: 'example-token-0123456789abcdef' },
      });
      await createTofuDestroyAction({ config }).handler(ctx);
      // A fresh workdir has no state: nothing to destroy, and that is not an error.
      expect(outputs.destroyed).toBe(0);
    },
  );
});
