import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
  CATALYST_SOVEREIGN_RESOURCE_TYPE,
} from '@catalyst/plugin-catalyst-common';

/**
 * Catalyst's permission policy.
 *
 * - Voucher permissions (`catalyst.voucher.*`, resource type `catalyst-sovereign`) are granted only to franchise
 *   admins of the Sovereign in question: the decision is CONDITIONAL on catalyst-backend's `IS_FRANCHISE_ADMIN`
 *   rule with the user's ownership claims (the user and every group they belong to). catalyst-backend resolves
 *   it against its Sovereign registry: allowed iff the Sovereign's `owner` group is among the claims. A user
 *   without claims, or a request without a user, is denied.
 * - Everything else is allowed, as the allow-all policy did before.
 */
export class CatalystPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      !isResourcePermission(
        request.permission,
        CATALYST_SOVEREIGN_RESOURCE_TYPE,
      )
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user ? await this.claimsOf(user.credentials) : [];
    if (claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalyst',
      resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
      conditions: {
        rule: CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
        resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
        params: { claims },
      },
    };
  }

  private async claimsOf(credentials: BackstageCredentials): Promise<string[]> {
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user') return [];
    const info = await this.userInfo.getUserInfo(credentials);
    return info.ownershipEntityRefs;
  }
}
