import { ConfigReader } from '@backstage/config';
import {
  ActionTestEnvironment,
  createActionTestEnvironment,
} from '../__testUtils__/actionTestEnvironment';
import { createActionContext } from '../__testUtils__/createActionContext';
import {
  dropSchema,
  makeTempDir,
  pgConnectionString,
  SANDBOX_MODULE,
  sovereignInput,
  tofuTestConfig,
  uniqueFqdn,
} from '../tofu/tofuTestFixtures';
import { createCatalogRegisterSovereignAction } from './catalogRegisterSovereign';
import { exampleRequest } from './catalogRegisterSovereign.examples';
import { createSovereignPhaseAction } from './sovereignPhase';
import { createTofuApplyAction } from './tofuApply';
import { createTofuDestroyAction } from './tofuDestroy';
import { stateSchemaName } from '../tofu/TofuWorkspace';

// Integration test: real terraform on infra/sandbox with local state (and pg state when PostgreSQL is there).

const secrets = { hetznerToken: 'destroy-test-token-0123456789abcdef' };

/** The tofu test config plus the GitOps repository the module is configured with. */
function configWithGitops(base: ConfigReader, repoUrl: string) {
  const catalyst = base.get('scaffolder.catalyst') as Record<string, unknown>;
  return new ConfigReader({
    scaffolder: { catalyst: { ...catalyst, gitops: { repoUrl } } },
  });
}

const ranDestroy = (lines: string[]) =>
  lines.some(l => /^Running terraform destroy/.test(l));

describe('catalyst:tofu:destroy (terraform, integration)', () => {
  it('destroys what an apply created, streams the progress and is idempotent', async () => {
    const config = tofuTestConfig({
      modulePath: SANDBOX_MODULE,
      workDir: await makeTempDir('work'),
    });
    const fqdn = uniqueFqdn('destroy');
    const input = sovereignInput(fqdn);
    const ha = {
      ...input,
      request: {
        ...input.request,
        topology: { ...input.request.topology, haEnabled: true },
      },
    };
    await createTofuApplyAction({ config }).handler(
      createActionContext({
        input: ha,
        workspacePath: await makeTempDir('ws'),
        secrets,
      }).ctx,
    );

    const action = createTofuDestroyAction({ config });
    expect(action.id).toBe('catalyst:tofu:destroy');
    const first = createActionContext({
      input: ha,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(first.ctx);
    // HA: 1 load balancer, 3 control planes, 2 workers.
    expect(first.outputs.destroyed).toBe(6);
    const lines = first.logger.info.mock.calls.map(c => String(c[0]));
    expect(lines).toContain(`The state of ${fqdn} holds 6 resources`);
    expect(lines.some(l => /0 to add, 0 to change, 6 to destroy/.test(l))).toBe(
      true,
    );
    expect(
      lines.some(l => /Destruction complete.*\(destroyed 6\/6\)/.test(l)),
    ).toBe(true);

    const again = createActionContext({
      input: ha,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await action.handler(again.ctx);
    expect(again.outputs.destroyed).toBe(0);
    expect(
      ranDestroy(again.logger.info.mock.calls.map(c => String(c[0]))),
    ).toBe(false);
  });

  it('is a no-op for a Sovereign whose apply never ran, even without a recorded GitOps location', async () => {
    const config = configWithGitops(
      tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
      }),
      'https://github.com/openova-io/openova',
    );
    const fqdn = uniqueFqdn('neverapplied');
    const { gitopsRepoUrl, gitopsBranch, overlayPath, ...input } =
      sovereignInput(fqdn);
    const { ctx, outputs, logger, logged } = createActionContext({
      // What the decommission template renders when the record has no gitops: empty strings.
      input: { ...input, gitopsBranch: '', overlayPath: '' },
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await createTofuDestroyAction({ config }).handler(ctx);
    expect(outputs.destroyed).toBe(0);
    const lines = logger.info.mock.calls.map(c => String(c[0]));
    expect(lines).toContain(
      `The state of ${fqdn} holds no resources (its apply never ran, or they are already destroyed): nothing to destroy`,
    );
    expect(ranDestroy(lines)).toBe(false);
    expect(logged()).not.toContain(secrets.hetznerToken);
  });

  it('names what is missing instead of running tofu', async () => {
    const config = tofuTestConfig({
      modulePath: SANDBOX_MODULE,
      workDir: await makeTempDir('work'),
    });
    const fqdn = uniqueFqdn('incomplete');
    const { sshPublicKey, hetznerProjectId, ...request } =
      sovereignInput(fqdn).request;
    const noRequest = createActionContext({
      input: { ...sovereignInput(fqdn), request },
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await expect(
      createTofuDestroyAction({ config }).handler(noRequest.ctx),
    ).rejects.toThrow(
      /Invalid input request: sshPublicKey: Required; hetznerProjectId: Required/,
    );

    const { gitopsRepoUrl, ...noRepo } = sovereignInput(fqdn);
    const withoutRepo = createActionContext({
      input: noRepo,
      workspacePath: await makeTempDir('ws'),
      secrets,
    });
    await expect(
      createTofuDestroyAction({ config }).handler(withoutRepo.ctx),
    ).rejects.toThrow(
      'Invalid input gitopsRepoUrl: it is required when scaffolder.catalyst.gitops.repoUrl is not configured',
    );

    const noToken = createActionContext({
      input: sovereignInput(fqdn),
      workspacePath: await makeTempDir('ws'),
      secrets: {},
    });
    await expect(
      createTofuDestroyAction({ config }).handler(noToken.ctx),
    ).rejects.toThrow(/Missing secret hetznerToken/);
    for (const run of [noRequest, withoutRepo, noToken]) {
      expect(
        run.logger.info.mock.calls.some(c => /^Running/.test(String(c[0]))),
      ).toBe(false);
    }
  });

  describe('from what the registry kept', () => {
    let env: ActionTestEnvironment;
    beforeEach(async () => {
      env = await createActionTestEnvironment();
    });
    afterEach(() => env.cleanup());

    it('decommissions with the request the register step recorded and the hetznerToken secret only', async () => {
      const config = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
      });
      const fqdn = uniqueFqdn('decommission');
      const request = { ...exampleRequest, fqdn };
      const provisioning = createActionContext({
        input: { request, phase: 'provisioning', message: 'start' },
        workspacePath: env.workspacePath,
      });
      await createCatalogRegisterSovereignAction({
        registry: env.registry,
        keeper: env.keeper,
        ttlSeconds: 600,
      }).handler(provisioning.ctx);
      const entityName = provisioning.outputs.entityName;
      await createTofuApplyAction({ config }).handler(
        createActionContext({
          input: sovereignInput(fqdn, { request }),
          workspacePath: await makeTempDir('ws'),
          secrets,
        }).ctx,
      );

      // The decommission template: phase step, then destroy from its outputs.
      const phase = createActionContext({
        input: {
          sovereign: `sovereign:default/${entityName}`,
          phase: 'decommissioning',
          message: 'Decommission requested',
          confirmFqdn: fqdn,
        },
        workspacePath: env.workspacePath,
      });
      await createSovereignPhaseAction({
        registry: env.registry,
        permissions: env.permissions,
      }).handler(phase.ctx);
      const destroy = createActionContext({
        input: {
          fqdn: phase.outputs.fqdn,
          request: phase.outputs.request,
          gitopsRepoUrl: 'https://github.com/openova-io/openova',
        },
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuDestroyAction({ config }).handler(destroy.ctx);
      // Solo: 1 load balancer, 1 control plane, 2 workers.
      expect(destroy.outputs.destroyed).toBe(4);
    });
  });
});

const pgUrl = pgConnectionString();
if (!pgUrl && process.env.CI) {
  throw new Error(
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is required in CI for the pg state tests',
  );
}
const describePg = pgUrl ? describe : describe.skip;

describePg(
  'catalyst:tofu:destroy with the pg state backend (PostgreSQL, integration)',
  () => {
    const schemas: string[] = [];
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(pgUrl!, schema);
    });

    it('is a no-op when the Sovereign has no state schema yet', async () => {
      const fqdn = uniqueFqdn('pgnever');
      schemas.push(stateSchemaName(fqdn));
      const config = tofuTestConfig({
        modulePath: SANDBOX_MODULE,
        workDir: await makeTempDir('work'),
        stateBackend: 'pg',
        pgConnectionString: pgUrl,
      });
      const { ctx, outputs, logger, logged } = createActionContext({
        input: sovereignInput(fqdn),
        workspacePath: await makeTempDir('ws'),
        secrets,
      });
      await createTofuDestroyAction({ config }).handler(ctx);
      expect(outputs.destroyed).toBe(0);
      expect(ranDestroy(logger.info.mock.calls.map(c => String(c[0])))).toBe(
        false,
      );
      expect(logged()).not.toContain(pgUrl);
    });
  },
);
