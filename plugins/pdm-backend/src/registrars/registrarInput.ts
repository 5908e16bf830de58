import { InputError } from '@backstage/errors';
import { RegistrarError } from './types';

const HOSTNAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lower-cases, trims and strips a trailing root dot from every nameserver, drops duplicates (first one wins,
 * so the caller's order is kept) and checks each is a hostname. Applied by every adapter before a set, and
 * to every read-back, so the lists compare as sets of plain names.
 */
export function normalizeNameservers(
  nameservers: readonly string[],
  maxNameservers: number,
): string[] {
  const seen = new Set<string>();
  for (const raw of nameservers) {
    const value = String(raw).trim().toLowerCase().replace(/\.$/, '');
    if (value === '') continue;
    if (!HOSTNAME.test(value)) {
      throw new InputError(`nameserver "${value}" is not a valid hostname`);
    }
    seen.add(value);
  }
  if (seen.size === 0) {
    throw new InputError('nameservers must contain at least one hostname');
  }
  if (seen.size > maxNameservers) {
    throw new InputError(
      `nameservers has ${seen.size} entries; this registrar accepts at most ${maxNameservers}`,
    );
  }
  return [...seen];
}

/** Read-backs are normalised the same way but never rejected: they describe what the upstream holds. */
export function normalizeReadBack(nameservers: readonly unknown[]): string[] {
  const seen = new Set<string>();
  for (const raw of nameservers) {
    if (typeof raw !== 'string') continue;
    const value = raw.trim().toLowerCase().replace(/\.$/, '');
    if (value !== '') seen.add(value);
  }
  return [...seen];
}

/** The domain as sent upstream: trimmed, lower-cased, at least two non-empty labels, no trailing dot. */
export function normalizeRegistrarDomain(domain: string): string {
  const value = String(domain ?? '')
    .trim()
    .toLowerCase();
  if (!HOSTNAME.test(value)) {
    throw new InputError(
      `domain "${value}" is not a registrable domain name (expected e.g. example.com)`,
    );
  }
  return value;
}

/**
 * Splits a `a:b[:c…]` token into exactly `count` non-empty parts, splitting on the first `count - 1` colons so
 * the last part may itself contain colons. A bad shape is an invalid token, found without calling upstream.
 * The message names the expected shape, never the value.
 */
export function splitToken(
  displayName: string,
  token: string,
  shape: string,
  count: number,
): string[] {
  const parts: string[] = [];
  let rest = typeof token === 'string' ? token.trim() : '';
  for (let i = 0; i < count - 1; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) break;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  parts.push(rest);
  if (parts.length !== count || parts.some(part => part === '')) {
    throw new RegistrarError(
      'invalid-token',
      `${displayName} token must have the form ${shape}`,
    );
  }
  return parts;
}

/** The credential must be non-empty before anything is sent. */
export function requireToken(displayName: string, token: string): string {
  const value = typeof token === 'string' ? token.trim() : '';
  if (value === '') {
    throw new RegistrarError('invalid-token', `${displayName} token is empty`);
  }
  return value;
}
