import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { CatalystEntitiesProcessor } from './processors/CatalystEntitiesProcessor';
import { BlueprintEntityProvider } from './providers/BlueprintEntityProvider';
import { catalogPriority } from './providers/CatalogPriority';
import {
  createCatalystApiSources,
  createSovereignEntityProvider,
  createVoucherEntityProvider,
} from './providers/createRecordProviders';
import { catalystDataServiceRef } from '@catalyst/plugin-catalyst-node';
import {
  createOrganizationApiSource,
  createOrganizationEntityProvider,
} from './providers/OrganizationEntityProvider';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 2 },
};
const DEFAULT_OWNER = 'group:default/openova';

/**
 * Catalog module for Catalyst: the `Sovereign`, `Blueprint` and `Voucher` kinds and their providers.
 *
 * @public
 */
export const catalogModuleCatalyst = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'catalyst',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        database: coreServices.database,
        events: eventsServiceRef,
        catalystData: catalystDataServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        discovery,
        auth,
        database,
        events,
        catalystData,
      }) {
        const providerConfig = config.getOptionalConfig(
          'catalog.providers.catalyst',
        );
        const schedule = providerConfig?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              providerConfig.getConfig('schedule'),
            )
          : DEFAULT_SCHEDULE;
        const owner =
          providerConfig?.getOptionalString('blueprints.owner') ??
          DEFAULT_OWNER;

        catalog.addProcessor(new CatalystEntitiesProcessor());

        const sources = createCatalystApiSources({ discovery, auth, logger });
        // This module shares the catalog's database: changed Sovereigns and Vouchers jump its queues.
        const priority = catalogPriority({ database, logger });
        catalog.addEntityProvider(
          new BlueprintEntityProvider(catalystData.get(), { owner, logger }),
          createSovereignEntityProvider({
            source: sources.sovereigns,
            priority,
            events,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            logger,
          }),
          createVoucherEntityProvider({
            source: sources.vouchers,
            priority,
            events,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            logger,
          }),
          createOrganizationEntityProvider({
            source: createOrganizationApiSource({ discovery, auth, logger }),
            events,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            logger,
          }),
        );
      },
    });
  },
});
