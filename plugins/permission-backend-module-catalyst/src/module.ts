import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CatalystPermissionPolicy } from './CatalystPermissionPolicy';

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
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new CatalystPermissionPolicy(userInfo));
      },
    });
  },
});
