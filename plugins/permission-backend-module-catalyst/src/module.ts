import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  CatalystPermissionPolicy,
  readAdminGroups,
} from './CatalystPermissionPolicy';

/**
 * Installs {@link CatalystPermissionPolicy} as the permission backend's policy (replaces the allow-all module).
 *
 * @public
 */
export const permissionModuleCatalystPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'catalyst-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, userInfo, config, logger }) {
        const adminGroups = readAdminGroups(config);
        logger.info(`Platform admins: members of ${adminGroups.join(', ')}`);
        policy.setPolicy(
          new CatalystPermissionPolicy(userInfo, { adminGroups }),
        );
      },
    });
  },
});
