import { normalizeDomainInput } from './domain';
import { sha256 } from './wizard/sha256';

/**
 * Keys derived from a Sovereign's FQDN: its catalog entity name (also its registry key and OpenTofu work
 * directory) and the PostgreSQL schema holding its OpenTofu state.
 *
 * Every key is an injective function of the FQDN, so two different Sovereigns can never share a registry
 * record, a work directory or a state. The earlier derivation replaced dots (and, for the schema, hyphens)
 * with one separator, which made `x.example.com` and `x-example.com` the same key.
 *
 * Short form (readable, and unchanged from the earlier derivation for FQDNs without hyphens): every hyphen
 * becomes the separator twice, every dot becomes the separator once. A valid FQDN has no empty labels and no
 * label starts or ends with a hyphen, so a dot always sits between two letters or digits; a run of separators
 * in the key is therefore either exactly one (a dot) or of even length (hyphens), and the FQDN can be read back.
 *
 * Long form (when the short form would exceed the length limit, or the input is not a valid FQDN): a readable
 * head, the separator three times, then 16 base-32 characters (80 bits) of SHA-256 of the normalised FQDN. A
 * run of exactly three separators never occurs in a short form, so the two forms cannot meet either; two long
 * forms meet only when SHA-256 collides in 80 bits. The registry additionally refuses a record whose stored
 * FQDN differs from the one asked for, so even that case cannot overwrite another Sovereign.
 */

/** Catalog entity names (and our registry keys) are at most 63 characters. */
export const SOVEREIGN_ENTITY_NAME_MAX = 63;
/** PostgreSQL truncates identifiers longer than 63 bytes (NAMEDATALEN - 1). */
export const POSTGRES_IDENTIFIER_MAX = 63;

const STRICT_FQDN =
  /^[a-z]([a-z0-9-]*[a-z0-9])?(\.[a-z]([a-z0-9-]*[a-z0-9])?)+$/;
const HASH_LENGTH = 16;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

/** 16 base-32 characters of SHA-256 over the normalised FQDN. */
export function fqdnDigest(fqdn: string): string {
  return base32(
    sha256(new TextEncoder().encode(normalizeDomainInput(fqdn))),
    HASH_LENGTH,
  );
}

function fqdnKey(
  fqdn: string,
  options: { separator: '-' | '_'; prefix: string; maxLength: number },
): string {
  const { separator, prefix, maxLength } = options;
  const normalized = normalizeDomainInput(fqdn);
  if (STRICT_FQDN.test(normalized)) {
    const short = `${prefix}${normalized
      .replace(/-/g, separator + separator)
      .replace(/\./g, separator)}`;
    if (short.length <= maxLength) return short;
  }
  const tail = `${separator.repeat(3)}${fqdnDigest(normalized)}`;
  const head = `${prefix}${normalized.replace(/[^a-z0-9]+/g, separator)}`
    .slice(0, maxLength - tail.length)
    .replace(/[-_]+$/, '')
    .replace(/^[-_]+/, '');
  return `${head || 'x'}${tail}`;
}

/**
 * Entity name of a Sovereign (also its registry key and its OpenTofu work directory): `omantel.omani.works` →
 * `omantel-omani-works`, `om-tel.omani.works` → `om--tel-omani-works`; longer than 63 characters → a readable
 * head + `---` + a digest.
 */
export function sovereignEntityName(fqdn: string): string {
  return fqdnKey(fqdn, {
    separator: '-',
    prefix: '',
    maxLength: SOVEREIGN_ENTITY_NAME_MAX,
  });
}

/**
 * PostgreSQL schema holding a Sovereign's OpenTofu state and lock: `catalyst_omantel_omani_works`,
 * `catalyst_om__tel_omani_works`; at most 63 bytes (a readable head + `___` + a digest beyond that).
 */
export function sovereignStateSchemaName(fqdn: string): string {
  return fqdnKey(fqdn, {
    separator: '_',
    prefix: 'catalyst_',
    maxLength: POSTGRES_IDENTIFIER_MAX,
  });
}
