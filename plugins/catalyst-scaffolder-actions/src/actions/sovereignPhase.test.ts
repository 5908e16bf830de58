import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizePermissionResponse,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { catalystSovereignDecommissionPermission } from '@catalyst/plugin-catalyst-common';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import { parseSovereignTofuInput } from '../tofu/sovereignTofuInput';
import { exampleRequest } from './catalogRegisterSovereign.examples';
import { exampleDomain } from './exampleSovereign';
import { createSovereignPhaseAction, entityNameOf } from './sovereignPhase';

describe('catalyst:sovereign:phase', () => {
  let env: ActionTestEnvironment;
  beforeEach(async () => {
    env = await createActionTestEnvironment();
    env.apis.sovereigns.set('omantel-omani-works', {
      fqdn: 'omantel.omani.works',
      organization: 'Omantel',
      adminEmail: 'platform@omantel.om',
      topology: {
        template: 'solo',
        airgap: false,
        haEnabled: false,
        regions: [],
      },
      components: ['flux'],
      domain: exampleDomain,
      gitops: {
        repoUrl: 'file:///r.git',
        branch: 'main',
        path: 'clusters/omantel.omani.works',
      },
      phase: 'ready',
    });
  });
  afterEach(() => env.cleanup());

  it('records the phase and outputs what the record knows when it keeps no request', async () => {
    const { ctx, outputs, logger } = createActionContext({
      input: {
        sovereign: 'sovereign:default/omantel-omani-works',
        phase: 'failed',
        message: 'stopped by an operator',
        confirmFqdn: 'omantel.omani.works',
      },
      workspacePath: env.workspacePath,
    });
    await createSovereignPhaseAction({
      registry: env.registry,
      permissions: env.permissions,
    }).handler(ctx);
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe('failed');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'would lack the SSH public key and the Hetzner project',
      ),
    );
    expect(outputs).toMatchObject({
      entityName: 'omantel-omani-works',
      fqdn: 'omantel.omani.works',
      domain: exampleDomain,
      gitops: { branch: 'main', path: 'clusters/omantel.omani.works' },
    });
    expect(outputs.request).toMatchObject({
      org: { name: 'Omantel' },
      fqdn: 'omantel.omani.works',
    });
    expect(outputs.request).not.toHaveProperty('sshPublicKey');
  });

  it('outputs the provisioning request the registry kept, ready for catalyst:tofu:destroy', async () => {
    env.apis.sovereigns.get('omantel-omani-works').request = exampleRequest;
    const { ctx, outputs, logger } = createActionContext({
      input: {
        sovereign: 'omantel-omani-works',
        phase: 'decommissioning',
        message: 'bye',
      },
      workspacePath: env.workspacePath,
    });
    await createSovereignPhaseAction({
      registry: env.registry,
      permissions: env.permissions,
    }).handler(ctx);
    expect(outputs.request).toEqual(exampleRequest);
    expect(logger.warn).not.toHaveBeenCalled();
    // What destroy checks at run time: the kept request is complete enough to stage the module.
    expect(() =>
      parseSovereignTofuInput(
        {
          request: outputs.request,
          fqdn: outputs.fqdn,
          gitopsRepoUrl: outputs.gitops.repoUrl,
        },
        { hetznerToken: 'h'.repeat(64) },
        'task-2',
      ),
    ).not.toThrow();
  });

  it('refuses to start a decommission without a stored request, before the phase changes', async () => {
    const { ctx, outputs } = createActionContext({
      input: {
        sovereign: 'sovereign:default/omantel-omani-works',
        phase: 'decommissioning',
        message: 'bye',
        confirmFqdn: 'omantel.omani.works',
      },
      workspacePath: env.workspacePath,
    });
    const error = await createSovereignPhaseAction({
      registry: env.registry,
      permissions: env.permissions,
    })
      .handler(ctx)
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'Sovereign omantel.omani.works cannot be decommissioned',
      ),
    });
    expect(error.message).toContain(
      'it lacks the SSH public key and the Hetzner project',
    );
    expect(error.message).toContain('the Sovereign stays ready');
    // In a person's words: no action ids or record field names.
    expect(error.message).not.toMatch(/request\.|catalyst:/);
    // Nothing changed: no phase, no phase event, no outputs for later steps.
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe('ready');
    expect(env.apis.events).toEqual([]);
    expect(env.apis.server.requests.filter(r => r.method !== 'GET')).toEqual(
      [],
    );
    expect(outputs).toEqual({});
  });

  it('replaces the recorded DNS records when given (decommissioned: the domain is released)', async () => {
    const stored = env.apis.sovereigns.get('omantel-omani-works');
    Object.assign(stored, {
      owner: 'group:default/platform',
      blueprints: [],
      notInstallable: [],
      taskId: 'task-0',
      request: exampleRequest,
      dnsRecords: [
        {
          name: 'omantel.omani.works',
          type: 'A',
          ttl: 300,
          content: '203.0.113.10',
        },
      ],
      topology: { ...stored.topology, regions: exampleRequest.regions },
    });
    const { ctx } = createActionContext({
      input: {
        sovereign: 'omantel-omani-works',
        phase: 'decommissioned',
        message: 'Machines destroyed, domain released',
        dnsRecords: [],
      },
      workspacePath: env.workspacePath,
    });
    await createSovereignPhaseAction({
      registry: env.registry,
      permissions: env.permissions,
    }).handler(ctx);
    const after = env.apis.sovereigns.get('omantel-omani-works');
    expect(after).toMatchObject({
      phase: 'decommissioned',
      dnsRecords: [],
      taskId: 'task-0',
      request: exampleRequest,
      gitops: { path: 'clusters/omantel.omani.works' },
    });
  });

  it('refuses a wrong typed confirmation and an unknown Sovereign', async () => {
    const wrong = createActionContext({
      input: {
        sovereign: 'omantel-omani-works',
        phase: 'decommissioning',
        message: 'x',
        confirmFqdn: 'other.omani.works',
      },
      workspacePath: env.workspacePath,
    });
    await expect(
      createSovereignPhaseAction({
        registry: env.registry,
        permissions: env.permissions,
      }).handler(wrong.ctx),
    ).rejects.toThrow(
      /does not match the Sovereign's FQDN omantel\.omani\.works/,
    );
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe('ready');
    const unknown = createActionContext({
      input: { sovereign: 'ghost', phase: 'decommissioning', message: 'x' },
      workspacePath: env.workspacePath,
    });
    await expect(
      createSovereignPhaseAction({
        registry: env.registry,
        permissions: env.permissions,
      }).handler(unknown.ctx),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it("refuses an initiator outside the Sovereign's owning group before anything changes", async () => {
    const authorize = jest.fn(
      async (): Promise<AuthorizePermissionResponse[]> => [
        { result: AuthorizeResult.DENY },
      ],
    );
    const { ctx } = createActionContext({
      input: {
        sovereign: 'sovereign:default/omantel-omani-works',
        phase: 'decommissioning',
        message: 'Decommission requested by user:default/alice',
        confirmFqdn: 'omantel.omani.works',
      },
      workspacePath: env.workspacePath,
      userRef: 'user:default/alice',
    });
    const initiator = mockCredentials.user('user:default/alice');
    ctx.getInitiatorCredentials = async () => initiator;
    await expect(
      createSovereignPhaseAction({
        registry: env.registry,
        permissions: { authorize },
      }).handler(ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'user:default/alice may not change the phase of Sovereign omantel.omani.works',
      ),
    });
    expect(authorize).toHaveBeenCalledWith(
      [
        {
          permission: catalystSovereignDecommissionPermission,
          resourceRef: 'sovereign:default/omantel-omani-works',
        },
      ],
      { credentials: initiator },
    );
    expect(env.apis.sovereigns.get('omantel-omani-works').phase).toBe('ready');
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('parses entity refs', () => {
    expect(entityNameOf('sovereign:default/omantel-omani-works')).toBe(
      'omantel-omani-works',
    );
    expect(entityNameOf('omantel-omani-works')).toBe('omantel-omani-works');
    expect(() => entityNameOf('Not Valid')).toThrow(
      /not a Sovereign entity reference/,
    );
  });
});
