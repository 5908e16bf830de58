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

/** Issue vouchers for a Sovereign. */
export const catalystVoucherCreatePermission = createPermission({
  name: 'catalyst.voucher.create',
  attributes: { action: 'create' },
});

/** List a Sovereign's vouchers. */
export const catalystVoucherReadPermission = createPermission({
  name: 'catalyst.voucher.read',
  attributes: { action: 'read' },
});

/** Change or revoke a Sovereign's vouchers. */
export const catalystVoucherDeletePermission = createPermission({
  name: 'catalyst.voucher.delete',
  attributes: { action: 'delete' },
});

export const pdmPermissions = [
  pdmAllocationManagePermission,
  pdmAllocationListPermission,
  pdmByoZoneManagePermission,
  pdmRegistrarSetNsPermission,
];

export const catalystPermissions = [
  catalystSovereignManagePermission,
  catalystVoucherCreatePermission,
  catalystVoucherReadPermission,
  catalystVoucherDeletePermission,
];
