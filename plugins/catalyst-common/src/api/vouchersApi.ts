import { CustomErrorBase } from '@backstage/errors';
import { z } from 'zod/v3';
import { VoucherRecord } from '../sovereignRecord';

/**
 * The vouchers HTTP API of catalyst-backend (`/api/catalyst/v1/…vouchers…`): request schemas and wire types.
 * The router parses with these schemas; the wizard's client and the scaffolder's client speak these types.
 * The routes and their rules are described in docs/api-contracts.md and docs/vouchers.md.
 */

const isoTime = z.string().datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time',
});

/** A credit in major units (`100` EUR); the backend scales it to the currency's minor units for storage. */
export const voucherCreditSchema = z
  .object({
    amount: z.number().finite().positive('must be greater than 0'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .transform(c => c.toUpperCase()),
  })
  .strict();

/** `POST /v1/sovereigns/:sovereign/vouchers`. */
export const issueVouchersRequestSchema = z
  .object({
    credit: voucherCreditSchema,
    description: z.string().max(500).optional(),
    expiresAt: isoTime.optional(),
    maxRedemptions: z
      .number()
      .int()
      .min(0, 'must be 0 (unlimited) or more')
      .max(1_000_000)
      .optional(),
    /** How many codes to generate; ignored when a vanity `code` is given. */
    count: z.number().int().min(1).max(500).optional(),
    /** A vanity code chosen by the issuer instead of generated ones. */
    code: z.string().max(128).optional(),
  })
  .strict();

/** `PATCH /v1/sovereigns/:sovereign/vouchers/:id`. */
export const voucherPatchSchema = z
  .object({
    active: z.boolean().optional(),
    description: z.string().max(500).optional(),
    maxRedemptions: z.number().int().min(0).max(1_000_000).optional(),
    expiresAt: isoTime.nullable().optional(),
  })
  .strict()
  .refine(p => Object.values(p).some(v => v !== undefined), {
    message:
      'name at least one of active, description, maxRedemptions, expiresAt',
  });

/** `POST /v1/vouchers/preview` (answers signed out). */
export const voucherPreviewRequestSchema = z
  .object({
    code: z.string().max(128),
    sovereign: z.string().max(300).optional(),
  })
  .strict();

const userRefPattern =
  /^user:[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `POST /v1/vouchers/redeem`; `customer` only for a backend service redeeming for a user. */
export const redeemVoucherRequestSchema = z
  .object({
    code: z.string().max(128),
    sovereign: z.string().max(300),
    organization: z
      .object({
        name: z.string().trim().min(1).max(128),
        slug: z.string().max(64),
        /** The Blueprint installed as its first App (`bp-<name>`), recorded on the Organization. */
        firstApp: z
          .string()
          .regex(
            /^bp-[a-z][a-z0-9-]{0,60}$/,
            'must be a Blueprint name (bp-<name>)',
          )
          .optional(),
      })
      .strict(),
    customer: z
      .string()
      .regex(
        userRefPattern,
        'must be a user entity ref (user:<namespace>/<name>)',
      )
      .optional(),
  })
  .strict();

export type VoucherCredit = { amount: number; currency: string };
export type IssueVouchersRequest = z.input<typeof issueVouchersRequestSchema>;
export type VoucherPatch = {
  active?: boolean;
  description?: string;
  maxRedemptions?: number;
  expiresAt?: string | null;
};
export type VoucherPreviewRequest = z.input<typeof voucherPreviewRequestSchema>;
export type RedeemVoucherRequest = z.input<typeof redeemVoucherRequestSchema>;

/** A voucher as the API lists it: never the full code, only its masked form. */
export type Voucher = VoucherRecord;

/** A voucher as the issue call answers it: the only answer that ever carries the full code. */
export type IssuedVoucher = Voucher & { code: string };

/** One redemption as a voucher's detail lists it. */
export interface VoucherRedemptionSummary {
  customer: string;
  organization: string;
  credit: VoucherCredit;
  redeemedAt: string;
}

/** `GET /v1/sovereigns/:sovereign/vouchers/:id`. */
export type VoucherDetail = Voucher & {
  redemptions: VoucherRedemptionSummary[];
};

/** A redemption as redeem and rollback answer it (`{redemption}`). */
export interface VoucherRedemption extends VoucherRedemptionSummary {
  id: string;
  voucherId: string;
}

/** Why a redemption is refused: the `error` field of a refusal. */
export type RedeemRejection =
  | 'unknown'
  | 'revoked'
  | 'wrong-sovereign'
  | 'inactive'
  | 'expired'
  | 'exhausted'
  | 'already-redeemed'
  | 'slug-taken';

/** Why a code cannot be redeemed, as the preview answer names it. */
export type VoucherInvalidReason =
  | 'unknown'
  | 'expired'
  | 'exhausted'
  | 'inactive'
  | 'bad-check-character'
  | 'bad-format'
  | 'rate-limited';

/** `POST /v1/vouchers/preview` answer. */
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

/** `GET /v1/sovereigns/:sovereign/decommission-impact`: what decommissioning a Sovereign takes from its tenants. */
export interface DecommissionImpact {
  sovereign: string;
  phase: string;
  /** Entity refs of the Organizations redeemed on it. */
  organizations: string[];
  /** Vouchers that could still be redeemed. */
  openVouchers: number;
}

/** Every reason the vouchers router refuses a preview or a redemption with. */
export type VoucherRefusalReason =
  | RedeemRejection
  | VoucherInvalidReason
  | 'invalid-slug'
  | 'sovereign-not-ready';

/**
 * A refused preview or redemption as the vouchers router throws it: the Backstage error handler answers it with
 * `statusCode` and the body `{error: {name: 'VoucherRejectedError', message, reason, statusCode}, request,
 * response}`, so the clients read the machine-readable `reason` next to the sentence a person reads
 * (docs/api-contracts.md).
 */
export class VoucherRejectedError extends CustomErrorBase {
  name = 'VoucherRejectedError' as const;

  constructor(
    message: string,
    readonly reason: VoucherRefusalReason,
    readonly statusCode: number,
  ) {
    super(message);
  }
}
