import { runTofuExample } from '../__testUtils__/runTofuExample';
import { createTofuDestroyAction } from './tofuDestroy';
import { examples } from './tofuDestroy.examples';

// Runs every example through the handler with real terraform on infra/sandbox.

describe('catalyst:tofu:destroy examples (terraform, integration)', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const outputs = await runTofuExample(
        example,
        'catalyst:tofu:destroy',
        createTofuDestroyAction,
      );
      // A fresh workdir has no state: nothing to destroy, and that is not an error.
      expect(outputs.destroyed).toBe(0);
    },
  );
});
