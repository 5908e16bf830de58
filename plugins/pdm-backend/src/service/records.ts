import { CANONICAL_RECORD_NAMES } from '@catalyst/plugin-catalyst-common';
import { RRSetChange, canonicalName } from '../powerdns/PowerDnsClient';

/** TTL of the canonical A records: short, for fast failover (docs/pdm.md §5.3). */
export const RECORD_TTL = 300;
/** TTL of the NS and DS delegation in the parent zone (docs/pdm.md §5.4). */
export const DELEGATION_TTL = 3600;

/** The six A rrsets of a Sovereign's zone, all REPLACE, written in one PATCH (docs/pdm.md §5.3). */
export function canonicalRecordSet(zone: string, ip: string): RRSetChange[] {
  const apex = zone.replace(/\.$/, '');
  return CANONICAL_RECORD_NAMES.map(name => ({
    name: name === '@' ? apex : `${name}.${apex}`,
    type: 'A',
    ttl: RECORD_TTL,
    changetype: 'REPLACE' as const,
    records: [ip],
  }));
}

/** One record as PDM reports what it wrote: the owner name is canonical (trailing dot). */
export interface PublishedRecord {
  name: string;
  type: string;
  ttl: number;
  content: string;
}

/** What a commit or BYO records call answers under `records`, so callers can show exactly what was written. */
export function publishedRecords(changes: RRSetChange[]): PublishedRecord[] {
  return changes.flatMap(change =>
    (change.records ?? []).map(content => ({
      name: canonicalName(change.name),
      type: change.type,
      ttl: change.ttl ?? RECORD_TTL,
      content,
    })),
  );
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted-quad IPv4 address without leading zeros. */
export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}
