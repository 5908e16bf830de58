import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createRegistrarSetNsAction } from './registrarSetNs';
import { examples } from './registrarSetNs.examples';

describe('catalyst:registrar:set-ns examples', () => {
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
      secrets: { registrarToken: env.apis.validRegistrarToken },
    });
    await createRegistrarSetNsAction({ pdm: env.pdm }).handler(ctx);
    expect(outputs.nameservers).toEqual(input.nameservers);
  });
});
