/**
 * Catalyst's backend-shared library (Backstage role `node-library`): what several backend plugins and modules
 * need at run time and nothing a browser may load.
 *
 * @packageDocumentation
 */
export * from './catalystData';
export * from './PluginApiClient';
