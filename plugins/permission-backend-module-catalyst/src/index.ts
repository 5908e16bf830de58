/**
 * Permission policy module for Catalyst: deny by default, one permission matrix (README.md).
 *
 * @packageDocumentation
 */
export { permissionModuleCatalystPolicy as default } from './module';
export {
  CatalystPermissionPolicy,
  PERMISSION_MATRIX,
  ADMIN_GROUPS_CONFIG,
  DEFAULT_ADMIN_GROUPS,
  readAdminGroups,
} from './CatalystPermissionPolicy';
export type { MatrixRule } from './CatalystPermissionPolicy';
