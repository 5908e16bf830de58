import {
  RegistrarAdapter,
  RegistrarAdapterOptions,
  RegistrarCapabilities,
  RegistrarError,
} from '../types';
import {
  parseJsonReply,
  UpstreamHttpClient,
  UpstreamResponse,
} from '../upstreamHttp';
import {
  normalizeNameservers,
  normalizeReadBack,
  normalizeRegistrarDomain,
  splitToken,
} from '../registrarInput';

export const GODADDY_DEFAULT_BASE_URL = 'https://api.godaddy.com';

const DISPLAY_NAME = 'GoDaddy';
/** GoDaddy's largest page for GET /v1/domains. */
const PAGE_SIZE = 1000;
/** A guard against an upstream whose marker never advances. */
const MAX_PAGES = 100;

interface GoDaddyDomainSummary {
  domain?: unknown;
}

/**
 * GoDaddy Domains API v1 with an `sso-key` credential. The domain list is paged with `marker` (the last domain
 * of the previous page), so accounts with more than 1000 domains are searched in full.
 */
export class GoDaddyAdapter implements RegistrarAdapter {
  readonly name = 'godaddy';
  readonly propagation = '1–4 h; TLD up to 48 h';
  readonly capabilities: RegistrarCapabilities = {
    nameserverUpdate: 'immediate',
    maxNameservers: 13,
    dsSubmission: false,
  };

  private readonly baseUrl: string;
  private readonly http: UpstreamHttpClient;

  constructor(options: RegistrarAdapterOptions = {}) {
    this.baseUrl = (options.baseUrl ?? GODADDY_DEFAULT_BASE_URL).replace(
      /\/+$/,
      '',
    );
    this.http = new UpstreamHttpClient(DISPLAY_NAME, options);
  }

  async validateToken(token: string, domain: string): Promise<void> {
    const authorization = this.authorization(token);
    const name = normalizeRegistrarDomain(domain);
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        statuses: 'ACTIVE',
        limit: String(PAGE_SIZE),
      });
      if (marker) query.set('marker', marker);
      const body = await this.call(
        authorization,
        'GET',
        `/v1/domains?${query}`,
      );
      const domains = (Array.isArray(body) ? body : [])
        .map((entry: GoDaddyDomainSummary) => entry?.domain)
        .filter((value): value is string => typeof value === 'string');
      if (domains.some(candidate => candidate.toLowerCase() === name)) return;
      const last = domains[domains.length - 1];
      if (domains.length < PAGE_SIZE || !last || last === marker) break;
      marker = last;
    }
    throw new RegistrarError(
      'domain-not-in-account',
      `${name} is not an active domain in this GoDaddy account`,
    );
  }

  async setNameservers(
    token: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const authorization = this.authorization(token);
    const name = normalizeRegistrarDomain(domain);
    const list = normalizeNameservers(
      nameservers,
      this.capabilities.maxNameservers,
    );
    await this.call(
      authorization,
      'PATCH',
      `/v1/domains/${encodeURIComponent(name)}`,
      { nameServers: list },
    );
  }

  async getNameservers(token: string, domain: string): Promise<string[]> {
    const authorization = this.authorization(token);
    const name = normalizeRegistrarDomain(domain);
    const body = (await this.call(
      authorization,
      'GET',
      `/v1/domains/${encodeURIComponent(name)}`,
    )) as { nameServers?: unknown } | undefined;
    return normalizeReadBack(
      Array.isArray(body?.nameServers) ? body.nameServers : [],
    );
  }

  private authorization(token: string): string {
    const [key, secret] = splitToken(
      DISPLAY_NAME,
      token,
      'apiKey:apiSecret',
      2,
    );
    return `sso-key ${key}:${secret}`;
  }

  private async call(
    authorization: string,
    method: 'GET' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const response = await this.http.send(() => ({
      method,
      url: `${this.baseUrl}${path}`,
      headers: {
        Authorization: authorization,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }));
    if (response.status >= 200 && response.status < 300) {
      return parseJsonReply(DISPLAY_NAME, response.text);
    }
    throw classify(response);
  }
}

function classify(response: UpstreamResponse): RegistrarError {
  if (response.status === 401 || response.status === 403) {
    return new RegistrarError('invalid-token', 'GoDaddy rejected the API key');
  }
  if (response.status === 404) {
    return new RegistrarError(
      'domain-not-in-account',
      'GoDaddy does not know this domain in the account',
    );
  }
  let code = '';
  try {
    const body = JSON.parse(response.text);
    // GoDaddy's codes are upper-case identifiers (e.g. INVALID_BODY): safe to name, unlike the message.
    if (typeof body?.code === 'string' && /^[A-Z_]{1,64}$/.test(body.code)) {
      code = `, ${body.code}`;
    }
  } catch {
    // Not the documented envelope; the status alone describes it.
  }
  return new RegistrarError(
    'registrar-error',
    `GoDaddy request failed (HTTP ${response.status}${code})`,
  );
}
