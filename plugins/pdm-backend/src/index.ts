/**
 * Pool-domain manager (PDM): Sovereign domain allocation, PowerDNS zones with DNSSEC, and
 * registrar nameserver flips for bring-your-own domains.
 *
 * @packageDocumentation
 */
export { pdmPlugin as default } from './plugin';
export { pdmPlugin } from './plugin';
export {
  PowerDnsClient,
  PowerDnsError,
  canonicalName,
} from './powerdns/PowerDnsClient';
export type {
  Cryptokey,
  PowerDnsClientOptions,
  RRSetChange,
} from './powerdns/PowerDnsClient';
export type {
  PoolAllocation,
  Reservation,
} from './database/PoolAllocationStore';
