/**
 * Voucher credit as the catalog entity carries it: an amount in the currency's major units (the store keeps
 * minor units, e.g. baisa for OMR, and converts), formatted with the currency's own number of decimals.
 */
export function formatVoucherCredit(
  credit: { amount?: number; currency?: string } | undefined,
  locale?: string,
): string {
  if (!credit || typeof credit.amount !== 'number' || !credit.currency) {
    return '—';
  }
  let formatter: Intl.NumberFormat;
  try {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: credit.currency,
    });
  } catch {
    return `${credit.amount} ${credit.currency}`;
  }
  return formatter.format(credit.amount);
}

/** "12 of 50", or "12 (unlimited)" when `maxRedemptions` is 0. */
export function describeRedemptions(
  timesRedeemed: number | undefined,
  maxRedemptions: number | undefined,
): string {
  const used = timesRedeemed ?? 0;
  if (!maxRedemptions) return `${used} (unlimited)`;
  return `${used} of ${maxRedemptions}`;
}

/** A voucher code as it may be shown: only the last four characters, whatever the provider sent. */
export function maskVoucherCode(codeMasked: string | undefined): string {
  if (!codeMasked) return '—';
  const visible = codeMasked.replace(/[•*]/g, '').slice(-4);
  return `••••${visible}`;
}

/** Expiry in words relative to `now`: "expired", "in 3 days", or "never". */
export function describeExpiry(
  expiresAt: string | null | undefined,
  now: Date = new Date(),
): { label: string; expired: boolean } {
  if (!expiresAt) return { label: 'never expires', expired: false };
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return { label: expiresAt, expired: false };
  const date = at.toLocaleString();
  if (at.getTime() <= now.getTime()) {
    return { label: `expired ${date}`, expired: true };
  }
  const days = Math.ceil((at.getTime() - now.getTime()) / 86_400_000);
  return {
    label: `${date} (in ${days} day${days === 1 ? '' : 's'})`,
    expired: false,
  };
}
