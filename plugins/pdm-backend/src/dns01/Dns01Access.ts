import type { Dns01Setup } from '@catalyst/plugin-catalyst-common';
import {
  PowerDnsClient,
  PowerDnsError,
  TsigKey,
  canonicalName,
} from '../powerdns/PowerDnsClient';

/** Zone metadata that names the only TSIG key allowed to update the zone. */
export const TSIG_ALLOW_DNSUPDATE = 'TSIG-ALLOW-DNSUPDATE';
/** Zone metadata with the source networks allowed to send updates at all. */
export const ALLOW_DNSUPDATE_FROM = 'ALLOW-DNSUPDATE-FROM';

export interface Dns01Settings {
  /** TSIG algorithm of every key; cert-manager and lego both speak hmac-sha256. */
  algorithm: string;
  /** host:port the Sovereign's ACME solver sends its RFC 2136 updates to. */
  nameserver: string;
  /** ALLOW-DNSUPDATE-FROM of every Sovereign zone. The key is the authorization; this only narrows the source. */
  allowUpdateFrom: string[];
}

/**
 * The public DNS-01 facts of one Sovereign: where its certificate issuer sends updates and under which key
 * name. Safe for the catalog and the overlay; the key's secret is never part of it.
 */
export type { Dns01Setup };

/** The setup plus the key's secret: only for the provisioning run that hands it to the Sovereign. */
export interface Dns01Credentials extends Dns01Setup {
  secret: string;
}

export const DEFAULT_DNS01_ALGORITHM = 'hmac-sha256';

/** Updates from anywhere: the zone's own TSIG key is what authorizes an update. */
export const DEFAULT_ALLOW_UPDATE_FROM = ['0.0.0.0/0', '::/0'];

/** Defaults: the first of PDM's nameservers on port 53, hmac-sha256, updates from anywhere (key-authorized). */
export function defaultDns01Settings(nameservers: string[]): Dns01Settings {
  return {
    algorithm: DEFAULT_DNS01_ALGORITHM,
    nameserver: `${nameservers[0]}:53`,
    allowUpdateFrom: [...DEFAULT_ALLOW_UPDATE_FROM],
  };
}

/** `acme.omani.works` → `dns01.acme.omani.works`: one key per Sovereign, named after its zone. */
export function dns01KeyName(zone: string): string {
  return `dns01.${canonicalName(zone).replace(/\.$/, '')}`;
}

/**
 * Zone-scoped DNS UPDATE access for ACME DNS-01 (docs/tls.md). Each Sovereign zone gets its own TSIG key and
 * both metadata that PowerDNS needs to accept an update with an empty global `allow-dnsupdate-from`:
 * TSIG-ALLOW-DNSUPDATE (that key only) and ALLOW-DNSUPDATE-FROM. Zones without the metadata, the pool parents
 * included, refuse every update.
 */
export class Dns01Access {
  constructor(
    private readonly powerDns: PowerDnsClient,
    private readonly settings: Dns01Settings,
  ) {}

  /** The public facts for a zone, whether or not its key exists yet. */
  describe(zone: string): Dns01Setup {
    return {
      zone: canonicalName(zone).replace(/\.$/, ''),
      nameserver: this.settings.nameserver,
      keyName: dns01KeyName(zone),
      algorithm: this.settings.algorithm,
    };
  }

  /**
   * Creates the zone's key and allows updates with it. `keepExistingKey` (a BYO zone created again) reuses a key
   * that is already there, so a Sovereign that holds it keeps working; otherwise a leftover key is replaced.
   * The metadata is written last: until then the zone refuses every update.
   */
  async open(
    zone: string,
    options: { keepExistingKey?: boolean } = {},
  ): Promise<Dns01Setup> {
    const setup = this.describe(zone);
    let key: TsigKey | 'exists' = await this.powerDns.createTsigKey(
      setup.keyName,
      setup.algorithm,
    );
    if (key === 'exists') {
      const existing = options.keepExistingKey
        ? await this.powerDns.getTsigKey(setup.keyName)
        : undefined;
      if (existing && existing.algorithm === setup.algorithm) {
        key = existing;
      } else {
        await this.powerDns.deleteTsigKey(setup.keyName);
        key = await this.powerDns.createTsigKey(setup.keyName, setup.algorithm);
        if (key === 'exists') {
          throw new PowerDnsError(
            'create-tsigkey',
            409,
            `the key ${setup.keyName} could not be replaced`,
          );
        }
      }
    }
    await this.powerDns.setZoneMetadata(
      zone,
      ALLOW_DNSUPDATE_FROM,
      this.settings.allowUpdateFrom,
    );
    await this.powerDns.setZoneMetadata(zone, TSIG_ALLOW_DNSUPDATE, [key.name]);
    return setup;
  }

  /**
   * Revokes the zone's update access: the metadata (when the zone is still there) and the key. Missing pieces
   * count as removed, so a retried teardown finishes the job.
   */
  async close(zone: string): Promise<void> {
    await this.powerDns.deleteZoneMetadata(zone, TSIG_ALLOW_DNSUPDATE);
    await this.powerDns.deleteZoneMetadata(zone, ALLOW_DNSUPDATE_FROM);
    await this.powerDns.deleteTsigKey(dns01KeyName(zone));
  }

  /**
   * Revokes the zone's update access when the zone itself is deleted next: only the key goes (one call), since
   * PowerDNS deletes a zone's metadata with the zone. A missing key counts as removed.
   */
  async revokeKey(zone: string): Promise<void> {
    await this.powerDns.deleteTsigKey(dns01KeyName(zone));
  }

  /**
   * The key with its secret, only when the zone really is opened for exactly that key; undefined otherwise
   * (released, never created, or metadata missing).
   */
  async credentials(zone: string): Promise<Dns01Credentials | undefined> {
    const setup = this.describe(zone);
    const allowed = await this.powerDns.getZoneMetadata(
      zone,
      TSIG_ALLOW_DNSUPDATE,
    );
    if (
      allowed.length !== 1 ||
      canonicalName(allowed[0]) !== canonicalName(setup.keyName)
    ) {
      return undefined;
    }
    const key = await this.powerDns.getTsigKey(setup.keyName);
    if (!key) return undefined;
    return { ...setup, algorithm: key.algorithm, secret: key.secret };
  }
}
