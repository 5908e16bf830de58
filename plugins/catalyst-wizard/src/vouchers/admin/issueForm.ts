import type { IssueVouchersRequest } from '../VouchersApi';

/** The issue form as typed: every field is text until it validates. */
export interface IssueFormValues {
  amount: string;
  currency: string;
  /** `YYYY-MM-DD`; the voucher expires at the end of that day, local time. Empty = never. */
  expiresOn: string;
  count: string;
  maxRedemptions: string;
  description: string;
  /** Optional vanity code; empty = generated codes. */
  code: string;
}

export type IssueFormErrors = Partial<Record<keyof IssueFormValues, string>>;

/**
 * The currency the issue form starts with when the portal configures none (`catalyst.vouchers.defaultCurrency`).
 */
export const FALLBACK_CURRENCY = 'EUR';

/** docs/vouchers.md defaults: 100 in the default currency, one redemption per code. */
export const issueFormDefaults: IssueFormValues = {
  amount: '100',
  currency: FALLBACK_CURRENCY,
  expiresOn: '',
  count: '1',
  maxRedemptions: '1',
  description: '',
  code: '',
};

/** The form's defaults with the portal's configured currency (a three-letter code; anything else is ignored). */
export function issueFormDefaultsFor(
  configuredCurrency: string | undefined,
): IssueFormValues {
  const currency = configuredCurrency?.trim().toUpperCase();
  return {
    ...issueFormDefaults,
    currency:
      currency && /^[A-Z]{3}$/.test(currency) ? currency : FALLBACK_CURRENCY,
  };
}

/** One issue call mints at most this many generated codes. */
export const MAX_CODES_PER_ISSUE = 100;
export const MAX_DESCRIPTION_LENGTH = 500;

// The backend's rule for every code (docs/vouchers.md), after trim + upper-case.
const CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,63}$/;
// Generated codes are 16 symbols plus a check symbol; a vanity code of that shape would be read as one.
const GENERATED_CODE_LENGTH = 17;

function minorDigits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
    }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

function parseWholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** End of the chosen day in the browser's time zone, as an ISO timestamp. */
export function expiryFromDate(expiresOn: string): string {
  const [year, month, day] = expiresOn.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59, 999).toISOString();
}

/**
 * Checks the form the way the backend will, so the issuer sees every problem next to its field before
 * anything is sent. The backend still checks again.
 */
export function validateIssueForm(
  values: IssueFormValues,
  now: Date = new Date(),
): { errors: IssueFormErrors; request?: IssueVouchersRequest } {
  const errors: IssueFormErrors = {};

  const currency = values.currency.trim().toUpperCase();
  const digits = /^[A-Z]{3}$/.test(currency)
    ? minorDigits(currency)
    : undefined;
  if (digits === undefined) {
    errors.currency = 'Enter a three-letter ISO 4217 currency code, e.g. EUR';
  }

  const amountText = values.amount.trim();
  const amount = Number(amountText);
  if (!amountText || !/^\d+(\.\d+)?$/.test(amountText) || !(amount > 0)) {
    errors.amount = 'Enter a credit greater than 0';
  } else if (
    digits !== undefined &&
    (amountText.split('.')[1]?.length ?? 0) > digits
  ) {
    errors.amount = `${currency} has ${digits} decimal place${
      digits === 1 ? '' : 's'
    } at most`;
  }

  let expiresAt: string | undefined;
  if (values.expiresOn) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.expiresOn)) {
      errors.expiresOn = 'Enter a date';
    } else {
      expiresAt = expiryFromDate(values.expiresOn);
      if (new Date(expiresAt).getTime() <= now.getTime()) {
        errors.expiresOn = 'The expiry date must be in the future';
      }
    }
  }

  const code = values.code.trim().toUpperCase();
  const count = parseWholeNumber(values.count);
  if (count === undefined || count < 1 || count > MAX_CODES_PER_ISSUE) {
    errors.count = `Enter a whole number from 1 to ${MAX_CODES_PER_ISSUE}`;
  } else if (code && count !== 1) {
    errors.count = 'A chosen code is one voucher: set the count to 1';
  }

  const maxRedemptions = parseWholeNumber(values.maxRedemptions);
  if (maxRedemptions === undefined) {
    errors.maxRedemptions =
      'Enter a whole number: 0 means unlimited, 1 means single use';
  }

  const description = values.description.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    errors.description = `At most ${MAX_DESCRIPTION_LENGTH} characters (now ${description.length})`;
  }

  if (code) {
    if (!CODE_PATTERN.test(code)) {
      errors.code =
        'Use 3 to 64 letters, digits or hyphens, starting with a letter or digit';
    } else if (code.replace(/-/g, '').length === GENERATED_CODE_LENGTH) {
      errors.code = `A chosen code must not have exactly ${GENERATED_CODE_LENGTH} letters and digits: that shape is kept for generated codes`;
    }
  }

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    request: {
      credit: { amount, currency },
      maxRedemptions: maxRedemptions!,
      ...(description ? { description } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(code ? { code } : { count: count! }),
    },
  };
}
