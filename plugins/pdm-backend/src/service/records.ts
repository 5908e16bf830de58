import { CANONICAL_RECORD_NAMES } from '@catalyst/plugin-catalyst-common';
import { RRSetChange } from '../powerdns/PowerDnsClient';

/** TTL of the canonical A records: short, for fast failover (pdm.md §5.3). */
export const RECORD_TTL = 300;
/** TTL of the NS and DS delegation in the parent zone (pdm.md §5.4). */
export const DELEGATION_TTL = 3600;

/** The six A rrsets of a Sovereign's zone, all REPLACE, written in one PATCH (pdm.md §5.3). */
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

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted-quad IPv4 address without leading zeros. */
export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}
