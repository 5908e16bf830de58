import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { createCatalogRegisterSovereignAction } from './catalogRegisterSovereign';
import { exampleRequest } from './catalogRegisterSovereign.examples';

describe('catalyst:catalog:register-sovereign', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
  });
  afterEach(() => env.cleanup());

  const run = (
    input: Record<string, unknown>,
    userMemberOf?: string[],
    taskId?: string,
  ) => {
    const context = createActionContext({
      input,
      workspacePath: env.workspacePath,
      userMemberOf,
      taskId,
    });
    return {
      promise: createCatalogRegisterSovereignAction({
        registry: env.registry,
        keeper: env.keeper,
        ttlSeconds: 600,
      }).handler(context.ctx),
      ...context,
    };
  };

  it('creates the record (owner = initiator) and records the phase change', async () => {
    const { promise, outputs } = run({
      request: exampleRequest,
      phase: 'provisioning',
      message: 'Provisioning started',
    });
    await promise;
    expect(outputs.entityRef).toBe('sovereign:default/omantel-omani-works');
    const stored = env.apis.sovereigns.get('omantel-omani-works');
    expect(stored).toMatchObject({
      fqdn: 'omantel.omani.works',
      organization: 'Omantel',
      owner: 'user:default/ada',
      adminEmail: 'platform@omantel.om',
      phase: 'provisioning',
      taskId: 'task-1',
    });
    expect(stored.topology.regions).toHaveLength(1);
    expect(stored).not.toHaveProperty('sshPublicKey');
    // The whole non-secret request, for catalyst:tofu:destroy in the decommission template.
    expect(stored.request).toEqual(exampleRequest);
    expect(env.apis.events).toEqual([
      {
        name: 'omantel-omani-works',
        body: {
          phase: 'provisioning',
          message: 'Provisioning started',
          kind: 'phase',
        },
      },
    ]);
  });

  it('hands the task to the keeper before anything is reserved, and never undoes what the reserve step wrote', async () => {
    await run(
      { request: exampleRequest, phase: 'provisioning', message: 'start' },
      undefined,
      'task-9',
    ).promise;
    expect(await env.keeper.tracked('task-9')).toMatchObject({
      entityName: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      domain: exampleRequest.domain,
      reserved: false,
      committed: false,
      state: 'tracking',
      ttlSeconds: 600,
    });
    await env.keeper.track({
      taskId: 'task-9',
      entityName: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      domain: exampleRequest.domain as any,
      reservationToken: 'tok-9',
      ttlSeconds: 600,
    });
    // register-done: the same task registers again.
    await run(
      { request: exampleRequest, phase: 'ready', message: 'done' },
      undefined,
      'task-9',
    ).promise;
    expect(await env.keeper.tracked('task-9')).toMatchObject({
      reserved: true,
      reservationToken: 'tok-9',
    });
  });

  it("is owned by the initiator's first group when the initiator belongs to one", async () => {
    await run(
      {
        request: exampleRequest,
        phase: 'provisioning',
        message: 'Provisioning started',
      },
      ['platform-team', 'group:default/other'],
    ).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').owner).toBe(
      'group:default/platform-team',
    );
  });

  it('adds what later steps know and keeps what earlier steps recorded', async () => {
    await run({
      request: exampleRequest,
      phase: 'provisioning',
      message: 'start',
      blueprints: ['bp-gitea@1.1.2'],
    }).promise;
    await run({
      request: exampleRequest,
      phase: 'ready',
      message: 'done',
      gitops: {
        repoUrl: 'file:///r.git',
        branch: 'main',
        path: 'clusters/omantel.omani.works',
        commitSha: 'abc123',
      },
      outputs: { loadBalancerIp: '203.0.113.10' },
    }).promise;
    const stored = env.apis.sovereigns.get('omantel-omani-works');
    expect(stored.blueprints).toEqual(['bp-gitea@1.1.2']);
    expect(stored.gitops.commitSha).toBe('abc123');
    expect(stored.outputs).toEqual({ loadBalancerIp: '203.0.113.10' });
    expect(stored.phase).toBe('ready');
  });

  it('records the DNS records PDM wrote and keeps them when a later call omits them', async () => {
    const dnsRecords = [
      {
        name: 'omantel.omani.works',
        type: 'A',
        ttl: 300,
        content: '203.0.113.10',
      },
      {
        name: '*.omantel.omani.works',
        type: 'A',
        ttl: 300,
        content: '203.0.113.10',
      },
    ];
    await run({
      request: exampleRequest,
      phase: 'provisioning',
      message: 'start',
    }).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').dnsRecords).toEqual(
      [],
    );
    await run({
      request: exampleRequest,
      phase: 'ready',
      message: 'done',
      dnsRecords,
    }).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').dnsRecords).toEqual(
      dnsRecords,
    );
    await run({
      request: exampleRequest,
      phase: 'ready',
      message: 'again',
    }).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').dnsRecords).toEqual(
      dnsRecords,
    );
  });

  it.each([
    ['at its top level', { ...exampleRequest, hetznerToken: 'h'.repeat(64) }],
    [
      'in a region',
      {
        ...exampleRequest,
        regions: [{ ...exampleRequest.regions[0], hcloudToken: 'leak' }],
      },
    ],
  ])('never stores a token-like key %s of the request', async (_, request) => {
    const { promise } = run({
      request,
      phase: 'provisioning',
      message: 'start',
    });
    await expect(promise).rejects.toThrow(
      /Sovereign record is invalid:.*request(\.regions\.0)?: Unrecognized key/,
    );
    await expect(promise).rejects.not.toThrow(/h{64}|leak/);
    expect(env.apis.sovereigns.size).toBe(0);
  });

  const tls = {
    issuer: 'letsencrypt-production',
    acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
    dnsNames: ['*.omantel.omani.works', 'omantel.omani.works'],
    certificateSecret: 'omantel-omani-works-wildcard-tls',
    dns01: {
      zone: 'omantel.omani.works',
      nameserver: 'ns1.openova.io:53',
      keyName: 'dns01.omantel.omani.works',
      algorithm: 'hmac-sha256',
    },
  };

  it('records the certificate issuer and the DNS-01 setup and keeps them when a later call omits them', async () => {
    await run({
      request: exampleRequest,
      phase: 'ready',
      message: 'done',
      tls,
    }).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').tls).toEqual(tls);
    await run({
      request: exampleRequest,
      phase: 'ready',
      message: 'again',
    }).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works').tls).toEqual(tls);
  });

  it('never stores a DNS-01 key secret', async () => {
    const { promise } = run({
      request: exampleRequest,
      phase: 'ready',
      message: 'done',
      tls: { ...tls, dns01: { ...tls.dns01, secret: 'c2VjcmV0' } },
    });
    await expect(promise).rejects.toThrow(
      /Sovereign record is invalid:.*tls\.dns01: Unrecognized key/,
    );
    await expect(promise).rejects.not.toThrow(/c2VjcmV0/);
    expect(env.apis.sovereigns.size).toBe(0);
  });

  it('never forwards a secret smuggled into the request', async () => {
    const { promise } = run({
      request: {
        ...exampleRequest,
        domain: { ...exampleRequest.domain, registrarToken: 'leak' },
      },
      phase: 'provisioning',
      message: 'start',
    });
    await expect(promise).rejects.toThrow(/Sovereign record is invalid/);
    expect(env.apis.sovereigns.size).toBe(0);
  });

  it("never re-records a Sovereign another task holds; a failed one is reclaimed for the new initiator's group", async () => {
    const request = exampleRequest;
    await run(
      { request, phase: 'ready', message: 'ready' },
      ['group:default/team-b'],
      'task-victim',
    ).promise;
    const victim = env.apis.sovereigns.get('omantel-omani-works');
    expect(victim).toMatchObject({
      owner: 'group:default/team-b',
      taskId: 'task-victim',
    });
    const before = JSON.stringify(victim);
    const requestsBefore = env.apis.server.requests.length;

    await expect(
      run(
        { request, phase: 'provisioning', message: 'take over' },
        ['group:default/team-a'],
        'task-attacker',
      ).promise,
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('held by another provisioning run'),
    });
    expect(JSON.stringify(env.apis.sovereigns.get('omantel-omani-works'))).toBe(
      before,
    );
    // Only the read: no PUT, no phase change, and the refused task is not handed to the keeper.
    expect(
      env.apis.server.requests.slice(requestsBefore).map(r => r.method),
    ).toEqual(['GET']);
    expect(await env.keeper.tracked('task-attacker')).toBeUndefined();

    env.apis.sovereigns.get('omantel-omani-works').phase = 'failed';
    await run(
      { request, phase: 'provisioning', message: 'again' },
      ['group:default/team-a'],
      'task-new',
    ).promise;
    expect(env.apis.sovereigns.get('omantel-omani-works')).toMatchObject({
      owner: 'group:default/team-a',
      taskId: 'task-new',
      phase: 'provisioning',
    });
  });
});
