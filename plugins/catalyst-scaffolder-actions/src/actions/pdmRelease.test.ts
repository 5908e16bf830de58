import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleDomain } from './exampleSovereign';
import { createPdmReleaseAction } from './pdmRelease';

describe('catalyst:pdm:release', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  const action = () =>
    createPdmReleaseAction({
      compensation: env.compensation,
      registry: env.registry,
      keeper: env.keeper,
    });

  it('releases the allocation, then counts a second release (404) as success', async () => {
    env.apis.allocations.set('omantel.omani.works', { state: 'active' });
    const first = createActionContext({
      input: { domain: exampleDomain },
      workspacePath: env.workspacePath,
    });
    await action().handler(first.ctx);
    expect(first.outputs.released).toBe(true);
    expect(env.apis.allocations.size).toBe(0);
    const second = createActionContext({
      input: { domain: exampleDomain },
      workspacePath: env.workspacePath,
    });
    await action().handler(second.ctx);
    expect(second.outputs.released).toBe(false);
  });

  it('reads the domain of a registered Sovereign from the registry and deletes its BYO zone', async () => {
    env.apis.sovereigns.set('omantel-om', {
      fqdn: 'omantel.om',
      domain: { mode: 'byo-manual', byoDomain: 'omantel.om' },
    });
    env.apis.byoZones.set('omantel.om', {});
    const { ctx, outputs } = createActionContext({
      input: { entityName: 'omantel-om' },
      workspacePath: env.workspacePath,
    });
    await action().handler(ctx);
    expect(outputs.released).toBe(true);
    expect(env.apis.byoZones.size).toBe(0);
  });

  it('names what is missing', async () => {
    const none = createActionContext({
      input: {},
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(none.ctx)).rejects.toThrow(
      /either domain or entityName is required/,
    );
    const unknown = createActionContext({
      input: { entityName: 'nobody' },
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(unknown.ctx)).rejects.toThrow(
      /Sovereign nobody is not in the registry/,
    );
  });
});
