import { runTofuExample } from '../__testUtils__/runTofuExample';
import { createTofuApplyAction } from './tofuApply';
import { examples } from './tofuApply.examples';

// Runs every example through the handler with real terraform on infra/sandbox.

describe('catalyst:tofu:apply examples (terraform, integration)', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const outputs = await runTofuExample(
        example,
        'catalyst:tofu:apply',
        createTofuApplyAction,
      );
      expect(outputs.consoleUrl).toBe('https://console.omantel.omani.works');
      expect(outputs.loadBalancerIp).toMatch(/^203\.0\.113\.\d+$/);
    },
  );
});
