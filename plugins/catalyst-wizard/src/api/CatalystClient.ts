import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  PdmClient,
  pdmErrorOf,
  remoteErrorOf,
} from '@catalyst/plugin-catalyst-common';
import type {
  CatalystApi,
  CredentialCheck,
  GeneratedSshKey,
  PdmInfo,
  RegistrarCheck,
  SshKeyCheck,
  SubdomainAvailability,
} from './CatalystApi';
import type { CatalystCatalogData } from './catalogData';

/**
 * Reads a JSON body without trusting it to be JSON: a proxy or a crashed backend may answer with plain text
 * or HTML, and the wizard must show that as a message instead of throwing from `res.json()`.
 */
async function readJson(
  res: Response,
): Promise<{ ok: true; body: any } | { ok: false; text: string }> {
  const text = await res.text();
  try {
    return { ok: true, body: text ? JSON.parse(text) : {} };
  } catch {
    return { ok: false, text: text.slice(0, 300) };
  }
}

/**
 * Talks to the wizard's routes of `/api/catalyst/v1/*` (catalog data, credential and SSH key checks) and, through
 * the shared {@link PdmClient}, to `/api/pdm/*`, with Backstage's authenticated fetch.
 */
export class CatalystClient implements CatalystApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly pdm: PdmClient;
  private catalogData?: Promise<CatalystCatalogData>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.pdm = new PdmClient(options);
  }

  /** The catalog data never changes while the page is open, so it is fetched once and shared. */
  getCatalogData(): Promise<CatalystCatalogData> {
    if (!this.catalogData) {
      this.catalogData = this.getJson<CatalystCatalogData>(
        'catalyst',
        '/v1/catalog-data',
      ).catch(e => {
        this.catalogData = undefined;
        if (e instanceof ResponseError) throw e;
        throw new Error(
          `The Catalyst backend could not be reached to load the catalog data: ${e.message}`,
        );
      });
    }
    return this.catalogData;
  }

  async validateCredential(
    provider: string,
    token: string,
  ): Promise<CredentialCheck> {
    let res: Response;
    try {
      res = await this.post('catalyst', '/v1/credentials/validate', {
        provider,
        token,
      });
    } catch (e) {
      return {
        valid: false,
        kind: 'network',
        reason: `The Catalyst backend could not be reached: ${
          (e as Error).message
        }`,
      };
    }
    const parsed = await readJson(res);
    if (!parsed.ok) {
      return {
        valid: false,
        kind: 'parse',
        status: res.status,
        reason: 'The backend answered with something that is not JSON',
        detail: parsed.text,
      };
    }
    const body = parsed.body ?? {};
    const reason = typeof body.reason === 'string' ? body.reason : undefined;
    const detail =
      typeof body.detail === 'string'
        ? body.detail
        : body.error?.message ?? undefined;
    if (res.status === 200 && body.valid === true) return { valid: true };
    if (res.status === 200) {
      return { valid: false, kind: 'rejected', status: 200, reason, detail };
    }
    if (res.status === 400) {
      return { valid: false, kind: 'too-short', status: 400, reason, detail };
    }
    if (res.status === 503) {
      return { valid: false, kind: 'unreachable', status: 503, reason, detail };
    }
    return { valid: false, kind: 'http', status: res.status, reason, detail };
  }

  async generateSshKey(fqdn?: string): Promise<GeneratedSshKey> {
    const res = await this.post(
      'catalyst',
      '/v1/sshkey/generate',
      fqdn ? { fqdn } : {},
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as GeneratedSshKey;
  }

  async checkSshKey(publicKey: string): Promise<SshKeyCheck> {
    const res = await this.post('catalyst', '/v1/sshkey/check', { publicKey });
    const parsed = await readJson(res);
    if (res.status === 400 && parsed.ok) {
      return {
        valid: false,
        reason:
          parsed.body?.reason ??
          parsed.body?.error?.message ??
          'The key was rejected',
      };
    }
    if (!res.ok || !parsed.ok) throw await ResponseError.fromResponse(res);
    return parsed.body as SshKeyCheck;
  }

  async getPdmInfo(): Promise<PdmInfo> {
    const body = await this.pdm.health();
    const strings = (v: unknown) =>
      Array.isArray(v)
        ? v.map(d =>
            typeof d === 'string'
              ? d
              : String((d as { domain?: string }).domain),
          )
        : [];
    const nameservers = strings(body.nameservers);
    return {
      managedDomains: strings(body.managedDomains),
      registrars: strings(body.registrars),
      ...(nameservers.length ? { nameservers } : {}),
    };
  }

  /** A failed answer of PDM (an error, a proxy page) is the answer `pdm-unavailable`. */
  async checkSubdomain(
    poolDomain: string,
    subdomain: string,
    signal?: AbortSignal,
  ): Promise<SubdomainAvailability> {
    try {
      const check = await this.pdm.checkSubdomain(poolDomain, subdomain, {
        signal,
      });
      if (typeof check?.available === 'boolean') return check;
      return {
        available: false,
        reason: 'pdm-unavailable',
        detail: 'HTTP 200',
      };
    } catch (e) {
      // No answer at all (a cancelled check, no connection) is the caller's to handle, as a fetch failure.
      const remote = remoteErrorOf(e);
      if (!remote) throw e;
      return {
        available: false,
        reason: 'pdm-unavailable',
        detail: remote.message || `HTTP ${remote.status}`,
      };
    }
  }

  /** PDM's refusal (its code and detail) or an outage, as the Domain step shows it. */
  async validateRegistrarToken(
    registrar: string,
    domain: string,
    token: string,
  ): Promise<RegistrarCheck> {
    try {
      const answer = await this.pdm.validateRegistrarToken(
        registrar,
        domain,
        token,
      );
      return answer.valid
        ? { valid: true }
        : { valid: false, status: 200, error: 'api-unavailable' };
    } catch (e) {
      const remote = remoteErrorOf(e);
      if (!remote) {
        return {
          valid: false,
          error: 'api-unavailable',
          detail: `PDM could not be reached: ${(e as Error).message}`,
        };
      }
      const pdm = pdmErrorOf(e);
      return {
        valid: false,
        status: remote.status,
        error: pdm?.error ?? remote.name ?? 'api-unavailable',
        detail: pdm ? pdm.detail : remote.message,
      };
    }
  }

  private async post(pluginId: string, path: string, body: unknown) {
    const base = await this.discoveryApi.getBaseUrl(pluginId);
    return this.fetchApi.fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async getJson<T>(pluginId: string, path: string): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl(pluginId);
    const res = await this.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }
}
