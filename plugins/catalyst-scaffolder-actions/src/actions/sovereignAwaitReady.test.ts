import yaml from 'yaml';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createSovereignAwaitReadyAction } from './sovereignAwaitReady';
import { examples } from './sovereignAwaitReady.examples';

const NAME = 'omantel-omani-works';

function component(name: string, state: string, extra: object = {}) {
  return {
    name,
    kind: 'HelmRelease',
    ready: state === 'ready',
    state,
    dependsOn: [],
    since: '2026-12-03T10:00:00.000Z',
    ...extra,
  };
}

describe('catalyst:sovereign:await-ready', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  const run = (input: object) => {
    const { ctx, outputs } = createActionContext({
      input,
      workspacePath: env.workspacePath,
    }) as any;
    return {
      ctx,
      outputs,
      done: createSovereignAwaitReadyAction({
        registry: env.registry,
        pollIntervalMs: 20,
      }).handler(ctx),
    };
  };

  it('waits while the Sovereign bootstraps and completes once the watcher says ready', async () => {
    const input = yaml.parse(examples[0].example).steps[0].input;
    env.apis.sovereigns.set(NAME, {
      fqdn: 'omantel.omani.works',
      phase: 'bootstrapping',
      readiness: {
        components: [
          component('bp-cilium', 'ready'),
          component('bp-cert-manager', 'progressing'),
        ],
        observedAt: '2026-12-03T10:00:00.000Z',
      },
    });
    const { ctx, done } = run(input);
    let settled = false;
    void done.then(() => (settled = true));
    await new Promise(r => setTimeout(r, 150));
    expect(settled).toBe(false);
    env.apis.sovereigns.set(NAME, {
      fqdn: 'omantel.omani.works',
      phase: 'ready',
      readiness: {
        components: [
          component('bp-cilium', 'ready'),
          component('bp-cert-manager', 'ready'),
        ],
        observedAt: '2026-12-03T10:01:00.000Z',
      },
    });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('phase', 'ready');
    expect(ctx.output).toHaveBeenCalledWith('readyComponents', 2);
    const lines = ctx.logger.info.mock.calls.map((c: any[]) => c[0]);
    expect(lines).toContain('bp-cert-manager is progressing');
    expect(lines).toContain('bp-cert-manager is ready');
  });

  it('completes a degraded Sovereign with its root cause and fails a failed one', async () => {
    env.apis.sovereigns.set(NAME, {
      fqdn: 'omantel.omani.works',
      phase: 'degraded',
      phaseReason: 'CRDMissing',
      readiness: {
        components: [
          component('bp-cert-manager', 'failed', { cause: 'CRDMissing' }),
          component('bp-openbao', 'blocked', { blockedBy: 'bp-cert-manager' }),
        ],
        firstBlocked: 'bp-cert-manager',
        observedAt: '2026-12-03T10:00:00.000Z',
      },
    });
    const degraded = run({ entityName: NAME });
    await degraded.done;
    expect(degraded.ctx.output).toHaveBeenCalledWith('phase', 'degraded');
    expect(degraded.ctx.output).toHaveBeenCalledWith(
      'firstBlocked',
      'bp-cert-manager',
    );

    env.apis.sovereigns.set(NAME, {
      fqdn: 'omantel.omani.works',
      phase: 'failed',
      phaseReason: 'KubeconfigNotReceived',
    });
    await expect(run({ entityName: NAME }).done).rejects.toThrow(
      /is failed: 0 of 0 platform components ready \(KubeconfigNotReceived\)/,
    );
  });

  it('refuses a name that is not an entity name and a Sovereign the registry does not know', async () => {
    await expect(run({ entityName: 'Not A Name' }).done).rejects.toThrow(
      /Invalid input entityName/,
    );
    await expect(run({ entityName: 'acme-example-com' }).done).rejects.toThrow(
      /not in the registry/,
    );
  });
});
