import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { exampleParameters } from './exampleSovereign';
import { createSovereignValidateAction } from './sovereignValidate';

const HETZNER_TOKEN = 'h'.repeat(64);

describe('catalyst:sovereign:validate', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  const run = (
    parameters: unknown,
    secrets: Record<string, string>,
    isDryRun = false,
  ) => {
    const action = createSovereignValidateAction({
      registry: env.registry,
      data: env.data,
      pdm: env.pdm,
    });
    const context = createActionContext({
      input: { parameters },
      workspacePath: env.workspacePath,
      secrets,
      isDryRun,
    });
    return { promise: action.handler(context.ctx), ...context };
  };

  it('outputs the normalised request without secrets, the FQDN and the entity name', async () => {
    const { promise, outputs, logged } = run(exampleParameters, {
      hetznerToken: HETZNER_TOKEN,
    });
    await promise;
    expect(outputs.fqdn).toBe('omantel.omani.works');
    expect(outputs.entityName).toBe('omantel-omani-works');
    expect(outputs.request.domain).toEqual({
      mode: 'pool',
      poolDomain: 'omani.works',
      subdomain: 'omantel',
    });
    expect(outputs.request.components).toContain('cnpg');
    expect(JSON.stringify(outputs)).not.toContain(HETZNER_TOKEN);
    expect(logged()).not.toContain(HETZNER_TOKEN);
    expect(env.apis.server.requests.map(r => r.path)).toEqual([
      '/v1/sovereigns/omantel-omani-works',
      '/v1/pool/omani.works/check?sub=omantel',
    ]);
  });

  it('lists every invalid field in one InputError, never echoing a token', async () => {
    const { promise } = run(
      {
        ...exampleParameters,
        orgName: '  ',
        orgEmail: 'nope',
        regions: [{ ...exampleParameters.regions[0], workerCount: 51 }],
      },
      { hetznerToken: 'demo-mode-hetzner-xxxxxxxx' },
    );
    const error = await promise.catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(/^The Sovereign request is invalid:/);
    expect(error.message).toMatch(/orgName: /);
    expect(error.message).toMatch(/orgEmail: /);
    expect(error.message).toMatch(/regions\[0\]\.workerCount: /);
    expect(error.message).toMatch(
      /secrets\.hetznerToken: is a demo-mode token/,
    );
    expect(error.message).not.toContain('demo-mode-hetzner-xxxxxxxx');
  });

  it('refuses a region on a provider without a module, naming the region', async () => {
    const parameters = {
      ...exampleParameters,
      regions: [
        {
          provider: 'aws',
          cloudRegion: 'eu-central-1',
          controlPlaneSize: 'm6i.xlarge',
          workerSize: '',
          workerCount: 0,
        },
      ],
    };
    const { promise } = run(parameters, {
      awsToken: 'AKIA-example:secret-value',
    });
    await expect(promise).rejects.toThrow(
      /regions\[0\]\.provider: region 1 \(aws eu-central-1\) cannot be provisioned; only hetzner has a working module today/,
    );
  });

  it('asks PDM: a taken subdomain or an unmanaged pool is an InputError', async () => {
    env.apis.allocations.set('omantel.omani.works', { state: 'active' });
    await expect(
      run(exampleParameters, { hetznerToken: HETZNER_TOKEN }).promise,
    ).rejects.toThrow(
      /domain\.subdomain: omantel\.omani\.works is not available \(active-state\)/,
    );
    const foreign = {
      ...exampleParameters,
      domain: { mode: 'pool', poolDomain: 'example.org', subdomain: 'omantel' },
    };
    await expect(
      run(foreign, { hetznerToken: HETZNER_TOKEN }).promise,
    ).rejects.toThrow(
      /domain\.poolDomain: example\.org is not a pool domain managed by PDM/,
    );
  });

  it('re-validates a byo-api registrar token through PDM and skips server checks in a dry run', async () => {
    const byo = {
      ...exampleParameters,
      domain: {
        mode: 'byo-api',
        byoDomain: 'omantel.om',
        registrar: 'cloudflare',
      },
    };
    await expect(
      run(byo, {
        hetznerToken: HETZNER_TOKEN,
        registrarToken: 'wrong-token-value',
      }).promise,
    ).rejects.toThrow(
      /secrets\.registrarToken: cloudflare did not accept the token for omantel\.om \(.*invalid-token/,
    );
    const ok = run(byo, {
      hetznerToken: HETZNER_TOKEN,
      registrarToken: env.apis.validRegistrarToken,
    });
    await ok.promise;
    expect(ok.outputs.fqdn).toBe('omantel.om');
    const validate = env.apis.server.requests.filter(r =>
      r.path.endsWith('/validate'),
    );
    expect(validate).toHaveLength(2);
    const before = env.apis.server.requests.length;
    await run(exampleParameters, { hetznerToken: HETZNER_TOKEN }, true).promise;
    expect(env.apis.server.requests.length).toBe(before);
  });

  it('refuses an FQDN another Sovereign holds, in every domain mode, before anything is written', async () => {
    const modes = [
      { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
      { mode: 'byo-manual', byoDomain: 'omantel.om' },
      { mode: 'byo-api', byoDomain: 'omantel.om', registrar: 'cloudflare' },
    ];
    for (const domain of modes) {
      const fqdn =
        domain.mode === 'pool' ? 'omantel.omani.works' : 'omantel.om';
      const name = fqdn === 'omantel.om' ? 'omantel-om' : 'omantel-omani-works';
      env.apis.sovereigns.clear();
      env.apis.registerSovereign(name, {
        fqdn,
        owner: 'group:default/team-b',
        taskId: 'task-victim',
        phase: 'ready',
      });
      env.apis.server.requests.length = 0;
      await expect(
        run(
          { ...exampleParameters, domain },
          {
            hetznerToken: HETZNER_TOKEN,
            registrarToken: env.apis.validRegistrarToken,
          },
        ).promise,
      ).rejects.toThrow(
        `domain: ${fqdn} is held by Sovereign ${fqdn} (owner group:default/team-b, phase ready); choose another domain`,
      );
      // Only the registry was asked: no PDM call, no write anywhere.
      expect(
        env.apis.server.requests.map(r => `${r.method} ${r.pluginId}`),
      ).toEqual(['GET catalyst']);
    }

    // A failed Sovereign's FQDN can be provisioned again (the record is reclaimed).
    env.apis.sovereigns.clear();
    env.apis.registerSovereign('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      taskId: 'task-victim',
      phase: 'failed',
    });
    await run(exampleParameters, { hetznerToken: HETZNER_TOKEN }).promise;

    // A BYO zone PDM already hosts for someone else (no registry record) is refused by PDM's check.
    env.apis.sovereigns.clear();
    env.apis.byoZones.set('omantel.om', { createdBy: 'catalyst/task-victim' });
    await expect(
      run(
        {
          ...exampleParameters,
          domain: { mode: 'byo-manual', byoDomain: 'omantel.om' },
        },
        { hetznerToken: HETZNER_TOKEN },
      ).promise,
    ).rejects.toThrow(
      /domain\.byoDomain: omantel\.om cannot be used \(zone-held/,
    );
  });
});
