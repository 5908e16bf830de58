import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createDnsAwaitDelegationAction } from './dnsAwaitDelegation';

describe('catalyst:dns:await-delegation', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  it('records dns-pending with the nameservers to set, without blocking', async () => {
    env.apis.sovereigns.set('omantel-om', {
      fqdn: 'omantel.om',
      phase: 'provisioning',
    });
    const { ctx, outputs } = createActionContext({
      input: {
        entityName: 'omantel-om',
        fqdn: 'omantel.om',
        nameservers: ['ns1.openova.io', 'ns2.openova.io'],
      },
      workspacePath: env.workspacePath,
    });
    await createDnsAwaitDelegationAction({ registry: env.registry }).handler(
      ctx,
    );
    expect(outputs.phase).toBe('dns-pending');
    expect(env.apis.sovereigns.get('omantel-om')).toMatchObject({
      phase: 'dns-pending',
      phaseReason: 'awaiting-delegation',
    });
    expect(env.apis.events[0].body.message).toContain(
      'ns1.openova.io, ns2.openova.io',
    );
  });

  it('fails when the Sovereign was never registered', async () => {
    const { ctx } = createActionContext({
      input: {
        entityName: 'ghost-om',
        fqdn: 'ghost.om',
        nameservers: ['ns1.openova.io'],
      },
      workspacePath: env.workspacePath,
    });
    await expect(
      createDnsAwaitDelegationAction({ registry: env.registry }).handler(ctx),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});
