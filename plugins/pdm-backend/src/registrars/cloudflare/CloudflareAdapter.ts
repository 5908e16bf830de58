import { RegistrarAdapterOptions, RegistrarError } from '../types';
import { parseJsonReply, UpstreamResponse } from '../upstreamHttp';
import { requireToken } from '../registrarInput';
import {
  isAuthStatus,
  RegistrarAdapterBase,
  RegistrarDescription,
  sameDomain,
} from '../RegistrarAdapterBase';

export const CLOUDFLARE_DEFAULT_BASE_URL =
  'https://api.cloudflare.com/client/v4';

const DISPLAY_NAME = 'Cloudflare';

/** Cloudflare error codes (docs/pdm.md §6.1); anything else falls back to the HTTP status. */
const INVALID_TOKEN_CODES = new Set([10000, 6003, 6111]);
const NOT_IN_ACCOUNT_CODES = new Set([9103, 9109, 1001]);
const RATE_LIMITED_CODES = new Set([10013]);

interface CloudflareEnvelope {
  success?: boolean;
  errors?: Array<{ code?: number; message?: string }>;
  result?: unknown;
  result_info?: unknown;
}

interface CloudflareZone {
  id: string;
  name: string;
  name_servers?: unknown[];
}

const CLOUDFLARE: RegistrarDescription<string> = {
  name: 'cloudflare',
  displayName: DISPLAY_NAME,
  propagation: 'minutes; full TLD up to 24 h',
  defaultBaseUrl: CLOUDFLARE_DEFAULT_BASE_URL,
  credentialName: 'the API token',
  parseCredential: token => {
    return requireToken(DISPLAY_NAME, token);
  },
};

/**
 * Cloudflare, through the v4 API with a scoped API token (Bearer). Nameservers can only be replaced for domains
 * registered with Cloudflare Registrar; Cloudflare answers other zones with an error that maps to
 * `domain-not-in-account`.
 */
export class CloudflareAdapter extends RegistrarAdapterBase<string> {
  constructor(options: RegistrarAdapterOptions = {}) {
    super(CLOUDFLARE, options);
  }

  protected async checkDomain(bearer: string, domain: string): Promise<void> {
    await this.call(bearer, 'GET', '/user/tokens/verify');
    await this.findZone(bearer, domain);
  }

  protected async replaceNameservers(
    bearer: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const zone = await this.findZone(bearer, domain);
    await this.call(bearer, 'PATCH', `/zones/${encodeURIComponent(zone.id)}`, {
      name_servers: nameservers,
    });
  }

  protected async readNameservers(
    bearer: string,
    domain: string,
  ): Promise<unknown[]> {
    const zone = await this.findZone(bearer, domain);
    const result = (await this.call(
      bearer,
      'GET',
      `/zones/${encodeURIComponent(zone.id)}`,
    )) as CloudflareZone | undefined;
    return Array.isArray(result?.name_servers) ? result.name_servers : [];
  }

  private async findZone(
    bearer: string,
    domain: string,
  ): Promise<CloudflareZone> {
    const result = await this.call(
      bearer,
      'GET',
      `/zones?name=${encodeURIComponent(domain)}`,
    );
    const zone = (Array.isArray(result) ? result : []).find(
      (candidate: CloudflareZone) =>
        sameDomain(candidate?.name, domain) && typeof candidate.id === 'string',
    );
    if (!zone) {
      throw new RegistrarError(
        'domain-not-in-account',
        `${domain} is not a zone this Cloudflare token can access`,
      );
    }
    return zone;
  }

  private async call(
    bearer: string,
    method: 'GET' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const response = await this.sendJson(method, path, body, () => ({
      Authorization: `Bearer ${bearer}`,
    }));
    const envelope = parseJsonReply(DISPLAY_NAME, response.text) as
      | CloudflareEnvelope
      | undefined;
    // Cloudflare's only success is HTTP 200 with success: true.
    if (response.status === 200 && envelope?.success === true) {
      return envelope.result;
    }
    throw this.classify(response, envelope);
  }

  private classify(
    response: UpstreamResponse,
    envelope: CloudflareEnvelope | undefined,
  ): RegistrarError {
    const codes = (Array.isArray(envelope?.errors) ? envelope!.errors : [])
      .map(error => Number(error?.code))
      .filter(code => Number.isFinite(code));
    // The upstream's own code is more specific than the HTTP status (a 403 with 9109 is a zone outside the
    // token's reach, not a bad token).
    if (codes.some(code => INVALID_TOKEN_CODES.has(code))) {
      return this.rejected();
    }
    if (codes.some(code => NOT_IN_ACCOUNT_CODES.has(code))) {
      return new RegistrarError(
        'domain-not-in-account',
        'Cloudflare does not let this token manage the domain (it must be registered with Cloudflare Registrar)',
      );
    }
    if (codes.some(code => RATE_LIMITED_CODES.has(code))) {
      return this.http.rateLimited();
    }
    if (isAuthStatus(response.status)) return this.rejected();
    return this.failed(
      response.status,
      codes.length ? `code ${codes.join(',')}` : undefined,
    );
  }
}
