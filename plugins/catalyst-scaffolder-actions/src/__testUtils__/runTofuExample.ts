import type { Config } from '@backstage/config';
import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { createActionContext } from './createActionContext';
import {
  makeTempDir,
  SANDBOX_MODULE,
  tofuTestConfig,
} from '../tofu/tofuTestFixtures';

/**
 * Runs one example of a tofu action through its handler with real terraform on infra/sandbox, in fresh work and
 * workspace directories, and returns the step's outputs. Checks the example's step names `actionId`.
 */
export async function runTofuExample(
  example: TemplateExample,
  actionId: string,
  createAction: (options: { config: Config }) => {
    handler(ctx: any): Promise<void>;
  },
): Promise<Record<string, any>> {
  const config = tofuTestConfig({
    modulePath: SANDBOX_MODULE,
    workDir: await makeTempDir('work'),
  });
  const step = yaml.parse(example.example).steps[0];
  expect(step.action).toBe(actionId);
  const { ctx, outputs } = createActionContext({
    input: step.input,
    workspacePath: await makeTempDir('ws'),
    secrets: { hetznerToken: 'example-token-0123456789abcdef' },
  });
  await createAction({ config }).handler(ctx);
  return outputs;
}
