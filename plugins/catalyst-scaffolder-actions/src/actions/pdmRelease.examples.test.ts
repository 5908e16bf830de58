import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleDomain } from './exampleSovereign';
import { createPdmReleaseAction } from './pdmRelease';
import { examples } from './pdmRelease.examples';

describe('catalyst:pdm:release examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    env.apis.allocations.set('omantel.omani.works', { state: 'active' });
    env.apis.sovereigns.set('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      domain: exampleDomain,
    });
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const { ctx, outputs } = createActionContext({
      input: yaml.parse(example.example).steps[0].input,
      workspacePath: env.workspacePath,
    });
    await createPdmReleaseAction({
      compensation: env.compensation,
      registry: env.registry,
      keeper: env.keeper,
    }).handler(ctx);
    expect(outputs.released).toBe(true);
    expect(env.apis.allocations.size).toBe(0);
  });
});
