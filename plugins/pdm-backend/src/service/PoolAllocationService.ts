import { LoggerService } from '@backstage/backend-plugin-api';
import {
  RESERVED_SUBDOMAINS,
  checkSubdomainLabel,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import {
  AllocationKey,
  PoolAllocation,
  PoolAllocationStore,
  ReleaseProof,
  Reservation,
} from '../database/PoolAllocationStore';
import { PowerDnsClient, canonicalName } from '../powerdns/PowerDnsClient';
import { Dns01Access, defaultDns01Settings } from '../dns01/Dns01Access';
import { PdmApiError } from './PdmApiError';
import {
  DELEGATION_TTL,
  canonicalRecordSet,
  isIPv4,
  publishedRecords,
} from './records';

export interface PoolAllocationServiceOptions {
  store: PoolAllocationStore;
  powerDns: PowerDnsClient;
  logger: LoggerService;
  poolDomains: string[];
  nameservers: string[];
  reservationTtlMs: number;
  maxReservationTtlMs: number;
  /** DNS-01 update access per Sovereign zone; default: {@link defaultDns01Settings}. */
  dns01?: Dns01Access;
  /** How long a release or sweep holds its claim on a row while it tears DNS down (default 5 minutes). */
  releaseLeaseMs?: number;
}

export type CheckResult =
  | { available: true; fqdn: string }
  | { available: false; reason: string; detail: string; fqdn?: string };

/** Why a teardown failed, for the 202 answers of release. */
export interface TeardownResult {
  ok: boolean;
  detail?: string;
}

/** `createdBy` of a reserve whose caller did not name itself. */
const ANONYMOUS_CREATOR = 'catalyst-api';

/**
 * The allocation state machine (docs/pdm.md §4) and its DNS side effects. The store decides who wins;
 * this class keeps PowerDNS in step with the rows.
 */
export class PoolAllocationService {
  private readonly pools: Set<string>;
  /** The Sovereign zone's TSIG key and update metadata (docs/tls.md). */
  readonly dns01: Dns01Access;

  constructor(private readonly options: PoolAllocationServiceOptions) {
    this.pools = new Set(options.poolDomains);
    this.dns01 =
      options.dns01 ??
      new Dns01Access(
        options.powerDns,
        defaultDns01Settings(options.nameservers),
      );
  }

  get poolDomains(): string[] {
    return [...this.pools].sort();
  }

  /** The nameservers every Sovereign zone is delegated to (`pdm.nameservers`). */
  get nameservers(): string[] {
    return [...this.options.nameservers];
  }

  /** Creates every pool's parent zone with DNSSEC; a DNSSEC failure only warns (docs/pdm.md §1). */
  async bootstrapParentZones(): Promise<void> {
    for (const pool of this.poolDomains) {
      await this.options.powerDns.createZone(pool, this.options.nameservers);
      try {
        await this.options.powerDns.enableDnssec(pool);
      } catch (error) {
        this.options.logger.warn(
          `DNSSEC could not be enabled on pool zone ${pool}: ${
            (error as Error).message
          }`,
        );
      }
    }
  }

  /** Lower-cases and trims the pool and checks it is one PDM manages. */
  pool(domain: string): string {
    const pool = normalizeDomainInput(domain).replace(/\.$/, '');
    if (!this.pools.has(pool)) {
      throw new PdmApiError(
        422,
        'unsupported-pool',
        `${
          pool || '(empty)'
        } is not a pool domain; managed pools: ${this.poolDomains.join(', ')}`,
        { managedDomains: this.poolDomains },
      );
    }
    return pool;
  }

  /** Normalises and validates a subdomain label; reserved names are refused separately. */
  label(value: unknown): string {
    if (typeof value !== 'string') {
      throw new PdmApiError(
        422,
        'invalid-format',
        'subdomain is required and must be a string',
      );
    }
    const label = normalizeDomainInput(value);
    const problem = checkSubdomainLabel(label);
    if (problem) {
      throw new PdmApiError(
        422,
        'invalid-format',
        `subdomain ${problem.message} (it must start with a letter and be at most 63 characters of a-z, 0-9 and -)`,
        { problem: problem.problem },
      );
    }
    return label;
  }

  ttlMs(ttlSeconds: unknown): number {
    if (ttlSeconds === undefined || ttlSeconds === null) {
      return this.options.reservationTtlMs;
    }
    const max = Math.floor(this.options.maxReservationTtlMs / 1000);
    if (
      typeof ttlSeconds !== 'number' ||
      !Number.isInteger(ttlSeconds) ||
      ttlSeconds < 60 ||
      ttlSeconds > max
    ) {
      throw new PdmApiError(
        422,
        'invalid-ttl',
        `ttlSeconds must be a whole number of seconds between 60 and ${max}`,
        { maxTtlSeconds: max },
      );
    }
    return ttlSeconds * 1000;
  }

  private refuseReserved(label: string, pool: string) {
    if (RESERVED_SUBDOMAINS.includes(label)) {
      throw new PdmApiError(
        422,
        'reserved',
        `${label} is a reserved name in ${pool} and cannot be allocated`,
      );
    }
  }

  async check(domain: string, sub: unknown): Promise<CheckResult> {
    // Order: invalid-format → unsupported-pool → reserved → reserved-state → active-state. Once the name is
    // well-formed in a served pool, every answer names the fqdn it checked, as the reference does.
    let label: string;
    try {
      label = this.label(sub);
    } catch (error) {
      const e = error as PdmApiError;
      return { available: false, reason: e.code, detail: e.message };
    }
    let pool: string;
    try {
      pool = this.pool(domain);
    } catch (error) {
      const e = error as PdmApiError;
      return { available: false, reason: e.code, detail: e.message };
    }
    const fqdn = `${label}.${pool}`;
    if (RESERVED_SUBDOMAINS.includes(label)) {
      return {
        available: false,
        reason: 'reserved',
        detail: `${label} is a reserved name`,
        fqdn,
      };
    }
    const row = await this.options.store.get({
      poolDomain: pool,
      subdomain: label,
    });
    if (!row) return { available: true, fqdn };
    if (row.releasing) {
      return {
        available: false,
        reason: 'releasing-state',
        detail: `${fqdn} is being released`,
      };
    }
    if (row.state === 'reserved') {
      if (row.expiresAt && new Date(row.expiresAt) <= new Date()) {
        return { available: true, fqdn };
      }
      return {
        available: false,
        reason: 'reserved-state',
        detail: `${fqdn} is reserved until ${row.expiresAt}`,
        fqdn,
      };
    }
    if (row.state === 'active') {
      return {
        available: false,
        reason: 'active-state',
        detail: `${fqdn} is in use`,
        fqdn,
      };
    }
    return {
      available: false,
      reason: 'unknown-state',
      detail: `${fqdn} is in an unknown state`,
      fqdn,
    };
  }

  /**
   * NULL → reserved with the child zone, its delegation, DNSSEC and the DS in the parent. Any DNS
   * failure removes what was created and the pending row with it (docs/pdm.md, known pitfall 3); no transaction
   * is held while PowerDNS works (see PoolAllocationStore.reserve).
   */
  async reserve(input: {
    domain: string;
    subdomain: unknown;
    createdBy?: unknown;
    owner?: unknown;
    ttlSeconds?: unknown;
  }): Promise<Reservation> {
    const label = this.label(input.subdomain);
    const pool = this.pool(input.domain);
    this.refuseReserved(label, pool);
    const ttlMs = this.ttlMs(input.ttlSeconds);
    const createdBy = this.createdBy(input.createdBy);
    const owner = optionalOwner(input.owner);
    const zone = `${label}.${pool}`;
    return this.options.store.reserve(
      {
        poolDomain: pool,
        subdomain: label,
        createdBy,
        owner,
        ttlMs,
        // Only a caller that names itself can get its own reservation back; anonymous reserves never match.
        idempotent: createdBy !== ANONYMOUS_CREATOR,
      },
      async () => {
        try {
          await this.provisionChildZone(pool, zone);
        } catch (error) {
          await this.teardownChildZone(pool, zone).catch(rollbackError =>
            this.options.logger.error(
              `Rollback of ${zone} after a failed reserve did not finish: ${rollbackError.message}`,
            ),
          );
          throw new PdmApiError(
            502,
            'dns-error',
            `the zone for ${zone} could not be created; nothing was reserved: ${
              (error as Error).message
            }`,
          );
        }
      },
      // Released or swept while the zone was being created: take the zone away again.
      () => this.teardownChildZone(pool, zone),
    );
  }

  private createdBy(value: unknown): string {
    if (value === undefined || value === null || value === '') {
      return ANONYMOUS_CREATOR;
    }
    if (
      typeof value !== 'string' ||
      value.length > 200 ||
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u001f\u007f]/.test(value)
    ) {
      throw new PdmApiError(
        422,
        'invalid-format',
        'createdBy must be a string of at most 200 printable characters',
      );
    }
    return value.trim();
  }

  private async provisionChildZone(pool: string, zone: string) {
    const dns = this.options.powerDns;
    // Created signed in one call. A zone left behind by an earlier failed teardown belongs to nobody now: start
    // clean.
    if (
      (await dns.createSignedZone(zone, this.options.nameservers)) === 'exists'
    ) {
      await dns.deleteZone(zone);
      await dns.createSignedZone(zone, this.options.nameservers);
    }
    // The DS read overlaps the DNS-01 key's writes (docs/pdm.md, "Round trips per cycle"); the writes stay one
    // after the other, since a PowerDNS on its SQLite backend refuses concurrent writes ("database is locked").
    // Both finish, failed or not, before the caller tears down after a failure.
    const [dsRead, keyOpened] = await Promise.allSettled([
      dns.dsRecords(zone),
      // DNS-01: the Sovereign's own TSIG key, allowed to update this zone and no other.
      this.dns01.open(zone),
    ]);
    if (dsRead.status === 'rejected') throw dsRead.reason;
    if (keyOpened.status === 'rejected') throw keyOpened.reason;
    let ds = dsRead.value;
    // A PowerDNS without a default key algorithm leaves the zone unsigned: add the keys explicitly.
    if (ds.length === 0) ds = await dns.enableDnssec(zone);
    await dns.patchRRSets(pool, [
      {
        name: zone,
        type: 'NS',
        ttl: DELEGATION_TTL,
        changetype: 'REPLACE',
        records: this.options.nameservers.map(canonicalName),
      },
      {
        name: zone,
        type: 'DS',
        ttl: DELEGATION_TTL,
        changetype: 'REPLACE',
        records: ds,
      },
    ]);
  }

  /**
   * Revokes the zone's DNS-01 key, removes the child zone (its update metadata goes with it), then its NS and DS in
   * the parent (one after the other: PowerDNS's SQLite backend refuses concurrent writes). Missing pieces count as removed.
   */
  private async teardownChildZone(pool: string, zone: string) {
    await this.dns01.revokeKey(zone);
    await this.options.powerDns.deleteZone(zone);
    await this.options.powerDns.removeNSDelegation(pool, zone);
  }

  /**
   * reserved → active, then the six records in one PATCH. 202 when the row went active but the
   * write failed; the same commit retried re-applies the records (docs/pdm.md, known pitfall 1).
   */
  async commit(input: {
    domain: string;
    subdomain: unknown;
    reservationToken: unknown;
    sovereignFQDN: unknown;
    loadBalancerIP: unknown;
  }): Promise<{ status: 200 | 202; body: Record<string, unknown> }> {
    const label = this.label(input.subdomain);
    const pool = this.pool(input.domain);
    const fqdn = `${label}.${pool}`;
    if (
      typeof input.loadBalancerIP !== 'string' ||
      !input.loadBalancerIP.trim()
    ) {
      throw new PdmApiError(422, 'missing-lb-ip', 'loadBalancerIP is required');
    }
    const ip = input.loadBalancerIP.trim();
    if (!isIPv4(ip)) {
      throw new PdmApiError(
        422,
        'invalid-lb-ip',
        'loadBalancerIP must be an IPv4 address such as 203.0.113.10',
      );
    }
    if (
      typeof input.sovereignFQDN !== 'string' ||
      normalizeDomainInput(input.sovereignFQDN).replace(/\.$/, '') !== fqdn
    ) {
      throw new PdmApiError(
        422,
        'invalid-fqdn',
        `sovereignFQDN is required and must equal ${fqdn}`,
      );
    }
    if (typeof input.reservationToken !== 'string' || !input.reservationToken) {
      throw new PdmApiError(
        422,
        'missing-token',
        'reservationToken is required',
      );
    }
    const { allocation } = await this.options.store.commit({
      poolDomain: pool,
      subdomain: label,
      reservationToken: input.reservationToken.trim(),
      sovereignFQDN: fqdn,
      loadBalancerIP: ip,
    });
    const records = canonicalRecordSet(fqdn, ip);
    try {
      await this.options.powerDns.patchRRSets(fqdn, records);
    } catch (error) {
      // A release that got in after the commit tore the zone down: the allocation is gone, not waiting for DNS.
      const now = await this.options.store.get({
        poolDomain: pool,
        subdomain: label,
      });
      if (!now || now.releasing) {
        throw new PdmApiError(
          410,
          'released',
          `${fqdn} was released during the commit; reserve it again`,
        );
      }
      this.options.logger.warn(
        `Allocation ${fqdn} is active but its records were not written: ${
          (error as Error).message
        }`,
      );
      return {
        status: 202,
        body: {
          warning: 'dns-write-failed',
          detail: `${fqdn} is active but its DNS records were not written; retry the same commit: ${
            (error as Error).message
          }`,
          poolDomain: pool,
          subdomain: label,
          state: 'active',
          sovereignFQDN: fqdn,
          loadBalancerIP: ip,
        },
      };
    }
    // The allocation plus the records written (the same list the BYO records call answers), so the caller can
    // record what its Sovereign publishes without re-deriving the canonical set.
    return {
      status: 200,
      body: { ...allocation, records: publishedRecords(records) },
    };
  }

  async renew(input: {
    domain: string;
    subdomain: unknown;
    reservationToken: unknown;
    ttlSeconds?: unknown;
  }): Promise<PoolAllocation> {
    const label = this.label(input.subdomain);
    const pool = this.pool(input.domain);
    const ttlMs = this.ttlMs(input.ttlSeconds);
    if (typeof input.reservationToken !== 'string' || !input.reservationToken) {
      throw new PdmApiError(
        422,
        'missing-token',
        'reservationToken is required',
      );
    }
    return this.options.store.renew({
      poolDomain: pool,
      subdomain: label,
      reservationToken: input.reservationToken.trim(),
      ttlMs,
    });
  }

  /**
   * Any state → NULL with the zone, delegation and DS removed. A missing row still tears down DNS,
   * so a release retried after a 202 finishes the job; it answers 404 only when nothing was left.
   */
  async release(input: {
    domain: string;
    subdomain: unknown;
    reservationToken?: unknown;
    sovereignFQDN?: unknown;
    owner?: unknown;
  }): Promise<{ status: 200 | 202; body: Record<string, unknown> }> {
    const label = this.label(input.subdomain);
    const pool = this.pool(input.domain);
    const zone = `${label}.${pool}`;
    const key: AllocationKey = { poolDomain: pool, subdomain: label };
    const proof: ReleaseProof = {
      reservationToken:
        typeof input.reservationToken === 'string'
          ? input.reservationToken
          : undefined,
      sovereignFQDN:
        typeof input.sovereignFQDN === 'string'
          ? normalizeDomainInput(input.sovereignFQDN).replace(/\.$/, '')
          : undefined,
      owner: optionalOwner(input.owner),
    };
    const lease = { leaseMs: this.options.releaseLeaseMs };
    const claimed = await this.options.store.claimRelease(key, proof, lease);
    if ('inProgress' in claimed) {
      return {
        status: 202,
        body: {
          warning: 'release-in-progress',
          detail: `${zone} is being released by another request; its DNS is removed shortly`,
          freed: claimed.allocation,
        },
      };
    }
    let claim: string | undefined;
    let freed: PoolAllocation | undefined;
    if ('claim' in claimed) {
      claim = claimed.claim;
      freed = claimed.allocation;
    } else {
      // No row: DNS left behind without one (from before rows outlived their teardown) is still removed, under a
      // claim on the free name so that no reserve starts meanwhile.
      if (!(await this.options.powerDns.zoneExists(zone).catch(() => true))) {
        throw new PdmApiError(404, 'not-found', `${zone} is not allocated`);
      }
      claim = await this.options.store.claimFreeName(key, lease);
      if (!claim) {
        throw new PdmApiError(
          409,
          'conflict',
          `${zone} was reserved meanwhile; release it with its reservation token`,
        );
      }
    }
    const freedBody = freed
      ? withoutReleasing(freed)
      : { poolDomain: pool, subdomain: label, state: null };
    try {
      await this.teardownChildZone(pool, zone);
    } catch (error) {
      await this.options.store.abandonRelease(key, claim);
      const detail = (error as Error).message;
      this.options.logger.warn(
        `Releasing ${zone}: its DNS was not fully removed; a retry or the next sweep finishes it: ${detail}`,
      );
      return {
        status: 202,
        body: {
          warning: 'dns-teardown-failed',
          detail: `${zone} is being released but its zone or delegation was not removed yet; retry the release (the sweeper also finishes it): ${detail}`,
          freed: freedBody,
        },
      };
    }
    await this.options.store.finishRelease(key, claim);
    return { status: 200, body: { freed: freedBody } };
  }

  async list(domain: string) {
    const pool = this.pool(domain);
    return {
      poolDomain: pool,
      allocations: await this.options.store.list(pool),
    };
  }

  /**
   * One sweeper tick: expired reservations, and releases that stopped half-way (a failed teardown, or a backend that
   * died between claiming the row and removing its DNS), lose their DNS and then their row. Each row is claimed
   * first (committed), torn down outside any transaction, then deleted; a failed teardown hands the claim back so
   * the next tick retries it.
   */
  async sweep(options: { now?: Date } = {}): Promise<{
    swept: number;
    failed: number;
  }> {
    const claimed = await this.options.store.claimStale({
      now: options.now,
      leaseMs: this.options.releaseLeaseMs,
    });
    let swept = 0;
    let failed = 0;
    for (const { allocation, claim } of claimed) {
      const key = {
        poolDomain: allocation.poolDomain,
        subdomain: allocation.subdomain,
      };
      const zone = `${allocation.subdomain}.${allocation.poolDomain}`;
      try {
        await this.teardownChildZone(allocation.poolDomain, zone);
      } catch (error) {
        failed++;
        await this.options.store
          .abandonRelease(key, claim)
          .catch(() => undefined);
        continue;
      }
      if (await this.options.store.finishRelease(key, claim)) {
        swept++;
        this.options.logger.info(`Swept ${zone}`);
      }
    }
    if (failed > 0) {
      this.options.logger.warn(
        `${failed} allocation(s) could not be torn down; the next sweep retries them`,
      );
    }
    return { swept, failed };
  }
}

function withoutReleasing(allocation: PoolAllocation): PoolAllocation {
  const { releasing: _releasing, ...rest } = allocation;
  return rest;
}

/** An owning group reference (`group:default/team-a`): optional, at most 200 printable characters. */
export function optionalOwner(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (
    typeof value !== 'string' ||
    value.length > 200 ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f\s]/.test(value.trim())
  ) {
    throw new PdmApiError(
      422,
      'invalid-owner',
      'owner must be an entity reference such as group:default/team-a (at most 200 characters)',
    );
  }
  return value.trim();
}
