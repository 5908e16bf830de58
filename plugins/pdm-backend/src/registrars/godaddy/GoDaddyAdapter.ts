import { RegistrarAdapterOptions } from '../types';
import { parseJsonReply, UpstreamResponse } from '../upstreamHttp';
import { splitToken } from '../registrarInput';
import {
  isAuthStatus,
  RegistrarAdapterBase,
  RegistrarDescription,
  sameDomain,
} from '../RegistrarAdapterBase';

export const GODADDY_DEFAULT_BASE_URL = 'https://api.godaddy.com';

const DISPLAY_NAME = 'GoDaddy';
/** GoDaddy's largest page for GET /v1/domains. */
const PAGE_SIZE = 1000;
/** A guard against an upstream whose marker never advances. */
const MAX_PAGES = 100;

interface GoDaddyDomainSummary {
  domain?: unknown;
}

const GODADDY: RegistrarDescription<string> = {
  name: 'godaddy',
  displayName: DISPLAY_NAME,
  propagation: '1–4 h; TLD up to 48 h',
  defaultBaseUrl: GODADDY_DEFAULT_BASE_URL,
  credentialName: 'the API key',
  parseCredential: token => {
    const [key, secret] = splitToken(
      DISPLAY_NAME,
      token,
      'apiKey:apiSecret',
      2,
    );
    return `sso-key ${key}:${secret}`;
  },
};

/**
 * GoDaddy Domains API v1 with an `sso-key` credential. The domain list is paged with `marker` (the last domain
 * of the previous page), so accounts with more than 1000 domains are searched in full.
 */
export class GoDaddyAdapter extends RegistrarAdapterBase<string> {
  constructor(options: RegistrarAdapterOptions = {}) {
    super(GODADDY, options);
  }

  protected async checkDomain(
    authorization: string,
    domain: string,
  ): Promise<void> {
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
      if (domains.some(candidate => sameDomain(candidate, domain))) return;
      const last = domains[domains.length - 1];
      if (domains.length < PAGE_SIZE || !last || last === marker) break;
      marker = last;
    }
    throw this.notInAccount(domain, 'an active domain');
  }

  protected async replaceNameservers(
    authorization: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    await this.call(
      authorization,
      'PATCH',
      `/v1/domains/${encodeURIComponent(domain)}`,
      { nameServers: nameservers },
    );
  }

  protected async readNameservers(
    authorization: string,
    domain: string,
  ): Promise<unknown[]> {
    const body = (await this.call(
      authorization,
      'GET',
      `/v1/domains/${encodeURIComponent(domain)}`,
    )) as { nameServers?: unknown } | undefined;
    return Array.isArray(body?.nameServers) ? body.nameServers : [];
  }

  private async call(
    authorization: string,
    method: 'GET' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const response = await this.sendJson(method, path, body, () => ({
      Authorization: authorization,
    }));
    if (response.status >= 200 && response.status < 300) {
      return parseJsonReply(DISPLAY_NAME, response.text);
    }
    throw this.classify(response);
  }

  private classify(response: UpstreamResponse) {
    if (isAuthStatus(response.status)) return this.rejected();
    if (response.status === 404) return this.unknownDomain();
    let code: string | undefined;
    try {
      const body = JSON.parse(response.text);
      // GoDaddy's codes are upper-case identifiers (e.g. INVALID_BODY): safe to name, unlike the message.
      if (typeof body?.code === 'string' && /^[A-Z_]{1,64}$/.test(body.code)) {
        code = body.code;
      }
    } catch {
      // Not the documented envelope; the status alone describes it.
    }
    return this.failed(response.status, code);
  }
}
