import { createHmac, randomBytes } from 'node:crypto';

/**
 * Voucher codes (docs/vouchers.md).
 *
 * One format rule for every code, applied after trim + upper-case: `^[A-Z0-9][A-Z0-9-]{2,63}$`.
 *
 * Two kinds share that rule and are told apart by shape alone:
 * - generated codes: 16 random Crockford base32 symbols (80 bits) and one check symbol, shown grouped as
 *   `XXXX-XXXX-XXXX-XXXX-C`. Any input that, hyphens removed, is exactly 17 letters/digits is read as a
 *   generated code: Crockford's look-alikes are folded (I, L → 1; O → 0), grouping is ignored, and the check
 *   symbol must verify before anything is looked up.
 * - vanity codes chosen by an admin for a campaign (`OMANTEL-LAUNCH-100`): every other shape. Issuing a vanity
 *   code with the generated shape is refused, so the two kinds can never be confused.
 *
 * The check symbol is a Damm check over GF(32) (x∘y = α·x ⊕ y with α = x, field polynomial x⁵+x²+1). Because
 * the operation is a totally anti-symmetric quasigroup, every single-symbol substitution and every adjacent
 * transposition changes the check, so a typo is rejected before any lookup.
 */

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const GENERATED_CODE_SYMBOLS = 16;
const GENERATED_LENGTH = GENERATED_CODE_SYMBOLS + 1;
export const VOUCHER_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,63}$/;

const FIELD_POLYNOMIAL = 0b100101;

function gfTimesAlpha(x: number): number {
  const shifted = x << 1;
  return shifted & 0b100000 ? shifted ^ FIELD_POLYNOMIAL : shifted;
}

function dammInterim(values: number[]): number {
  let interim = 0;
  for (const value of values) {
    interim = gfTimesAlpha(interim) ^ value;
  }
  return interim;
}

/** The check symbol that makes the Damm fold of `symbols` + check come out as 0. */
export function checkSymbol(symbols: string): string {
  const values = [...symbols].map(s => CROCKFORD_ALPHABET.indexOf(s));
  if (values.some(v => v < 0)) {
    throw new Error('checkSymbol: not a Crockford base32 string');
  }
  return CROCKFORD_ALPHABET[gfTimesAlpha(dammInterim(values))];
}

export type VoucherCodeKind = 'generated' | 'vanity';

export type ParsedVoucherCode =
  | { ok: true; kind: VoucherCodeKind; canonical: string }
  | { ok: false; reason: 'bad-format' | 'bad-check-character' };

function group(symbols: string): string {
  const body = symbols.slice(0, GENERATED_CODE_SYMBOLS).match(/.{4}/g) ?? [];
  return [...body, symbols.slice(GENERATED_CODE_SYMBOLS)].join('-');
}

/** Reads a code as a person typed it; the canonical form is what gets hashed, on every path. */
export function parseVoucherCode(input: string): ParsedVoucherCode {
  const upper = input.trim().toUpperCase();
  if (!VOUCHER_CODE_PATTERN.test(upper)) {
    return { ok: false, reason: 'bad-format' };
  }
  const compact = upper.replace(/-/g, '');
  if (compact.length !== GENERATED_LENGTH) {
    return { ok: true, kind: 'vanity', canonical: upper };
  }
  const folded = compact.replace(/[IL]/g, '1').replace(/O/g, '0');
  if (![...folded].every(s => CROCKFORD_ALPHABET.includes(s))) {
    // U is the only letter outside Crockford's alphabet after folding.
    return { ok: false, reason: 'bad-check-character' };
  }
  const values = [...folded].map(s => CROCKFORD_ALPHABET.indexOf(s));
  if (dammInterim(values) !== 0) {
    return { ok: false, reason: 'bad-check-character' };
  }
  return { ok: true, kind: 'generated', canonical: group(folded) };
}

/** A fresh code: 80 bits from the OS CSPRNG, grouped, with its check symbol. */
export function generateVoucherCode(
  random: (size: number) => Buffer = randomBytes,
): string {
  const bytes = random(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let symbols = '';
  for (let i = GENERATED_CODE_SYMBOLS - 1; i >= 0; i--) {
    symbols += CROCKFORD_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  }
  return group(symbols + checkSymbol(symbols));
}

/** Reads an admin-chosen vanity code, refusing anything that would look like a generated code. */
export function parseVanityCode(
  input: string,
): { ok: true; canonical: string } | { ok: false; message: string } {
  const upper = input.trim().toUpperCase();
  if (!VOUCHER_CODE_PATTERN.test(upper)) {
    return {
      ok: false,
      message:
        'must be 3-64 letters, digits or hyphens, starting with a letter or digit',
    };
  }
  if (upper.replace(/-/g, '').length === GENERATED_LENGTH) {
    return {
      ok: false,
      message: `must not have exactly ${GENERATED_LENGTH} letters and digits: that shape is reserved for generated codes`,
    };
  }
  return { ok: true, canonical: upper };
}

/** Keyed hash of a canonical code: what the store keeps and looks up. */
export function hashVoucherCode(key: string, canonical: string): string {
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

/** The code with every letter and digit but the last four hidden, e.g. `••••-••••-••••-•X7K-4`. */
export function maskVoucherCode(canonical: string): string {
  let visible = 4;
  const out: string[] = [];
  for (const char of [...canonical].reverse()) {
    if (char === '-') {
      out.push(char);
    } else if (visible > 0) {
      out.push(char);
      visible--;
    } else {
      out.push('•');
    }
  }
  return out.reverse().join('');
}
