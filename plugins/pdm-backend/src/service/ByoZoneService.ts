import {
  checkDomainName,
  normalizeDomainInput,
} from '@catalyst/plugin-catalyst-common';
import { ByoZoneStore } from '../database/ByoZoneStore';
import { PowerDnsClient, canonicalName } from '../powerdns/PowerDnsClient';
import {
  Dns01Access,
  Dns01Setup,
  defaultDns01Settings,
} from '../dns01/Dns01Access';
import { PdmApiError } from './PdmApiError';
import { canonicalRecordSet, isIPv4, publishedRecords } from './records';

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
    return domain;
  }

  /** Creates (or finds) the zone, signs it and returns what the registrar needs. Idempotent. */
  async createZone(domainInput: string, createdBy: string) {
    const domain = this.domain(domainInput);
    const dns = this.options.powerDns;
    let ds: string[] = [];
    let dns01: Dns01Setup | undefined;
    await this.options.store.upsert(domain, createdBy, async () => {
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

  async deleteZone(domainInput: string) {
    const domain = this.domain(domainInput);
    const existed = await this.options.store.delete(domain, async () => {
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
    });
    if (!existed) {
      throw new PdmApiError(
        404,
        'not-found',
        `${domain} is not a BYO zone of PDM`,
      );
    }
    return { deleted: canonicalName(domain) };
  }

  async writeRecords(domainInput: string, loadBalancerIP: unknown) {
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
    if (!(await this.options.store.get(domain))) {
      throw new PdmApiError(
        404,
        'not-found',
        `${domain} has no BYO zone; create it with POST /v1/byo/${domain}/zone first`,
      );
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
