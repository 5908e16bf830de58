import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createSovereignValidateAction } from './sovereignValidate';
import { examples } from './sovereignValidate.examples';

describe('catalyst:sovereign:validate examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const action = createSovereignValidateAction({
      registry: env.registry,
      data: env.data,
      pdm: env.pdm,
    });
    const { ctx, outputs } = createActionContext({
      input: yaml.parse(example.example).steps[0].input,
      workspacePath: env.workspacePath,
      secrets: { hetznerToken: 'h'.repeat(64) },
    });
    await action.handler(ctx);
    expect(outputs.fqdn).toBe('omantel.omani.works');
  });
});
