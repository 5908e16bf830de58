import { remoteErrorOf } from '@catalyst/plugin-catalyst-common';
import type {
  VoucherCredit,
  VoucherInvalidReason,
  VoucherState,
} from './VouchersApi';

/** A credit in major units as money, e.g. `OMR 100.000`; unknown currencies fall back to `100 XYZ`. */
export function formatCredit(credit: VoucherCredit, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: credit.currency,
    }).format(credit.amount);
  } catch {
    return `${credit.amount} ${credit.currency}`;
  }
}

/** "3/10", or "3/∞" when the voucher has no cap (`maxRedemptions` 0). */
export function formatRedemptions(
  timesRedeemed: number,
  maxRedemptions: number,
): string {
  return `${timesRedeemed}/${maxRedemptions > 0 ? maxRedemptions : '∞'}`;
}

/** A timestamp as a local date and time; text that is not a timestamp is shown as it came. */
export function formatTimestamp(at: string, locale?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return date.toLocaleString(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Expiry as a date, or "Never" for vouchers without one. */
export function formatExpiry(expiresAt: string | null, locale?: string) {
  return expiresAt ? formatTimestamp(expiresAt, locale) : 'Never';
}

export const voucherStateLabels: Record<VoucherState, string> = {
  active: 'Active',
  deactivated: 'Deactivated',
  revoked: 'Revoked',
  expired: 'Expired',
  exhausted: 'Used up',
};

/** What the tenant reads when a code cannot be redeemed. */
export const invalidReasonMessages: Record<VoucherInvalidReason, string> = {
  unknown: 'This code does not match any voucher. Check it for typos.',
  'bad-format':
    'This is not a voucher code: codes are 3 to 64 letters, digits or hyphens.',
  'bad-check-character':
    'This code has a typo: its last character does not match the rest. Check each character again.',
  expired: 'This voucher has expired.',
  exhausted: 'This voucher has been redeemed as many times as it allows.',
  inactive: 'This voucher has been deactivated by its issuer.',
  'rate-limited': 'Too many checks in a short time. Wait a moment and retry.',
};

/** Reasons that mean "a real voucher, but its time is over" (410) rather than "no such voucher". */
export const endedReasons: ReadonlyArray<VoucherInvalidReason> = [
  'expired',
  'exhausted',
  'inactive',
];

/** The reason a request failed, in the backend's own words when it sent them. */
export function describeFailure(error: unknown): string {
  const remote = remoteErrorOf(error);
  if (remote?.message) return remote.message;
  return error instanceof Error ? error.message : String(error);
}
