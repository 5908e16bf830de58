import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createPdmReserveAction } from './pdmReserve';
import { examples } from './pdmReserve.examples';

describe('catalyst:pdm:reserve examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    env.apis.registerSovereign(input.entityName, { fqdn: input.fqdn });
    const { ctx } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createPdmReserveAction({
      registry: env.registry,
      pdm: env.pdm,
      keeper: env.keeper,
      ttlSeconds: 3600,
    }).handler(ctx);
    expect((await env.keeper.tracked('task-1'))?.fqdn).toBe(input.fqdn);
  });
});
