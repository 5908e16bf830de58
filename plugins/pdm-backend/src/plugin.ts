import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { pdmPermissions } from '@catalyst/plugin-catalyst-common';
import { readPdmConfig } from './config';
import { ByoZoneStore } from './database/ByoZoneStore';
import { PoolAllocationStore } from './database/PoolAllocationStore';
import { DelegationChecker } from './delegation/DelegationChecker';
import { PowerDnsClient } from './powerdns/PowerDnsClient';
import { Dns01Access } from './dns01/Dns01Access';
import { createRegistrarAdapters } from './registrars';
import { ByoZoneService } from './service/ByoZoneService';
import { PoolAllocationService } from './service/PoolAllocationService';
import { createRouter } from './service/router';

/** Budget for creating the pool parent zones at startup (docs/pdm.md §1). */
const BOOTSTRAP_BUDGET_MS = 60_000;

/**
 * PDM: the single authority over Sovereign domains. Routes under /api/pdm (docs/pdm.md §2).
 *
 * @public
 */
export const pdmPlugin = createBackendPlugin({
  pluginId: 'pdm',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        scheduler,
      }) {
        const pdmConfig = readPdmConfig(config);
        // 1. migrations
        const store = await PoolAllocationStore.create(database);
        // 2. PowerDNS client
        const powerDns = new PowerDnsClient(pdmConfig.powerdns);
        const dns01 = new Dns01Access(powerDns, pdmConfig.dns01);
        const allocations = new PoolAllocationService({
          store,
          powerDns,
          logger,
          poolDomains: pdmConfig.poolDomains,
          nameservers: pdmConfig.nameservers,
          reservationTtlMs: pdmConfig.reservationTtlMs,
          maxReservationTtlMs: pdmConfig.maxReservationTtlMs,
          dns01,
        });
        // 3. parent zones, fatal on failure
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            allocations.bootstrapParentZones(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(
                    new Error(
                      `no answer within ${BOOTSTRAP_BUDGET_MS / 1000} s`,
                    ),
                  ),
                BOOTSTRAP_BUDGET_MS,
              );
            }),
          ]);
        } catch (error) {
          throw new Error(
            `PDM could not create the pool zones ${pdmConfig.poolDomains.join(
              ', ',
            )} in PowerDNS at pdm.powerdns.baseUrl: ${
              (error as Error).message
            }`,
          );
        } finally {
          clearTimeout(timer);
        }
        const byo = new ByoZoneService({
          store: new ByoZoneStore(store.client),
          powerDns,
          nameservers: pdmConfig.nameservers,
          poolDomains: pdmConfig.poolDomains,
          dns01,
        });
        // 4. the sweeper: a global task, so one replica sweeps at a time. It also finishes DNS work that stopped
        // half-way (a release or a BYO zone change whose backend died between its row and PowerDNS).
        await scheduler.scheduleTask({
          id: 'pdm-sweeper',
          frequency: pdmConfig.sweeperInterval,
          timeout: { minutes: 5 },
          scope: 'global',
          fn: async () => {
            await allocations.sweep();
            await byo.sweep();
          },
        });
        // 5. registrar adapters
        const registrars = createRegistrarAdapters(config);

        permissionsRegistry.addPermissions(pdmPermissions);
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            store,
            allocations,
            byo,
            delegation: new DelegationChecker({
              nameservers: pdmConfig.nameservers,
              ...pdmConfig.delegation,
            }),
            registrars,
            nameservers: pdmConfig.nameservers,
            dns01,
          }),
        );
        httpRouter.addAuthPolicy({
          path: '/healthz',
          allow: 'unauthenticated',
        });
        logger.info(
          `PDM manages ${pdmConfig.poolDomains.join(
            ', ',
          )} with nameservers ${pdmConfig.nameservers.join(', ')}`,
        );
      },
    });
  },
});
