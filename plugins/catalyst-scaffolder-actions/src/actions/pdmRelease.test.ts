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

  it('releases the allocation as its owning Sovereign, then counts a second release (404) as success', async () => {
    env.apis.allocations.set('omantel.omani.works', { state: 'active' });
    env.apis.registerSovereign('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      owner: 'group:default/team-b',
    });
    const first = createActionContext({
      input: { domain: exampleDomain },
      workspacePath: env.workspacePath,
    });
    await action().handler(first.ctx);
    expect(first.outputs.released).toBe(true);
    expect(env.apis.allocations.size).toBe(0);
    // PDM is told which Sovereign and owner release it (read from the registry, not from the task's input).
    expect(
      env.apis.server.requests.find(r => r.path.includes('/release'))!.body,
    ).toEqual({
      subdomain: 'omantel',
      sovereignFQDN: 'omantel.omani.works',
      owner: 'group:default/team-b',
    });
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

  it("refuses a domain that is not the named Sovereign's", async () => {
    env.apis.registerSovereign('omantel-om', {
      fqdn: 'omantel.om',
      domain: { mode: 'byo-manual', byoDomain: 'omantel.om' },
    });
    env.apis.byoZones.set('victim.om', {});
    const { ctx } = createActionContext({
      input: {
        entityName: 'omantel-om',
        domain: { mode: 'byo-manual', byoDomain: 'victim.om' },
      },
      workspacePath: env.workspacePath,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /the domain victim\.om is not the domain of Sovereign omantel\.om/,
    );
    expect(env.apis.byoZones.has('victim.om')).toBe(true);
  });
});
