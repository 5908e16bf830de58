import { randomUUID } from 'node:crypto';
import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { ByoZone, ByoZoneStore } from '../database/ByoZoneStore';
import { PowerDnsClient, canonicalName } from '../powerdns/PowerDnsClient';
import {
  Dns01Access,
  Dns01Setup,
  defaultDns01Settings,
} from '../dns01/Dns01Access';
import { PdmApiError } from './PdmApiError';
import { canonicalRecordSet, isIPv4, publishedRecords } from './records';

/**
 * Who acts on a BYO zone: the task that creates it (`createdBy`), and the Sovereign and owning group it serves.
 * Deleting or rewriting a zone needs the creating task, or the Sovereign with its owner (docs/ownership-and-keys.md).
 */
export interface ByoZoneActor {
  createdBy: string;
  sovereignFQDN?: string;
  owner?: string;
}

export type ByoCheck =
  | { available: true; domain: string }
  | { available: false; reason: string; detail: string };

export interface ByoZoneServiceOptions {
  store: ByoZoneStore;
  powerDns: PowerDnsClient;
  nameservers: string[];
  poolDomains: string[];
  /** DNS-01 update access per zone; default: {@link defaultDns01Settings}. */
  dns01?: Dns01Access;
  /** How long a create or delete holds its claim on the zone's row while PowerDNS works (default 5 minutes). */
  leaseMs?: number;
}

const LEASE_MS = 5 * 60 * 1000;

/**
 * Bring-your-own domains (docs/pdm.md §7): PDM hosts `<domain>.` in PowerDNS with DNSSEC; the customer's
 * registrar delegates to our nameservers. Pool domains and their children are never BYO.
 */
export class ByoZoneService {
  /** The zone's TSIG key and update metadata (docs/tls.md). */
  readonly dns01: Dns01Access;

  constructor(private readonly options: ByoZoneServiceOptions) {
    this.dns01 =
      options.dns01 ??
      new Dns01Access(
        options.powerDns,
        defaultDns01Settings(options.nameservers),
      );
  }

  domain(value: string): string {
    const domain = normalizeDomainInput(value);
    const problem = checkDomainName(domain);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `domain ${problem}`);
    }
    const pool = this.options.poolDomains.find(
      p => domain === p || domain.endsWith(`.${p}`),
    );
    if (pool) {
      throw new PdmApiError(
        422,
        'pool-domain',
        `${domain} is in the managed pool ${pool}; allocate it through /v1/pool/${pool} instead`,
      );
    }
    const below = this.options.poolDomains.find(p => p.endsWith(`.${domain}`));
    if (below) {
      throw new PdmApiError(
        422,
        'pool-domain',
        `${domain} contains the managed pool ${below}; it cannot be a bring-your-own zone`,
      );
    }
    return domain;
  }

  /**
   * Whether a new Sovereign may use `domain` as its bring-your-own zone: no zone of PDM may be the same name, above
   * it or below it (PowerDNS answers from the most specific zone, so a nested zone would take over the other's
   * names). Answers a reason instead of throwing, like the pool check.
   */
  async check(domainInput: string): Promise<ByoCheck> {
    let domain: string;
    try {
      domain = this.domain(domainInput);
    } catch (error) {
      const e = error as PdmApiError;
      return { available: false, reason: e.code, detail: e.message };
    }
    const [clash] = await this.options.store.overlapping(domain);
    if (!clash) return { available: true, domain };
    return { available: false, ...describeClash(domain, clash) };
  }

  /**
   * Creates the zone, signs it and returns what the registrar needs. Idempotent for the task that created it;
   * a zone another task created, or one nested in or around another zone, is refused (409) and left untouched.
   *
   * No transaction is held while PowerDNS works: the row is first committed marked `creating` (or, for the
   * creator's repeat, `refreshing`) under a claim with a lease, then the zone is made, then the marker is cleared.
   * A failure undoes what this call made; a crash in between leaves a marked row whose lease runs out, and the
   * sweeper (or the creator's retry) finishes the job.
   */
  async createZone(domainInput: string, actor: ByoZoneActor) {
    const domain = this.domain(domainInput);
    const dns = this.options.powerDns;
    const clash = (await this.options.store.overlapping(domain)).find(
      z => z.domain !== domain,
    );
    if (clash) {
      const { reason, detail } = describeClash(domain, clash);
      throw new PdmApiError(409, reason, detail);
    }
    const stored = {
      createdBy: actor.createdBy,
      sovereignFQDN: actor.sovereignFQDN ?? domain,
      owner: actor.owner ?? null,
    };
    const claim = randomUUID();
    const now = new Date();
    const until = new Date(now.getTime() + this.leaseMs);
    let work: 'creating' | 'refreshing' = 'creating';
    let fresh = await this.options.store.insertPending(
      domain,
      stored,
      claim,
      until,
    );
    if (!fresh) {
      const existing = await this.options.store.get(domain);
      if (!existing) {
        // Deleted between the insert and the read: one more try.
        fresh = await this.options.store.insertPending(
          domain,
          stored,
          claim,
          until,
        );
        if (!fresh) throw busy(domain, 'changing');
      } else {
        if (existing.createdBy !== actor.createdBy) {
          const { reason, detail } = describeClash(domain, existing);
          throw new PdmApiError(409, reason, detail);
        }
        if (existing.pending === 'deleting') throw busy(domain, 'deleted');
        if (existing.pending && Date.parse(existing.pendingUntil!) >= +now) {
          throw busy(domain, 'created');
        }
        // A stale `creating` (the first run died) stays `creating`: the zone may be half-made.
        work = existing.pending === 'creating' ? 'creating' : 'refreshing';
        if (
          !(await this.options.store.claim(existing, work, claim, until, now))
        ) {
          throw busy(domain, 'changing');
        }
      }
    }
    let ds: string[] = [];
    let dns01: Dns01Setup | undefined;
    let created = false;
    try {
      created =
        (await dns.createSignedZone(domain, this.options.nameservers)) ===
        'created';
      ds = await dns.dsRecords(domain);
      if (ds.length === 0) ds = await dns.enableDnssec(domain);
      // DNS-01: the Sovereign's own TSIG key, allowed to update this zone and no other. Created again, the
      // zone keeps the key a running Sovereign already holds.
      dns01 = await this.dns01.open(domain, { keepExistingKey: !created });
    } catch (error) {
      // Nothing half-done: a zone this call (or the dead run it took over) created goes again, with its key.
      if (created || (work === 'creating' && !fresh)) {
        await this.dns01.revokeKey(domain).catch(() => undefined);
        await dns.deleteZone(domain).catch(() => undefined);
      }
      if (work === 'creating') {
        await this.options.store.remove(domain, claim).catch(() => undefined);
      } else {
        await this.options.store.settle(domain, claim).catch(() => undefined);
      }
      throw new PdmApiError(
        502,
        'dns-error',
        `the zone ${domain} could not be created: ${(error as Error).message}`,
      );
    }
    if (!(await this.options.store.settle(domain, claim))) {
      // Taken over after the lease ran out (this call stalled): the sweeper undoes it, the caller retries.
      throw busy(domain, 'changing');
    }
    return {
      zone: canonicalName(domain),
      nameservers: this.options.nameservers,
      ds,
      dns01: dns01 ?? this.dns01.describe(domain),
    };
  }

  /**
   * Deletes the zone for its creator or its Sovereign with its owner. The row is marked `deleting` under a claim
   * first (committed), then the key and the zone go, then the row; a failed teardown keeps the marked row with its
   * lease ended, so a retry or the next sweep finishes it. Never touches a zone it has no row for.
   */
  async deleteZone(domainInput: string, actor: ByoZoneActor) {
    const domain = this.domain(domainInput);
    const zone = await this.options.store.get(domain);
    if (!zone) {
      throw new PdmApiError(
        404,
        'not-found',
        `${domain} is not a BYO zone of PDM`,
      );
    }
    authorize(zone, actor, 'delete');
    const now = new Date();
    if (zone.pending && Date.parse(zone.pendingUntil!) >= +now) {
      throw busy(domain, zone.pending === 'deleting' ? 'deleted' : 'created');
    }
    const claim = randomUUID();
    const until = new Date(now.getTime() + this.leaseMs);
    if (
      !(await this.options.store.claim(zone, 'deleting', claim, until, now))
    ) {
      throw busy(domain, 'changing');
    }
    try {
      await this.teardown(domain);
    } catch (error) {
      await this.options.store.abandon(domain, claim).catch(() => undefined);
      throw new PdmApiError(
        502,
        'dns-error',
        `the zone ${domain} could not be deleted (a retry or the sweeper finishes it): ${
          (error as Error).message
        }`,
      );
    }
    await this.options.store.remove(domain, claim);
    return { deleted: canonicalName(domain) };
  }

  /**
   * Finishes DNS work that stopped half-way (a failed step or a backend that died between the row and PowerDNS):
   * a zone left `creating` or `deleting` is removed together with its row; a `refreshing` mark on a zone that was
   * complete before is cleared (the creator's retry redoes the refresh).
   */
  async sweep(
    options: { now?: Date } = {},
  ): Promise<{ swept: number; failed: number }> {
    const now = options.now ?? new Date();
    let swept = 0;
    let failed = 0;
    for (const zone of await this.options.store.stale(now)) {
      const claim = randomUUID();
      const until = new Date(now.getTime() + this.leaseMs);
      if (zone.pending === 'refreshing') {
        if (
          await this.options.store.claim(zone, 'refreshing', claim, until, now)
        ) {
          await this.options.store.settle(zone.domain, claim);
        }
        continue;
      }
      if (
        !(await this.options.store.claim(zone, 'deleting', claim, until, now))
      ) {
        continue;
      }
      try {
        await this.teardown(zone.domain);
      } catch {
        failed++;
        await this.options.store
          .abandon(zone.domain, claim)
          .catch(() => undefined);
        continue;
      }
      if (await this.options.store.remove(zone.domain, claim)) swept++;
    }
    return { swept, failed };
  }

  /** The key, then the zone (its update metadata goes with it). Missing pieces count as removed. */
  private async teardown(domain: string) {
    await this.dns01.revokeKey(domain);
    await this.options.powerDns.deleteZone(domain);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? LEASE_MS;
  }

  async writeRecords(
    domainInput: string,
    loadBalancerIP: unknown,
    actor: ByoZoneActor,
  ) {
    const domain = this.domain(domainInput);
    if (typeof loadBalancerIP !== 'string' || !loadBalancerIP.trim()) {
      throw new PdmApiError(422, 'missing-lb-ip', 'loadBalancerIP is required');
    }
    const ip = loadBalancerIP.trim();
    if (!isIPv4(ip)) {
      throw new PdmApiError(
        422,
        'invalid-lb-ip',
        'loadBalancerIP must be an IPv4 address such as 203.0.113.10',
      );
    }
    const zone = await this.options.store.get(domain);
    if (!zone) {
      throw new PdmApiError(
        404,
        'not-found',
        `${domain} has no BYO zone; create it with POST /v1/byo/${domain}/zone first`,
      );
    }
    authorize(zone, actor, 'rewrite');
    if (zone.pending === 'creating' || zone.pending === 'deleting') {
      throw busy(domain, zone.pending === 'creating' ? 'created' : 'deleted');
    }
    const records = canonicalRecordSet(domain, ip);
    try {
      await this.options.powerDns.patchRRSets(domain, records);
    } catch (error) {
      throw new PdmApiError(
        502,
        'dns-error',
        `the records of ${domain} could not be written: ${
          (error as Error).message
        }`,
      );
    }
    await this.options.store.recordsWritten(domain, ip);
    return {
      zone: canonicalName(domain),
      loadBalancerIP: ip,
      records: publishedRecords(records),
    };
  }
}

function busy(domain: string, what: 'created' | 'deleted' | 'changing') {
  return new PdmApiError(
    409,
    'zone-busy',
    what === 'changing'
      ? `${domain} changed during the request; retry it`
      : `${domain} is being ${what} by another request; retry shortly`,
  );
}

function describeClash(
  domain: string,
  zone: ByoZone,
): { reason: string; detail: string } {
  const holder = zone.owner ? ` (owned by ${zone.owner})` : '';
  if (zone.domain === domain) {
    return {
      reason: 'zone-held',
      detail: `${domain} is already the zone of Sovereign ${
        zone.sovereignFQDN ?? domain
      }${holder}`,
    };
  }
  return {
    reason: 'zone-overlap',
    detail: `${domain} overlaps the zone ${zone.domain} of Sovereign ${
      zone.sovereignFQDN ?? zone.domain
    }${holder}; nested bring-your-own zones are not allowed`,
  };
}

/** The creating task, or the Sovereign the zone serves together with its owner (if one is recorded). */
function authorize(
  zone: ByoZone,
  actor: ByoZoneActor,
  action: 'delete' | 'rewrite',
) {
  if (actor.createdBy === zone.createdBy) return;
  const sovereign = zone.sovereignFQDN ?? zone.domain;
  if (
    actor.sovereignFQDN === sovereign &&
    (zone.owner === null || actor.owner === zone.owner)
  ) {
    return;
  }
  throw new PdmApiError(
    403,
    'not-owner',
    `only the task that created the zone ${zone.domain}, or its Sovereign ${sovereign} with its owner, may ${action} it`,
  );
}
