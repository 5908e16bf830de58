import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalystPermissions } from '@catalyst/plugin-catalyst-common';
import { createCatalogDataRouter } from './catalogData/createCatalogDataRouter';
import { loadCatalystData } from './catalogData/loadCatalystData';
import { createCredentialsRouter } from './credentials/createCredentialsRouter';
import { HetznerCredentialValidator } from './credentials/HetznerCredentialValidator';
import {
  DelegationWatcher,
  readDelegationWatcherSettings,
} from './delegation/DelegationWatcher';
import { PdmDelegationClient } from './delegation/PdmDelegationClient';
import { createRouter } from './router';
import { createSovereignsRouter } from './sovereigns/createSovereignsRouter';
import { SovereignChangePublisher } from './sovereigns/SovereignChangePublisher';
import { SovereignStore } from './sovereigns/SovereignStore';
import { createSshKeysRouter } from './sshKeys/createSshKeysRouter';
import { SshKeyService } from './sshKeys/SshKeyService';
import { setUpVouchers } from './vouchers/setUpVouchers';

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
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
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
        events,
        lifecycle,
      }) {
        permissionsRegistry.addPermissions(catalystPermissions);
        const store = await SovereignStore.create(database);
        lifecycle.addShutdownHook(() => store.close());
        const publisher = new SovereignChangePublisher(events, logger);

        // byo-manual (pdm.md §7): one instance across the cluster polls PDM for the NS delegation.
        const delegation = readDelegationWatcherSettings(config);
        const watcher = new DelegationWatcher({
          store,
          publisher,
          delegation: new PdmDelegationClient({ discovery, auth }),
          logger,
          timeout: delegation.timeout,
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
            createSovereignsRouter({
              store,
              publisher,
              httpAuth,
              permissions,
              logger,
            }),
            createCatalogDataRouter({ data: loadCatalystData(), httpAuth }),
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
