import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createCatalogRegisterSovereignAction } from './catalogRegisterSovereign';
import { examples } from './catalogRegisterSovereign.examples';

describe('catalyst:catalog:register-sovereign examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createCatalogRegisterSovereignAction({
      registry: env.registry,
      keeper: env.keeper,
      ttlSeconds: 600,
    }).handler(ctx);
    expect(outputs.entityRef).toBe('sovereign:default/omantel-omani-works');
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe(
      input.phase,
    );
  });
});
