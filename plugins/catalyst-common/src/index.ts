/**
 * Catalyst's shared model: used by the frontend, the backend plugins and the scaffolder actions.
 *
 * @packageDocumentation
 */
export * from './domain';
export * from './permissions';
export * from './sovereignRecord';
