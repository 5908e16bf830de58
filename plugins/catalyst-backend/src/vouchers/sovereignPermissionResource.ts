import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
  CATALYST_SOVEREIGN_RESOURCE_TYPE,
  catalystSovereignResourcePermissions,
} from '@catalyst/plugin-catalyst-common';
import { z } from 'zod/v3';
import { SovereignDirectory, sovereignRefOf } from './SovereignDirectory';

/** What a Sovereign-scoped permission decision is about: a Sovereign and its owning group. */
export type SovereignPermissionResource = { ref: string; owner: string };

export const sovereignPermissionResourceRef = createPermissionResourceRef<
  SovereignPermissionResource,
  never
>().with({
  pluginId: 'catalyst',
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/**
 * The franchise-admin rule: a user administers a Sovereign's vouchers when one of their ownership claims
 * (`user.info.ownershipEntityRefs`, i.e. themselves and the groups they belong to) is the Sovereign's owner
 * group as recorded in the registry.
 */
export const isFranchiseAdminRule = createPermissionRule({
  name: CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
  description:
    "Allow when the user's ownership claims include the Sovereign's owner (its franchisee group)",
  resourceRef: sovereignPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        "The user's ownership entity refs (user.info.ownershipEntityRefs)",
      ),
  }),
  apply: (resource, { claims }) =>
    claims.some(claim => claim.toLowerCase() === resource.owner.toLowerCase()),
  toQuery: () => {
    // Vouchers are never listed across Sovereigns by permission filter; each request names its Sovereign.
    throw new Error(
      `${CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE} does not support query filtering`,
    );
  },
});

/**
 * Registers the `catalyst-sovereign` resource type (full-record reads, decommission, vouchers) so conditional
 * decisions resolve against the registry.
 */
export function registerSovereignPermissionResource(
  registry: PermissionsRegistryService,
  sovereigns: SovereignDirectory,
) {
  registry.addResourceType({
    resourceRef: sovereignPermissionResourceRef,
    permissions: catalystSovereignResourcePermissions,
    rules: [isFranchiseAdminRule],
    getResources: async refs =>
      Promise.all(
        refs.map(async ref => {
          const parsed = sovereignRefOf(ref);
          const sovereign = parsed && (await sovereigns.get(parsed.name));
          return sovereign
            ? { ref: parsed.ref, owner: sovereign.owner }
            : undefined;
        }),
      ),
  });
}
