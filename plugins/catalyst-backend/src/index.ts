/**
 * Catalyst backend: the Sovereign registry and its events, the catalog data, provider credential checks and
 * SSH keys for the wizard.
 *
 * @packageDocumentation
 */
export { catalystPlugin as default } from './plugin';
