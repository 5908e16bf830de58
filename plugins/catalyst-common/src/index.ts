/**
 * Catalyst's shared model: used by the frontend, the backend plugins and the scaffolder actions.
 *
 * @packageDocumentation
 */
export * from './domain';
export * from './sovereignKeys';
export * from './permissions';
export * from './sovereignRecord';
export * from './platformReadiness';
export * from './organizationRecord';
export * from './data/dataFile';
export * from './data/componentCatalog';
export * from './data/nodeSizes';
export * from './data/bootstrapKit';
export * from './data/catalystData';
export * from './selection/componentSelection';
export * from './blueprints/blueprints';
export * from './blueprints/resolveBlueprints';
export * from './wizard/topologies';
export * from './wizard/sshPublicKey';
export * from './wizard/sovereignRequest';
export * from './entities/apiVersion';
export * from './entities/sovereignEntity';
export * from './entities/blueprintEntity';
export * from './entities/voucherEntity';
export * from './api/pdmApi';
export * from './api/vouchersApi';
export * from './api/client/ApiTransport';
export * from './api/client/VouchersClient';
export * from './api/client/PdmClient';
export * from './api/client/SovereignRegistryClient';
