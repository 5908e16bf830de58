import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
import { RESOURCE_TYPE_SCAFFOLDER_TASK } from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
  CATALYST_SOVEREIGN_RESOURCE_TYPE,
} from '@catalyst/plugin-catalyst-common';

/** Config key: the groups (or users) whose members are platform admins. */
export const ADMIN_GROUPS_CONFIG = 'catalyst.permissions.adminGroups';
export const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

/**
 * Who, besides platform admins, holds a permission:
 * - `everyone`: any signed-in user;
 * - `sovereign-owner`: members of the owning group of the Sovereign in question (a CONDITIONAL decision on
 *   catalyst-backend's IS_FRANCHISE_ADMIN rule, resolved against the registry's `owner`);
 * - `task-owner`: the user who created the scaffolder task (the scaffolder's own IS_TASK_OWNER rule);
 * - `admin`: platform admins only.
 * A permission that is not in the matrix is denied to everyone but platform admins.
 */
export type MatrixRule =
  | 'everyone'
  | 'sovereign-owner'
  | 'task-owner'
  | 'admin';

/**
 * THE permission matrix (README.md shows it as a table; the unit tests assert it row by row). Service principals
 * (backend plugins, e.g. the scaffolder's Catalyst actions) are never asked: Backstage allows them before the
 * policy runs, so the routes that accept them restrict *which* routes a service may call.
 */
export const PERMISSION_MATRIX: Readonly<Record<string, MatrixRule>> = {
  // Catalog: everyone reads; registering a location is allowed, but the catalog rules and the Catalyst processor
  // accept only Component/System/API/Resource/Location from it (never Sovereign, Voucher, User, Group, Template).
  'catalog.entity.read': 'everyone',
  'catalog.entity.validate': 'everyone',
  'catalog.location.read': 'everyone',
  'catalog.location.analyze': 'everyone',
  'catalog.location.create': 'everyone',
  'catalog.entity.create': 'everyone',
  'catalog.entity.delete': 'admin',
  'catalog.entity.refresh': 'admin',
  'catalog.location.delete': 'admin',
  'catalog.ingestion.read': 'admin',
  'catalog.ingestion.manage': 'admin',
  // Scaffolder: anyone may run a template (the Catalyst actions check the initiator where it matters), tasks are
  // private to their creator.
  'scaffolder.template.parameter.read': 'everyone',
  'scaffolder.template.step.read': 'everyone',
  'scaffolder.action.execute': 'everyone',
  'scaffolder.task.create': 'everyone',
  'scaffolder.task.read': 'task-owner',
  'scaffolder.task.cancel': 'task-owner',
  'scaffolder.template.dry-run': 'admin',
  'scaffolder.template.management': 'admin',
  // Catalyst: a Sovereign's owning group reads its full record, decommissions it and administers its vouchers.
  'catalyst.sovereign.read': 'sovereign-owner',
  'catalyst.sovereign.decommission': 'sovereign-owner',
  'catalyst.voucher.create': 'sovereign-owner',
  'catalyst.voucher.read': 'sovereign-owner',
  'catalyst.voucher.delete': 'sovereign-owner',
  // The registry is written by the Catalyst actions with service credentials.
  'catalyst.sovereign.manage': 'admin',
  // PDM's mutating routes: service principals (the actions, for an authorised initiator) and admins.
  'pdm.allocation.manage': 'admin',
  'pdm.allocation.list': 'admin',
  'pdm.byo.manage': 'admin',
  'pdm.registrar.set-ns': 'admin',
  // Cluster access and plugin actions are platform operations.
  'kubernetes.proxy': 'admin',
  'kubernetes.resources.read': 'admin',
  'kubernetes.clusters.read': 'admin',
  'techdocs.actions.read': 'admin',
};

/** Reads and normalises `catalyst.permissions.adminGroups` (full entity refs, lower case). */
export function readAdminGroups(config?: Config): string[] {
  const configured = config?.getOptionalStringArray(ADMIN_GROUPS_CONFIG);
  const groups = configured ?? DEFAULT_ADMIN_GROUPS;
  return groups.map(ref => {
    try {
      return stringifyEntityRef(
        parseEntityRef(ref.trim(), {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ).toLowerCase();
    } catch (error) {
      throw new Error(
        `${ADMIN_GROUPS_CONFIG} contains '${ref}', which is not an entity reference: ${
          (error as Error).message
        }`,
      );
    }
  });
}

/**
 * Catalyst's permission policy: deny by default, one matrix ({@link PERMISSION_MATRIX}).
 *
 * 1. No user (an anonymous or unknown principal): DENY.
 * 2. A platform admin (the user or one of their groups is in `catalyst.permissions.adminGroups`): ALLOW.
 * 3. Otherwise the permission's matrix rule decides: `everyone` ALLOW; `sovereign-owner` CONDITIONAL on
 *    IS_FRANCHISE_ADMIN with the user's ownership claims; `task-owner` CONDITIONAL on the scaffolder's
 *    IS_TASK_OWNER with the user's entity ref; `admin` and anything not in the matrix DENY.
 */
export class CatalystPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  constructor(
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
    options: { adminGroups?: string[] } = {},
  ) {
    this.adminGroups = new Set(
      (options.adminGroups ?? DEFAULT_ADMIN_GROUPS).map(g => g.toLowerCase()),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const identity = user ? await this.identityOf(user.credentials) : undefined;
    if (!identity) {
      return { result: AuthorizeResult.DENY };
    }
    if (identity.claims.some(claim => this.adminGroups.has(claim))) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    switch (PERMISSION_MATRIX[permission.name]) {
      case 'everyone':
        return { result: AuthorizeResult.ALLOW };
      case 'sovereign-owner':
        if (
          !isResourcePermission(permission, CATALYST_SOVEREIGN_RESOURCE_TYPE)
        ) {
          return { result: AuthorizeResult.DENY };
        }
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalyst',
          resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
          conditions: {
            rule: CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE,
            resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
            params: { claims: identity.claims },
          },
        };
      case 'task-owner':
        if (!isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
          return { result: AuthorizeResult.DENY };
        }
        return createScaffolderTaskConditionalDecision(
          permission,
          scaffolderTaskConditions.isTaskOwner({
            createdBy: [identity.userEntityRef],
          }),
        );
      default:
        return { result: AuthorizeResult.DENY };
    }
  }

  /** The user's entity ref and ownership claims (lower case); undefined for anything but a user. */
  private async identityOf(
    credentials: BackstageCredentials,
  ): Promise<{ userEntityRef: string; claims: string[] } | undefined> {
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user') return undefined;
    const info = await this.userInfo.getUserInfo(credentials);
    const claims = [
      ...new Set(
        [info.userEntityRef, ...info.ownershipEntityRefs].map(ref =>
          ref.toLowerCase(),
        ),
      ),
    ];
    return { userEntityRef: info.userEntityRef, claims };
  }
}
