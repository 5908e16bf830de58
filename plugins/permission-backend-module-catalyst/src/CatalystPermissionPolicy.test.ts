import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  catalystSovereignManagePermission,
  catalystVoucherCreatePermission,
  catalystVoucherDeletePermission,
  catalystVoucherReadPermission,
} from '@catalyst/plugin-catalyst-common';
import { CatalystPermissionPolicy } from './CatalystPermissionPolicy';

const CLAIMS: Record<string, string[]> = {
  'user:default/nadia': ['user:default/nadia', 'group:default/omantel-admins'],
  'user:default/nobody': [],
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

describe('CatalystPermissionPolicy', () => {
  it.each([
    catalystVoucherCreatePermission,
    catalystVoucherReadPermission,
    catalystVoucherDeletePermission,
  ])(
    'makes $name conditional on the franchise-admin rule with the user’s claims',
    async permission => {
      const decision = await policy.handle(
        { permission },
        userQuery('user:default/nadia'),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalyst',
        resourceType: 'catalyst-sovereign',
        conditions: {
          rule: 'IS_FRANCHISE_ADMIN',
          resourceType: 'catalyst-sovereign',
          params: {
            claims: ['user:default/nadia', 'group:default/omantel-admins'],
          },
        },
      });
    },
  );

  it('denies voucher permissions without a user or without ownership claims', async () => {
    expect(
      await policy.handle({ permission: catalystVoucherReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle(
        { permission: catalystVoucherReadPermission },
        userQuery('user:default/nobody'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows every other permission, as before', async () => {
    for (const permission of [
      catalystSovereignManagePermission,
      createPermission({ name: 'catalog.entity.read', attributes: {} }),
      createPermission({
        name: 'catalog.entity.delete',
        attributes: { action: 'delete' },
        resourceType: 'catalog-entity',
      }),
    ]) {
      expect(
        await policy.handle({ permission }, userQuery('user:default/nobody')),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
