import { createApiRef } from '@backstage/core-plugin-api';

import type {
  IssuedVoucher,
  IssueVouchersRequest,
  Voucher,
  VoucherDetail,
  VoucherPatch,
  VoucherPreview,
} from '@catalyst/plugin-catalyst-common';

/** The wire types of the vouchers API, from the shared contract (docs/api-contracts.md). */
export type {
  IssuedVoucher,
  IssueVouchersRequest,
  Voucher,
  VoucherCredit,
  VoucherDetail,
  VoucherInvalidReason,
  VoucherPatch,
  VoucherPreview,
  VoucherRedemptionSummary as VoucherRedemption,
  VoucherState,
} from '@catalyst/plugin-catalyst-common';

export interface VouchersApi {
  /** Entity refs of the Sovereigns whose vouchers the signed-in user may administer. */
  listAdministeredSovereigns(): Promise<string[]>;
  listVouchers(sovereign: string): Promise<Voucher[]>;
  getVoucher(sovereign: string, id: string): Promise<VoucherDetail>;
  issueVouchers(
    sovereign: string,
    request: IssueVouchersRequest,
  ): Promise<IssuedVoucher[]>;
  updateVoucher(
    sovereign: string,
    id: string,
    patch: VoucherPatch,
  ): Promise<Voucher>;
  revokeVoucher(sovereign: string, id: string): Promise<void>;
  /** Checks a code without redeeming it; works signed out. */
  previewVoucher(code: string, sovereign?: string): Promise<VoucherPreview>;
}

export const vouchersApiRef = createApiRef<VouchersApi>({
  id: 'plugin.catalyst-vouchers.client',
});
