import { ResponseError } from '@backstage/errors';
import type {
  Dns01Key,
  Dns01Setup,
  PdmErrorBody,
  PublishedDnsRecord,
  SubdomainCheck,
} from '../pdmApi';
import {
  ApiClientOptions,
  ApiRequestOptions,
  ApiTransport,
  describeResponseError,
  remoteError,
  remoteErrorOf,
} from './ApiTransport';

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

/** `GET /healthz`: PDM's pool domains, registrars and nameservers (the wizard reads them). */
export interface PdmHealth {
  status?: string;
  managedDomains?: unknown[];
  registrars?: unknown[];
  nameservers?: unknown[];
}

/**
 * The reference-compatible error body of a failed PDM call (`{error, detail, registrar?, domain?, …}`), or
 * undefined when the error is not one PDM answered in that shape.
 */
export function pdmErrorOf(
  error: unknown,
): (PdmErrorBody & { status: number }) | undefined {
  const body = (error as { pdm?: PdmErrorBody } | undefined)?.pdm;
  const remote = remoteErrorOf(error);
  return body && remote ? { ...body, status: remote.status } : undefined;
}

/**
 * The one place a client reads PDM's reference-compatible error body `{error, detail, …}`
 * (docs/api-contracts.md): the code becomes the remote error's name, the detail its message, and the whole body
 * stays readable with {@link pdmErrorOf}. An answer in the Backstage shape (the backend's authentication in
 * front of PDM's router) is read like any other.
 */
async function readPdmError(
  operation: string,
  response: Response,
): Promise<Error> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const pdm = body as PdmErrorBody | undefined;
  if (typeof pdm?.error === 'string') {
    const error = remoteError(operation, {
      status: response.status,
      name: pdm.error,
      message: typeof pdm.detail === 'string' ? pdm.detail : '',
    });
    Object.defineProperty(error, 'pdm', { value: pdm, enumerable: false });
    return error;
  }
  return describeResponseError(
    operation,
    await ResponseError.fromResponse(
      new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      }),
    ),
  );
}

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

const seg = encodeURIComponent;

/**
 * The client of the pool-domain-manager API (`/api/pdm`, docs/api-contracts.md and docs/pdm.md) for the wizard,
 * the scaffolder actions, catalyst-backend's delegation watcher and the tests alike: pool reservations, BYO
 * zones, the registrar token check and NS flip, the DNS-01 key and the delegation check. Registrar tokens travel
 * in request bodies only, never in paths or errors.
 */
export class PdmClient {
  private readonly transport: ApiTransport;

  constructor(options: ApiClientOptions) {
    this.transport = new ApiTransport({
      ...options,
      pluginId: 'pdm',
      serviceName: 'PDM',
      readError: readPdmError,
    });
  }

  async health(options?: ApiRequestOptions): Promise<PdmHealth> {
    const { body } = await this.transport.request<PdmHealth>(
      'GET',
      '/healthz',
      options,
    );
    return body ?? {};
  }

  async checkSubdomain(
    poolDomain: string,
    subdomain: string,
    options?: ApiRequestOptions,
  ): Promise<SubdomainCheck> {
    const { body } = await this.transport.request<SubdomainCheck>(
      'GET',
      `/v1/pool/${seg(poolDomain)}/check?sub=${seg(subdomain)}`,
      options,
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
    options?: ApiRequestOptions,
  ): Promise<PoolReservation> {
    const { body } = await this.transport.request<PoolReservation>(
      'POST',
      `/v1/pool/${seg(poolDomain)}/reserve`,
      { ...options, body: request },
    );
    return { ...body, dns01: dns01Of(body) };
  }

  /** Every allocation of a pool (without tokens). */
  async list(
    poolDomain: string,
    options?: ApiRequestOptions,
  ): Promise<
    { subdomain: string; state: 'reserved' | 'active'; createdBy: string }[]
  > {
    const { body } = await this.transport.request(
      'GET',
      `/v1/pool/${seg(poolDomain)}/list`,
      options,
    );
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
    options?: ApiRequestOptions,
  ): Promise<{ expiresAt: string }> {
    const { body } = await this.transport.request<{ expiresAt: string }>(
      'POST',
      `/v1/pool/${seg(poolDomain)}/renew`,
      { ...options, body: request },
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
    options?: ApiRequestOptions,
  ): Promise<PoolCommitResult> {
    const { status, body } = await this.transport.request(
      'POST',
      `/v1/pool/${seg(poolDomain)}/commit`,
      { ...options, body: request },
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
    options?: ApiRequestOptions,
  ): Promise<{ released: boolean; warning?: string }> {
    const { status, body } = await this.transport.request(
      'DELETE',
      `/v1/pool/${seg(poolDomain)}/release?sub=${seg(subdomain)}`,
      { ...options, body: { subdomain, ...proof }, accept: [404] },
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
    options?: ApiRequestOptions,
  ): Promise<SubdomainCheck> {
    const { body } = await this.transport.request<SubdomainCheck>(
      'GET',
      `/v1/byo/${seg(domain)}/check`,
      options,
    );
    return body;
  }

  async createByoZone(
    domain: string,
    actor: PdmActor,
    options?: ApiRequestOptions,
  ): Promise<ByoZone> {
    const { body } = await this.transport.request<ByoZone>(
      'POST',
      `/v1/byo/${seg(domain)}/zone`,
      { ...options, body: actor },
    );
    return { ...body, dns01: dns01Of(body) };
  }

  /** Deletes a BYO zone. A missing zone is success (`deleted: false`). */
  async deleteByoZone(
    domain: string,
    actor: PdmActor,
    options?: ApiRequestOptions,
  ): Promise<{ deleted: boolean }> {
    const { status } = await this.transport.request(
      'DELETE',
      `/v1/byo/${seg(domain)}/zone`,
      { ...options, body: actor, accept: [404] },
    );
    return { deleted: status !== 404 };
  }

  /** Writes the canonical records of a BYO zone and answers the records written. */
  async writeByoRecords(
    domain: string,
    loadBalancerIP: string,
    actor: PdmActor,
    options?: ApiRequestOptions,
  ): Promise<{ records: PublishedDnsRecord[] }> {
    const { body } = await this.transport.request(
      'POST',
      `/v1/byo/${seg(domain)}/records`,
      { ...options, body: { ...actor, loadBalancerIP } },
    );
    return { records: recordsOf(body) };
  }

  /**
   * The Sovereign zone's DNS-01 key with its secret (PDM hands it to the scaffolder's service identity only).
   * The caller passes it to the provisioning run's environment only: never to a step output, a log line or the
   * catalog.
   */
  async dns01Key(fqdn: string, options?: ApiRequestOptions): Promise<Dns01Key> {
    const { body } = await this.transport.request<Dns01Key>(
      'GET',
      `/v1/dns01/${seg(fqdn)}/key`,
      options,
    );
    if (typeof body?.secret !== 'string' || !body.secret) {
      throw new Error(`PDM answered no DNS-01 key for ${fqdn}`);
    }
    return body;
  }

  /** Checks a registrar token read-only; a refusal throws with PDM's code (see {@link pdmErrorOf}). */
  async validateRegistrarToken(
    registrar: string,
    domain: string,
    token: string,
    options?: ApiRequestOptions,
  ): Promise<{ valid: boolean; registrar?: string; domain?: string }> {
    const { body } = await this.transport.request(
      'POST',
      `/v1/registrar/${seg(registrar)}/validate`,
      { ...options, body: { domain, token } },
    );
    return { ...(body ?? {}), valid: body?.valid === true };
  }

  async setNameservers(
    registrar: string,
    request: { domain: string; token: string; nameservers: string[] },
    options?: ApiRequestOptions,
  ): Promise<NameserverUpdate> {
    const { body } = await this.transport.request<NameserverUpdate>(
      'POST',
      `/v1/registrar/${seg(registrar)}/set-ns`,
      { ...options, body: request },
    );
    return body;
  }

  /** Whether the parent zone delegates `fqdn` to PDM's nameservers; the answer is the caller's to check. */
  async delegation(
    fqdn: string,
    options?: ApiRequestOptions,
  ): Promise<unknown> {
    const { body } = await this.transport.request(
      'GET',
      `/v1/delegation/${seg(fqdn)}`,
      options,
    );
    return body;
  }
}
