/**
 * Permission policy module for Catalyst: voucher administration is scoped to each Sovereign's franchise admins.
 *
 * @packageDocumentation
 */
export { permissionModuleCatalystPolicy as default } from './module';
export { CatalystPermissionPolicy } from './CatalystPermissionPolicy';
