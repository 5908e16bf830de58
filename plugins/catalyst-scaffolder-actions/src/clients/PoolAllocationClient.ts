import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type {
  Dns01Key,
  Dns01Setup,
  PublishedDnsRecord,
  SubdomainCheck,
} from '@catalyst/plugin-catalyst-common';
import { PluginApiClient } from '@catalyst/plugin-catalyst-node';

/** The PDM wire types, from the shared contract (docs/api-contracts.md). */
export type { Dns01Key, Dns01Setup, PublishedDnsRecord, SubdomainCheck };

function dns01Of(body: any): Dns01Setup | undefined {
  const d = body?.dns01;
  if (!d || typeof d !== 'object') return undefined;
  return {
    zone: String(d.zone),
    nameserver: String(d.nameserver),
    keyName: String(d.keyName),
    algorithm: String(d.algorithm),
  };
}

export interface PoolReservation {
  poolDomain: string;
  subdomain: string;
  state: 'reserved';
  reservedAt: string;
  expiresAt: string;
  reservationToken: string;
  createdBy: string;
  dns01?: Dns01Setup;
}

export interface PoolCommitResult {
  /** false when PDM answered 202: the allocation is active but the PowerDNS write failed. */
  recordsWritten: boolean;
  /** The records written; empty when they were not. */
  records: PublishedDnsRecord[];
  warning?: string;
  detail?: string;
}

export interface ByoZone {
  zone: string;
  nameservers: string[];
  ds: string[];
  dns01?: Dns01Setup;
}

/**
 * Who acts on a PDM name: the provisioning task (`catalyst/<taskId>`), the Sovereign it serves and its owning
 * group. PDM lets only the creating task or the owning Sovereign release, delete or rewrite what it handed out.
 */
export interface PdmActor {
  createdBy: string;
  sovereignFQDN: string;
  owner?: string;
}

/** Proof for a pool release: the task's reservation token, or the owning Sovereign and its owner. */
export type PoolReleaseProof =
  | { reservationToken: string }
  | { sovereignFQDN: string; owner?: string };

export interface NameserverUpdate {
  registrar: string;
  domain: string;
  nameservers: string[];
  propagation?: string;
}

const seg = encodeURIComponent;

function recordsOf(body: any): PublishedDnsRecord[] {
  const records: unknown = body?.records;
  if (!Array.isArray(records)) return [];
  return records.map(r => ({
    name: String(r.name),
    type: String(r.type),
    ttl: Number(r.ttl),
    content: String(r.content),
  }));
}

/**
 * Client of the pool-domain-manager plugin (`/api/pdm`, docs/pdm.md §2 and §7) for the scaffolder: pool
 * reservations, BYO zones and the registrar NS flip. It authenticates as the scaffolder's own service.
 * Registrar tokens travel in request bodies only, never in paths, logs or errors.
 */
export class PoolAllocationClient {
  private readonly api: PluginApiClient;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
  }) {
    this.api = new PluginApiClient({
      ...options,
      pluginId: 'pdm',
      serviceName: 'PDM',
    });
  }

  async checkSubdomain(
    poolDomain: string,
    subdomain: string,
    signal?: AbortSignal,
  ): Promise<SubdomainCheck> {
    const { body } = await this.api.request<SubdomainCheck>(
      'GET',
      `/v1/pool/${seg(poolDomain)}/check?sub=${seg(subdomain)}`,
      { signal },
    );
    return body;
  }

  async reserve(
    poolDomain: string,
    request: {
      subdomain: string;
      createdBy: string;
      owner?: string;
      ttlSeconds: number;
    },
    signal?: AbortSignal,
  ): Promise<PoolReservation> {
    const { body } = await this.api.request<PoolReservation>(
      'POST',
      `/v1/pool/${seg(poolDomain)}/reserve`,
      { body: request, signal },
    );
    return { ...body, dns01: dns01Of(body) };
  }

  /** Every allocation of a pool (without tokens). */
  async list(
    poolDomain: string,
    signal?: AbortSignal,
  ): Promise<
    {
      subdomain: string;
      state: 'reserved' | 'active';
      createdBy: string;
    }[]
  > {
    const { body } = await this.api.request<
      { subdomain: string; state: 'reserved' | 'active'; createdBy: string }[]
    >('GET', `/v1/pool/${seg(poolDomain)}/list`, { signal });
    return body;
  }

  /** Extends a live reservation; answers the new expiry. */
  async renew(
    poolDomain: string,
    request: {
      subdomain: string;
      reservationToken: string;
      ttlSeconds: number;
    },
    signal?: AbortSignal,
  ): Promise<{ expiresAt: string }> {
    const { body } = await this.api.request<{ expiresAt: string }>(
      'POST',
      `/v1/pool/${seg(poolDomain)}/renew`,
      { body: request, signal },
    );
    return body;
  }

  async commit(
    poolDomain: string,
    request: {
      subdomain: string;
      reservationToken: string;
      sovereignFQDN: string;
      loadBalancerIP: string;
    },
    signal?: AbortSignal,
  ): Promise<PoolCommitResult> {
    const { status, body } = await this.api.request(
      'POST',
      `/v1/pool/${seg(poolDomain)}/commit`,
      { body: request, signal },
    );
    return status === 202
      ? {
          recordsWritten: false,
          records: [],
          warning: body?.warning,
          detail: body?.detail,
        }
      : { recordsWritten: true, records: recordsOf(body) };
  }

  /**
   * Frees the allocation and its DNS, proving the right to with `proof` (in the body, never the URL). A missing
   * allocation is success (`released: false`).
   */
  async release(
    poolDomain: string,
    subdomain: string,
    proof: PoolReleaseProof,
    signal?: AbortSignal,
  ): Promise<{ released: boolean; warning?: string }> {
    const { status, body } = await this.api.request(
      'DELETE',
      `/v1/pool/${seg(poolDomain)}/release?sub=${seg(subdomain)}`,
      { body: { subdomain, ...proof }, signal, accept: [404] },
    );
    if (status === 404) return { released: false };
    return {
      released: true,
      warning: status === 202 ? body?.warning : undefined,
    };
  }

  /** Whether a new Sovereign may use `domain` as its bring-your-own zone (no held, nested or enclosing zone). */
  async checkByoDomain(
    domain: string,
    signal?: AbortSignal,
  ): Promise<SubdomainCheck> {
    const { body } = await this.api.request<SubdomainCheck>(
      'GET',
      `/v1/byo/${seg(domain)}/check`,
      { signal },
    );
    return body;
  }

  async createByoZone(
    domain: string,
    actor: PdmActor,
    signal?: AbortSignal,
  ): Promise<ByoZone> {
    const { body } = await this.api.request<ByoZone>(
      'POST',
      `/v1/byo/${seg(domain)}/zone`,
      { body: actor, signal },
    );
    return { ...body, dns01: dns01Of(body) };
  }

  /** Deletes a BYO zone. A missing zone is success (`deleted: false`). */
  async deleteByoZone(
    domain: string,
    actor: PdmActor,
    signal?: AbortSignal,
  ): Promise<{ deleted: boolean }> {
    const { status } = await this.api.request(
      'DELETE',
      `/v1/byo/${seg(domain)}/zone`,
      { body: actor, signal, accept: [404] },
    );
    return { deleted: status !== 404 };
  }

  /** Writes the canonical records of a BYO zone and answers the records written. */
  async writeByoRecords(
    domain: string,
    loadBalancerIP: string,
    actor: PdmActor,
    signal?: AbortSignal,
  ): Promise<{ records: PublishedDnsRecord[] }> {
    const { body } = await this.api.request(
      'POST',
      `/v1/byo/${seg(domain)}/records`,
      { body: { ...actor, loadBalancerIP }, signal },
    );
    return { records: recordsOf(body) };
  }

  /**
   * The Sovereign zone's DNS-01 key with its secret, read with the scaffolder's own service identity (PDM hands
   * it to no one else). The caller passes it to the provisioning run's environment only: never to a step output,
   * a log line or the catalog.
   */
  async dns01Key(fqdn: string, signal?: AbortSignal): Promise<Dns01Key> {
    const { body } = await this.api.request<Dns01Key>(
      'GET',
      `/v1/dns01/${seg(fqdn)}/key`,
      { signal },
    );
    if (typeof body?.secret !== 'string' || !body.secret) {
      throw new Error(`PDM answered no DNS-01 key for ${fqdn}`);
    }
    return body;
  }

  async validateRegistrarToken(
    registrar: string,
    domain: string,
    token: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.api.request('POST', `/v1/registrar/${seg(registrar)}/validate`, {
      body: { domain, token },
      signal,
    });
  }

  async setNameservers(
    registrar: string,
    request: { domain: string; token: string; nameservers: string[] },
    signal?: AbortSignal,
  ): Promise<NameserverUpdate> {
    const { body } = await this.api.request<NameserverUpdate>(
      'POST',
      `/v1/registrar/${seg(registrar)}/set-ns`,
      { body: request, signal },
    );
    return body;
  }
}
