import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { CatalystData } from '@catalyst/plugin-catalyst-common';
import {
  assertNoRenamedKeys,
  readGitOpsSettings,
  readKeeperPollIntervalMs,
  readReservationTtlSeconds,
  readTlsSettings,
} from './actionsConfig';
import { createBlueprintsResolveAction } from './actions/blueprintsResolve';
import { createCatalogRegisterSovereignAction } from './actions/catalogRegisterSovereign';
import { createDnsAwaitDelegationAction } from './actions/dnsAwaitDelegation';
import { createGitopsCommitAction } from './actions/gitopsCommit';
import { createOverlayRenderAction } from './actions/overlayRender';
import { createPdmCommitAction } from './actions/pdmCommit';
import { createPdmReleaseAction } from './actions/pdmRelease';
import { createPdmReserveAction } from './actions/pdmReserve';
import { createRegistrarSetNsAction } from './actions/registrarSetNs';
import { createSovereignPhaseAction } from './actions/sovereignPhase';
import { createSovereignValidateAction } from './actions/sovereignValidate';
import { createTofuApplyAction } from './actions/tofuApply';
import { createSovereignAwaitReadyAction } from './actions/sovereignAwaitReady';
import { createTofuDestroyAction } from './actions/tofuDestroy';
import { createTofuPlanAction } from './actions/tofuPlan';
import { createVoucherRedeemAction } from './actions/voucherRedeem';
import { catalystDataServiceRef } from '@catalyst/plugin-catalyst-node';
import { PoolAllocationClient } from './clients/PoolAllocationClient';
import { ScaffolderTaskClient } from './clients/ScaffolderTaskClient';
import { SovereignRegistryClient } from './clients/SovereignRegistryClient';
import { VoucherClient } from './clients/VoucherClient';
import { createGitCredentialsSource } from './gitops/gitCredentials';
import { GitOpsRepository } from './gitops/GitOpsRepository';
import { loadReleaseValues } from './overlay/releaseValues';
import { ProvisioningCompensation } from './provisioning/ProvisioningCompensation';
import { ReservationKeeper } from './provisioning/ReservationKeeper';
import { ReplicaRegistry } from './tofu/ReplicaRegistry';
import { setRemoteReplicaLiveness } from './tofu/TofuHolder';
import { TofuRun } from './tofu/TofuRun';
import { userFacingAction } from './userFacing';

/** Registers every Catalyst provisioning action on the scaffolder. */
export const scaffolderModuleCatalyst = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'catalyst',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalystData: catalystDataServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        discovery,
        auth,
        lifecycle,
        permissions,
        database,
        scheduler,
        catalystData,
      }) {
        // Read and check everything at startup, so a broken data file or missing key fails the backend start.
        const data: CatalystData = catalystData.get();
        const releaseValues = loadReleaseValues();
        assertNoRenamedKeys(config);
        const gitops = readGitOpsSettings(config);
        const ttlSeconds = readReservationTtlSeconds(config);

        const pdm = new PoolAllocationClient({ discovery, auth });
        const registry = new SovereignRegistryClient({ discovery, auth });
        const tasks = new ScaffolderTaskClient({ discovery, auth });
        const vouchers = new VoucherClient({ discovery, auth });
        const compensation = new ProvisioningCompensation({
          pdm,
          registry,
          logger,
        });
        const keeper = await ReservationKeeper.create({
          database,
          pdm,
          compensation,
          taskStatus: id => tasks.getStatus(id),
          logger,
        });
        // Global: one pass at a time across every backend replica, and it carries on after a restart. The
        // timeout is also how long a pass of a replica that died blocks the next one (the scheduler's lock on
        // the task row is only released then), so it is short; passes that overlap are harmless, every state
        // change of a row is a conditional update.
        await scheduler.scheduleTask({
          id: 'catalyst-reservation-keeper',
          scope: 'global',
          frequency: { milliseconds: readKeeperPollIntervalMs(config) },
          timeout: { minutes: 2 },
          fn: () => keeper.tick(),
        });

        // Heartbeats tell whether the backend behind a tofu lock on another host is still running.
        const replicas = new ReplicaRegistry(await database.getClient());
        await replicas.start();
        setRemoteReplicaLiveness(replica => replicas.alive(replica));
        // SIGTERM: tofu runs are interrupted gracefully (state saved, lock released) while the backend stops.
        lifecycle.addShutdownHook(async () => {
          await TofuRun.shutdown();
          await replicas.stop().catch(() => undefined);
        });

        const credentials = createGitCredentialsSource(config, gitops.repoUrl);
        const repository = () =>
          new GitOpsRepository({
            repoUrl: gitops.repoUrl,
            branch: gitops.branch,
            author: { name: gitops.authorName, email: gitops.authorEmail },
            maxPushAttempts: gitops.maxPushAttempts,
            credentials,
            logger,
          });

        const actions = [
          createSovereignValidateAction({ data: () => data, pdm, registry }),
          createPdmReserveAction({ pdm, registry, keeper, ttlSeconds }),
          createPdmCommitAction({ pdm, keeper }),
          createPdmReleaseAction({ compensation, registry, keeper }),
          createRegistrarSetNsAction({ pdm }),
          createDnsAwaitDelegationAction({ registry }),
          createBlueprintsResolveAction({ data: () => data, registry }),
          createOverlayRenderAction({
            releaseValues: () => releaseValues,
            tls: readTlsSettings(config),
          }),
          createGitopsCommitAction({
            repository,
            releaseValues: () => releaseValues,
            tls: readTlsSettings(config),
          }),
          createCatalogRegisterSovereignAction({
            registry,
            keeper,
            ttlSeconds,
          }),
          createSovereignPhaseAction({ registry, permissions }),
          createSovereignAwaitReadyAction({ registry }),
          createTofuPlanAction({ config, logger }),
          createTofuApplyAction({ config, logger, registry, discovery, pdm }),
          createTofuDestroyAction({ config, logger }),
          createVoucherRedeemAction({
            vouchers,
            registry,
            repository,
            data: () => data,
            // The same pull secret name the Sovereign overlay uses for the Blueprint charts.
            chartPullSecret: 'ghcr-pull',
          }),
        ];
        // Task logs and failures read as messages, without stack traces or server paths (userFacing.ts).
        scaffolder.addActions(
          ...actions.map(action => userFacingAction(action)),
        );
        logger.info(
          `Catalyst actions registered (GitOps ${gitops.repoUrl}#${gitops.branch}, reservation TTL ${ttlSeconds}s)`,
        );
      },
    });
  },
});
