import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createBlueprintsResolveAction } from './blueprintsResolve';
import { exampleParameters } from './exampleSovereign';

describe('catalyst:blueprints:resolve', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    env.apis.sovereigns.set('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
    });
  });
  afterEach(() => env.cleanup());

  const run = (components: string[], entityName?: string) => {
    const context = createActionContext({
      input: { components, entityName },
      workspacePath: env.workspacePath,
    });
    return {
      promise: createBlueprintsResolveAction({
        data: env.data,
        registry: env.registry,
      }).handler(context.ctx),
      ...context,
    };
  };

  it('outputs de-duplicated releases in dependency order with the kit-only infrastructure', async () => {
    const { promise, outputs } = run(
      exampleParameters.components,
      'omantel-omani-works',
    );
    await promise;
    const names: string[] = outputs.releases.map((r: any) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const kitOnly of [
      'bp-sealed-secrets',
      'bp-spire',
      'bp-nats-jetstream',
      'bp-catalyst-platform',
      'bp-crossplane-claims',
    ]) {
      expect(names).toContain(kitOnly);
    }
    outputs.releases.forEach((release: any, index: number) => {
      for (const dep of release.dependsOn) {
        expect(names.indexOf(dep)).toBeLessThan(index);
      }
    });
    expect(outputs.blueprints).toContain('bp-gitea@1.1.2');
    expect(Array.isArray(outputs.notInstallable)).toBe(true);
  });

  it('records additions and not-installable components as Sovereign events', async () => {
    const { promise, outputs, logger } = run(
      ['gitea', 'cnpg', 'opentofu'],
      'omantel-omani-works',
    );
    await promise;
    expect(outputs.notInstallable).toContain('opentofu');
    const events = env.apis.events.map(e => e.body);
    expect(events).toContainEqual(
      expect.objectContaining({
        level: 'info',
        phase: 'blueprints',
        message: 'bp-keycloak added because bp-gitea depends on it',
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message:
          'Component opentofu has no published Blueprint and is not installed',
      }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Component opentofu has no published Blueprint and is not installed',
    );
  });

  it('turns an unknown component into an InputError', async () => {
    await expect(run(['not-a-component']).promise).rejects.toThrow(
      'Blueprint resolution failed: Unknown component "not-a-component"',
    );
  });
});
