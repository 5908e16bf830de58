import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createBlueprintsResolveAction } from './blueprintsResolve';
import { examples } from './blueprintsResolve.examples';

describe('catalyst:blueprints:resolve examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    env.apis.sovereigns.set('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
    });
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const { ctx, outputs } = createActionContext({
      input: yaml.parse(example.example).steps[0].input,
      workspacePath: env.workspacePath,
    });
    await createBlueprintsResolveAction({
      data: env.data,
      registry: env.registry,
    }).handler(ctx);
    expect(outputs.releases.length).toBeGreaterThan(20);
  });
});
