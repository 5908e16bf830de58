/** apiVersion of every Catalyst catalog kind (Sovereign, Blueprint, Voucher). */
export const CATALYST_API_VERSION = 'catalyst.openova.io/v1alpha1' as const;
