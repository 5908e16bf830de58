import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createDnsAwaitDelegationAction } from './dnsAwaitDelegation';
import { examples } from './dnsAwaitDelegation.examples';

describe('catalyst:dns:await-delegation examples', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    env.apis.sovereigns.set(input.entityName, {
      fqdn: input.fqdn,
      phase: 'provisioning',
    });
    const { ctx } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    });
    await createDnsAwaitDelegationAction({ registry: env.registry }).handler(
      ctx,
    );
    expect(env.apis.sovereigns.get(input.entityName).phase).toBe('dns-pending');
  });
});
