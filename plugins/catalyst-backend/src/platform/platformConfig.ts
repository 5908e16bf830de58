import { Config } from '@backstage/config';

export const KUBECONFIG_KEY_CONFIG = 'catalyst.platform.kubeconfigKey';
export const ADMIN_GROUPS_CONFIG = 'catalyst.permissions.adminGroups';
const MIN_KEY_LENGTH = 32;
export const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

/**
 * The secret the kubeconfig encryption key is derived from, or undefined when Phase 1 is not configured. A key
 * that is set but too short fails the start: it would make stored kubeconfigs readable from a database dump.
 */
export function readKubeconfigKey(config: Config): string | undefined {
  const key = config.getOptionalString(KUBECONFIG_KEY_CONFIG);
  if (key === undefined) return undefined;
  if (key.length < MIN_KEY_LENGTH) {
    throw new Error(
      `${KUBECONFIG_KEY_CONFIG} must be set to a secret of at least ${MIN_KEY_LENGTH} characters (kubeconfigs are stored encrypted with AES-256-GCM under it)`,
    );
  }
  return key;
}

/** Groups whose members administer every Sovereign (full entity refs). */
export function readAdminGroups(config: Config): string[] {
  return (
    config.getOptionalStringArray(ADMIN_GROUPS_CONFIG) ?? DEFAULT_ADMIN_GROUPS
  );
}
