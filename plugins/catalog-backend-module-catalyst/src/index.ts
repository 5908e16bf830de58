/**
 * Catalog module for Catalyst: processors and entity providers for the `Sovereign`, `Blueprint` and `Voucher`
 * kinds (`catalyst.openova.io/v1alpha1`).
 *
 * @packageDocumentation
 */
export { catalogModuleCatalyst as default } from './module';
export { CatalystEntitiesProcessor } from './processors/CatalystEntitiesProcessor';
export { BlueprintEntityProvider } from './providers/BlueprintEntityProvider';
export {
  CatalystRecordEntityProvider,
  type CatalystRecordEntityProviderOptions,
} from './providers/CatalystRecordEntityProvider';
export {
  CatalystApiRecordSource,
  type RecordSource,
} from './providers/CatalystApiRecordSource';
export {
  createSovereignEntityProvider,
  createVoucherEntityProvider,
} from './providers/createRecordProviders';
export {
  catalogPriority,
  type CatalogPriority,
  type CatalogPriorityOptions,
} from './providers/CatalogPriority';
