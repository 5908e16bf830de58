import { runTofuExample } from '../__testUtils__/runTofuExample';
import { createTofuPlanAction } from './tofuPlan';
import { examples } from './tofuPlan.examples';

// Runs every example through the handler with real terraform on infra/sandbox.

describe('catalyst:tofu:plan examples (terraform, integration)', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const outputs = await runTofuExample(
        example,
        'catalyst:tofu:plan',
        createTofuPlanAction,
      );
      expect(outputs).toEqual({ toAdd: 4, toChange: 0, toDestroy: 0 });
    },
  );
});
