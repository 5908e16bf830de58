import { createPermission } from '@backstage/plugin-permission-common';

/** Reserve, commit and release pool allocations (PDM). Service callers such as the scaffolder. */
export const pdmAllocationManagePermission = createPermission({
  name: 'pdm.allocation.manage',
  attributes: { action: 'update' },
});

/** List every allocation of a pool (PDM `/list`). */
export const pdmAllocationListPermission = createPermission({
  name: 'pdm.allocation.list',
  attributes: { action: 'read' },
});

/** Create or delete a bring-your-own zone and its records (PDM `/byo`). */
export const pdmByoZoneManagePermission = createPermission({
  name: 'pdm.byo.manage',
  attributes: { action: 'update' },
});

/** Flip a domain's nameservers at its registrar (PDM `/registrar/{r}/set-ns`). */
export const pdmRegistrarSetNsPermission = createPermission({
  name: 'pdm.registrar.set-ns',
  attributes: { action: 'update' },
});

/** Record or change a Sovereign in the Catalyst registry. */
export const catalystSovereignManagePermission = createPermission({
  name: 'catalyst.sovereign.manage',
  attributes: { action: 'update' },
});

/**
 * Resource type of the voucher permissions: the resource is a Sovereign, referenced by its entity ref
 * (`sovereign:default/<name>`), so a policy can scope voucher administration to that Sovereign's franchisee.
 */
export const CATALYST_SOVEREIGN_RESOURCE_TYPE = 'catalyst-sovereign';

/**
 * Permission rule of the `catalyst-sovereign` resource type, served by catalyst-backend: true when one of the
 * given ownership claims (`user.info.ownershipEntityRefs`) is the Sovereign's owner group in the registry.
 */
export const CATALYST_SOVEREIGN_FRANCHISE_ADMIN_RULE = 'IS_FRANCHISE_ADMIN';

/** Issue vouchers for a Sovereign. */
export const catalystVoucherCreatePermission = createPermission({
  name: 'catalyst.voucher.create',
  attributes: { action: 'create' },
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/** List a Sovereign's vouchers. */
export const catalystVoucherReadPermission = createPermission({
  name: 'catalyst.voucher.read',
  attributes: { action: 'read' },
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/** Change or revoke a Sovereign's vouchers. */
export const catalystVoucherDeletePermission = createPermission({
  name: 'catalyst.voucher.delete',
  attributes: { action: 'delete' },
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/** The voucher permissions, all scoped to one Sovereign. */
export const catalystVoucherPermissions = [
  catalystVoucherCreatePermission,
  catalystVoucherReadPermission,
  catalystVoucherDeletePermission,
];

/**
 * Read a Sovereign's full registry record (its request, admin e-mail, Hetzner project, GitOps location and
 * events). Without it a caller sees the public view: name, FQDN, phase, owner and Blueprints.
 */
export const catalystSovereignReadPermission = createPermission({
  name: 'catalyst.sovereign.read',
  attributes: { action: 'read' },
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/**
 * Change a Sovereign's lifecycle as a task initiator: decommission it (checked by catalyst:sovereign:phase before
 * anything changes).
 */
export const catalystSovereignDecommissionPermission = createPermission({
  name: 'catalyst.sovereign.decommission',
  attributes: { action: 'delete' },
  resourceType: CATALYST_SOVEREIGN_RESOURCE_TYPE,
});

/** Every permission scoped to one Sovereign (resource type `catalyst-sovereign`). */
export const catalystSovereignResourcePermissions = [
  catalystSovereignReadPermission,
  catalystSovereignDecommissionPermission,
  ...catalystVoucherPermissions,
];

export const pdmPermissions = [
  pdmAllocationManagePermission,
  pdmAllocationListPermission,
  pdmByoZoneManagePermission,
  pdmRegistrarSetNsPermission,
];

export const catalystPermissions = [
  catalystSovereignManagePermission,
  ...catalystSovereignResourcePermissions,
];
