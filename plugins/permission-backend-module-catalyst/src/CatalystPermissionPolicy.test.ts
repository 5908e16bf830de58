import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import { scaffolderPermissions } from '@backstage/plugin-scaffolder-common/alpha';
import {
  catalystPermissions,
  pdmPermissions,
} from '@catalyst/plugin-catalyst-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  CatalystPermissionPolicy,
  MatrixRule,
  PERMISSION_MATRIX,
  readAdminGroups,
} from './CatalystPermissionPolicy';

/** Catalog memberships the policy sees through UserInfoService (catalog/org.yaml's seeded users). */
const CLAIMS: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest', 'group:default/platform-team'],
  'user:default/alice': ['user:default/alice', 'group:default/team-a'],
  'user:default/bob': ['user:default/bob', 'group:default/team-b'],
  'user:default/loner': [],
};

const policy = new CatalystPermissionPolicy({
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: CLAIMS[ref] ?? [ref] };
  },
});

const userQuery = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [] },
});

/** Every permission a Catalyst backend registers, by name. */
const KNOWN: Record<string, Permission> = Object.fromEntries(
  [
    ...catalogPermissions,
    ...scaffolderPermissions,
    ...catalystPermissions,
    ...pdmPermissions,
  ].map(p => [p.name, p]),
);

function permissionNamed(name: string): Permission {
  return (
    KNOWN[name] ?? createPermission({ name, attributes: {} }) // kubernetes.*, techdocs.*: basic permissions
  );
}

const decide = (name: string, user?: string): Promise<PolicyDecision> =>
  policy.handle(
    { permission: permissionNamed(name) },
    user ? userQuery(user) : undefined,
  );

/** What a member of team-a (alice) gets for each rule: her own resources are decided by a condition. */
function expectedForAlice(name: string, rule: MatrixRule): PolicyDecision {
  switch (rule) {
    case 'everyone':
      return { result: AuthorizeResult.ALLOW };
    case 'sovereign-owner':
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalyst',
        resourceType: 'catalyst-sovereign',
        conditions: {
          rule: 'IS_FRANCHISE_ADMIN',
          resourceType: 'catalyst-sovereign',
          params: { claims: ['user:default/alice', 'group:default/team-a'] },
        },
      };
    case 'task-owner':
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: ['user:default/alice'] },
        },
      };
    default:
      expect(name).toBeDefined();
      return { result: AuthorizeResult.DENY };
  }
}

describe('CatalystPermissionPolicy: the matrix, row by row', () => {
  describe.each(Object.entries(PERMISSION_MATRIX))('%s (%s)', (name, rule) => {
    it('a platform admin (member of platform-team) is allowed', async () => {
      expect(await decide(name, 'user:default/guest')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it('a tenant user gets what the row says', async () => {
      expect(await decide(name, 'user:default/alice')).toEqual(
        expectedForAlice(name, rule),
      );
    });

    it('a request without a user is denied', async () => {
      expect(await decide(name)).toEqual({ result: AuthorizeResult.DENY });
    });
  });

  it('the matrix names every permission Catalyst, PDM, the catalog and the scaffolder register', () => {
    const missing = Object.keys(KNOWN).filter(n => !(n in PERMISSION_MATRIX));
    expect(missing).toEqual([]);
  });

  it('denies a permission that is not in the matrix, except to platform admins', async () => {
    for (const name of ['some.plugin.write', 'catalyst.something.new']) {
      expect(await decide(name, 'user:default/alice')).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(name, 'user:default/guest')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('a user with no ownership claims still gets a condition they cannot meet, never an allow', async () => {
    const decision = await decide(
      'catalyst.voucher.read',
      'user:default/loner',
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: ['user:default/loner'] } },
    });
  });

  it('Sovereign permissions are scoped per owner: alice and bob get their own claims', async () => {
    const bob = await decide(
      'catalyst.sovereign.decommission',
      'user:default/bob',
    );
    expect(bob).toMatchObject({
      conditions: {
        params: { claims: ['user:default/bob', 'group:default/team-b'] },
      },
    });
  });

  it('a non-user principal (service, none) is denied by the policy itself', async () => {
    expect(
      await policy.handle(
        { permission: permissionNamed('catalog.entity.read') },
        {
          credentials: mockCredentials.service('plugin:scaffolder'),
          info: { userEntityRef: '', ownershipEntityRefs: [] },
        } as any,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });
});

describe('admin groups', () => {
  it('default to group:default/platform-team and accept short refs', () => {
    expect(readAdminGroups(new ConfigReader({}))).toEqual([
      'group:default/platform-team',
    ]);
    expect(
      readAdminGroups(
        new ConfigReader({
          catalyst: {
            permissions: { adminGroups: ['ops', 'group:infra/SRE'] },
          },
        }),
      ),
    ).toEqual(['group:default/ops', 'group:infra/sre']);
  });

  it('a configured admin group replaces the default', async () => {
    const custom = new CatalystPermissionPolicy(
      {
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: CLAIMS[ref] ?? [ref],
          };
        },
      },
      { adminGroups: ['group:default/team-b'] },
    );
    const del = { permission: permissionNamed('catalog.entity.delete') };
    expect(await custom.handle(del, userQuery('user:default/bob'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await custom.handle(del, userQuery('user:default/guest'))).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});

describe('README', () => {
  const CELLS: Record<MatrixRule, string[]> = {
    everyone: ['yes', 'yes', 'yes'],
    'sovereign-owner': ['yes', "its Sovereign's owning group", 'no'],
    'task-owner': ['yes', "the task's creator", 'no'],
    admin: ['yes', 'no', 'no'],
  };

  it('shows exactly the matrix the policy implements', () => {
    const readme = fs.readFileSync(
      path.resolve(__dirname, '..', 'README.md'),
      'utf8',
    );
    const rows: Record<string, string[]> = {};
    for (const line of readme.split('\n')) {
      const match = /^\|\s*`([a-z0-9.-]+)`\s*\|(.*)\|\s*$/.exec(line);
      if (!match) continue;
      rows[match[1]] = match[2].split('|').map(c => c.trim());
    }
    const expected = Object.fromEntries(
      Object.entries(PERMISSION_MATRIX).map(([name, rule]) => [
        name,
        CELLS[rule],
      ]),
    );
    expect(rows).toEqual(expected);
  });
});
