import { createApiRef } from '@backstage/core-plugin-api';

/**
 * A credit as the vouchers API speaks it: major units (`100` OMR), never minor units. The backend scales to
 * the currency's minor units (baisa) for storage.
 */
export interface VoucherCredit {
  amount: number;
  currency: string;
}

/** vouchers.md §3; `deactivated` is an issuer's switch-off, `revoked` the permanent soft delete. */
export type VoucherState =
  | 'active'
  | 'deactivated'
  | 'revoked'
  | 'expired'
  | 'exhausted';

/** A voucher as listed; the full code is never part of it. */
export interface Voucher {
  id: string;
  codeMasked: string;
  /** Entity ref of the issuing Sovereign. */
  sovereign: string;
  credit: VoucherCredit;
  description: string;
  state: VoucherState;
  /** 0 = unlimited. */
  maxRedemptions: number;
  timesRedeemed: number;
  expiresAt: string | null;
  issuedBy: string;
  createdAt: string;
}

export interface VoucherRedemption {
  customer: string;
  organization: string;
  credit: VoucherCredit;
  redeemedAt: string;
}

export interface VoucherDetail extends Voucher {
  redemptions: VoucherRedemption[];
}

/** A voucher as the issue call returns it: the only time its full code is ever sent. */
export interface IssuedVoucher extends Voucher {
  code: string;
}

export interface IssueVouchersRequest {
  credit: VoucherCredit;
  description?: string;
  expiresAt?: string;
  maxRedemptions?: number;
  /** How many codes to generate; ignored by the backend when a vanity `code` is given. */
  count?: number;
  /** A vanity code chosen by the issuer instead of generated ones. */
  code?: string;
}

export interface VoucherPatch {
  active?: boolean;
  description?: string;
  maxRedemptions?: number;
  expiresAt?: string | null;
}

/** Why a code cannot be redeemed, as the preview endpoint names it (plus the client's own `rate-limited`). */
export type VoucherInvalidReason =
  | 'unknown'
  | 'expired'
  | 'exhausted'
  | 'inactive'
  | 'bad-check-character'
  | 'bad-format'
  | 'rate-limited';

export type VoucherPreview =
  | {
      valid: true;
      credit: VoucherCredit;
      expiresAt: string | null;
      /** Entity ref of the issuing Sovereign, when the backend tells it. */
      sovereign?: string;
      description?: string;
    }
  | {
      valid: false;
      reason: VoucherInvalidReason;
      /** Seconds to wait before the next try, for `rate-limited`. */
      retryAfterSeconds?: number;
    };

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
