import { InputError } from '@backstage/errors';

/** Largest credit a voucher may carry, in minor units (fits a 32-bit column on every database). */
export const MAX_CREDIT_MINOR = 2_000_000_000;

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 minor-unit digits as the runtime's ICU data knows them (OMR 3, EUR 2, JPY 0). */
export function currencyMinorDigits(currency: string): number {
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
  }).resolvedOptions().maximumFractionDigits!;
}

export function isSupportedCurrency(currency: string): boolean {
  return supportedCurrencies.has(currency);
}

/**
 * A credit as the API speaks it (major units, `100` OMR) turned into what the store keeps (minor units,
 * `100000` baisa). Amounts with more decimals than the currency has are refused rather than rounded.
 */
export function creditToMinor(credit: {
  amount: number;
  currency: string;
}): number {
  if (!isSupportedCurrency(credit.currency)) {
    throw new InputError(
      `credit.currency: '${credit.currency}' is not an ISO 4217 currency code`,
    );
  }
  const digits = currencyMinorDigits(credit.currency);
  const scaled = credit.amount * 10 ** digits;
  const minor = Math.round(scaled);
  if (Math.abs(scaled - minor) > 1e-6) {
    throw new InputError(
      `credit.amount: ${credit.currency} has ${digits} decimal places; the amount has more`,
    );
  }
  if (minor <= 0 || minor > MAX_CREDIT_MINOR) {
    throw new InputError(
      `credit.amount: must be greater than 0 and at most ${creditFromMinor(
        MAX_CREDIT_MINOR,
        credit.currency,
      )} ${credit.currency}`,
    );
  }
  return minor;
}

export function creditFromMinor(minor: number, currency: string): number {
  const digits = currencyMinorDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}
