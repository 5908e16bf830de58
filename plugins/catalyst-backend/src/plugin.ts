import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import express from 'express';
import { durationToMilliseconds } from '@backstage/types';
import { catalystPermissions } from '@catalyst/plugin-catalyst-common';
import { createCatalogDataRouter } from './catalogData/createCatalogDataRouter';
import { catalystDataServiceRef } from '@catalyst/plugin-catalyst-node';
import { createCredentialsRouter } from './credentials/createCredentialsRouter';
import { HetznerCredentialValidator } from './credentials/HetznerCredentialValidator';
import {
  DelegationWatcher,
  readDelegationWatcherSettings,
} from './delegation/DelegationWatcher';
import { PdmDelegationClient } from './delegation/PdmDelegationClient';
import {
  createPlatformRouter,
  platformAuthPolicies,
} from './platform/createPlatformRouter';
import { KubeconfigCipher } from './platform/kubeconfigCipher';
import { PlatformStore } from './platform/PlatformStore';
import {
  PlatformWatcher,
  readPlatformWatcherSettings,
} from './platform/PlatformWatcher';
import {
  KUBECONFIG_KEY_CONFIG,
  readAdminGroups,
  readKubeconfigKey,
} from './platform/platformConfig';
import { createRouter } from './router';
import { createSovereignsRouter } from './sovereigns/createSovereignsRouter';
import { SovereignChangePublisher } from './sovereigns/SovereignChangePublisher';
import { SovereignStore } from './sovereigns/SovereignStore';
import { createSshKeysRouter } from './sshKeys/createSshKeysRouter';
import { SshKeyService } from './sshKeys/SshKeyService';
import { setUpVouchers } from './vouchers/setUpVouchers';
import { registerSovereignPermissionResource } from './vouchers/sovereignPermissionResource';

/**
 * Catalyst backend plugin, mounted at `/api/catalyst`.
 *
 * @public
 */
export const catalystPlugin = createBackendPlugin({
  pluginId: 'catalyst',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        catalystData: catalystDataServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        logger,
        config,
        database,
        permissions,
        permissionsRegistry,
        scheduler,
        discovery,
        auth,
        userInfo,
        events,
        lifecycle,
        catalystData,
      }) {
        permissionsRegistry.addPermissions(catalystPermissions);
        const store = await SovereignStore.create(database);
        // Sovereign-scoped permissions (full record, decommission, vouchers) resolve against the registry owner.
        registerSovereignPermissionResource(permissionsRegistry, store);
        lifecycle.addShutdownHook(() => store.close());
        const publisher = new SovereignChangePublisher(events, logger);

        // byo-manual (docs/pdm.md §7): one instance across the cluster polls PDM for the NS delegation.
        const delegation = readDelegationWatcherSettings(config);
        const watcher = new DelegationWatcher({
          store,
          publisher,
          delegation: new PdmDelegationClient({ discovery, auth }),
          logger,
          timeout: delegation.timeout,
          delegatedPhase: config.has('catalyst.platform.kubeconfigKey')
            ? 'bootstrapping'
            : 'ready',
        });
        await scheduler.scheduleTask({
          id: 'catalyst-delegation-watcher',
          scope: 'global',
          frequency: delegation.pollInterval,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 30 },
          fn: async signal => {
            await watcher.runOnce(signal);
          },
        });
        // Phase 1 (docs/phase1.md): the kubeconfig handoff and the platform watcher. Without
        // catalyst.platform.kubeconfigKey they are off (the routes answer 404) and a warning names the key.
        const platformSettings = readPlatformWatcherSettings(config);
        const kubeconfigKey = readKubeconfigKey(config);
        const platformRouters: express.Router[] = [];
        let platform: PlatformStore | undefined;
        if (!kubeconfigKey) {
          logger.warn(
            `Phase 1 is off: set ${KUBECONFIG_KEY_CONFIG} (a secret of at least 32 characters) to receive and watch cluster kubeconfigs`,
          );
        } else {
          const platformStore = await PlatformStore.create(database, {
            cipher: new KubeconfigCipher(kubeconfigKey),
          });
          platform = platformStore;
          store.onChange(({ name }) => {
            void store
              .get(name)
              .then(record => (record ? undefined : platformStore.forget(name)))
              .catch(e =>
                logger.warn(`Could not clean up Sovereign ${name}: ${e}`),
              );
          });
          const platformWatcher = new PlatformWatcher({
            store,
            platform: platformStore,
            publisher,
            logger,
            settings: platformSettings,
          });
          await scheduler.scheduleTask({
            id: 'catalyst-platform-watcher',
            scope: 'global',
            frequency: platformSettings.pollInterval,
            timeout: {
              milliseconds:
                durationToMilliseconds(platformSettings.sessionLength) + 60_000,
            },
            initialDelay: { seconds: 5 },
            fn: async signal => {
              await platformWatcher.runOnce(signal);
            },
          });
          for (const policy of platformAuthPolicies) {
            httpRouter.addAuthPolicy(policy);
          }
          platformRouters.push(
            createPlatformRouter({
              store,
              platform: platformStore,
              publisher,
              httpAuth,
              userInfo,
              permissions,
              logger,
              handoffTtlMs: durationToMilliseconds(platformSettings.handoffTtl),
              adminGroups: readAdminGroups(config),
            }),
          );
        }

        const vouchers = await setUpVouchers({
          config,
          database,
          events,
          logger,
          httpAuth,
          permissions,
          permissionsRegistry,
          sovereigns: store,
        });
        for (const policy of vouchers.authPolicies) {
          httpRouter.addAuthPolicy(policy);
        }

        httpRouter.use(
          createRouter([
            ...platformRouters,
            createSovereignsRouter({
              store,
              publisher,
              httpAuth,
              permissions,
              logger,
              withPlatform: async record =>
                platform
                  ? { ...record, ...(await platform.describe(record.name)) }
                  : record,
              revokeVouchers: vouchers.revokeAllOf,
            }),
            createCatalogDataRouter({ data: catalystData.get(), httpAuth }),
            createCredentialsRouter({
              validators: [HetznerCredentialValidator.fromConfig(config)],
              httpAuth,
            }),
            createSshKeysRouter({
              sshKeys: new SshKeyService(),
              httpAuth,
              logger,
            }),
            ...vouchers.routers,
          ]),
        );
      },
    });
  },
});
