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
}

/**
 * Bring-your-own domains (pdm.md §7): PDM hosts `<domain>.` in PowerDNS with DNSSEC; the customer's
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
    let ds: string[] = [];
    const stored = {
      createdBy: actor.createdBy,
      sovereignFQDN: actor.sovereignFQDN ?? domain,
      owner: actor.owner ?? null,
    };
    let dns01: Dns01Setup | undefined;
    await this.options.store.upsert(domain, stored, async existing => {
      if (existing && existing.createdBy !== actor.createdBy) {
        const { reason, detail } = describeClash(domain, existing);
        throw new PdmApiError(409, reason, detail);
      }
      let created = false;
      try {
        created =
          (await dns.createZone(domain, this.options.nameservers)) ===
          'created';
        ds = await dns.enableDnssec(domain);
        // DNS-01: the Sovereign's own TSIG key, allowed to update this zone and no other. Created again, the
        // zone keeps the key a running Sovereign already holds.
        dns01 = await this.dns01.open(domain, { keepExistingKey: !created });
      } catch (error) {
        if (created) {
          // Nothing half-done: a zone this call created goes again, with its key.
          await this.dns01.close(domain).catch(() => undefined);
          await dns.deleteZone(domain).catch(() => undefined);
        }
        throw new PdmApiError(
          502,
          'dns-error',
          `the zone ${domain} could not be created: ${
            (error as Error).message
          }`,
        );
      }
    });
    return {
      zone: canonicalName(domain),
      nameservers: this.options.nameservers,
      ds,
      dns01: dns01 ?? this.dns01.describe(domain),
    };
  }

  async deleteZone(domainInput: string, actor: ByoZoneActor) {
    const domain = this.domain(domainInput);
    const existed = await this.options.store.delete(
      domain,
      zone => authorize(zone, actor, 'delete'),
      async () => {
        try {
          await this.dns01.close(domain);
          await this.options.powerDns.deleteZone(domain);
        } catch (error) {
          throw new PdmApiError(
            502,
            'dns-error',
            `the zone ${domain} could not be deleted: ${
              (error as Error).message
            }`,
          );
        }
      },
    );
    if (!existed) {
      throw new PdmApiError(
        404,
        'not-found',
        `${domain} is not a BYO zone of PDM`,
      );
    }
    return { deleted: canonicalName(domain) };
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
