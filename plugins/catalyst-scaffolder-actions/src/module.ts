import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { CatalystData } from '@catalyst/plugin-catalyst-common';
import {
  readGitOpsSettings,
  readKeeperPollIntervalMs,
  readReservationTtlSeconds,
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
import { createTofuDestroyAction } from './actions/tofuDestroy';
import { createTofuPlanAction } from './actions/tofuPlan';
import { createVoucherRedeemAction } from './actions/voucherRedeem';
import { loadCatalystData } from './catalystData';
import { PoolAllocationClient } from './clients/PoolAllocationClient';
import { ScaffolderTaskClient } from './clients/ScaffolderTaskClient';
import { SovereignRegistryClient } from './clients/SovereignRegistryClient';
import { VoucherClient } from './clients/VoucherClient';
import { createGitCredentialsSource } from './gitops/gitCredentials';
import { GitOpsRepository } from './gitops/GitOpsRepository';
import { loadReleaseValues } from './overlay/releaseValues';
import { ProvisioningCompensation } from './provisioning/ProvisioningCompensation';
import { ReservationKeeper } from './provisioning/ReservationKeeper';

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
      },
      async init({ scaffolder, config, logger, discovery, auth, lifecycle }) {
        // Read and check everything at startup, so a broken data file or missing key fails the backend start.
        const data: CatalystData = loadCatalystData();
        const releaseValues = loadReleaseValues();
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
        const keeper = new ReservationKeeper({
          pdm,
          compensation,
          taskStatus: id => tasks.getStatus(id),
          logger,
          pollIntervalMs: readKeeperPollIntervalMs(config),
        });
        lifecycle.addShutdownHook(() => keeper.stop());

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

        scaffolder.addActions(
          createSovereignValidateAction({ data: () => data, pdm, registry }),
          createPdmReserveAction({ pdm, registry, keeper, ttlSeconds }),
          createPdmCommitAction({ pdm, keeper }),
          createPdmReleaseAction({ compensation, registry, keeper }),
          createRegistrarSetNsAction({ pdm }),
          createDnsAwaitDelegationAction({ registry }),
          createBlueprintsResolveAction({ data: () => data, registry }),
          createOverlayRenderAction({ releaseValues: () => releaseValues }),
          createGitopsCommitAction({ repository }),
          createCatalogRegisterSovereignAction({ registry }),
          createSovereignPhaseAction({ registry }),
          createTofuPlanAction({ config, logger }),
          createTofuApplyAction({ config, logger }),
          createTofuDestroyAction({ config, logger }),
          createVoucherRedeemAction({
            vouchers,
            registry,
            repository,
            data: () => data,
            // The same pull secret name the Sovereign overlay uses for the Blueprint charts.
            chartPullSecret: 'ghcr-pull',
          }),
        );
        logger.info(
          `Catalyst actions registered (GitOps ${gitops.repoUrl}#${gitops.branch}, reservation TTL ${ttlSeconds}s)`,
        );
      },
    });
  },
});
