import {
  RegistrarAdapter,
  RegistrarAdapterOptions,
  RegistrarCapabilities,
  RegistrarError,
} from '../types';
import { parseJsonReply, UpstreamHttpClient } from '../upstreamHttp';
import {
  normalizeNameservers,
  normalizeReadBack,
  normalizeRegistrarDomain,
  splitToken,
} from '../registrarInput';

export const DYNADOT_DEFAULT_BASE_URL = 'https://api.dynadot.com/api3.json';

const DISPLAY_NAME = 'Dynadot';

interface DynadotHeader {
  ResponseCode?: unknown;
  Status?: unknown;
  Error?: unknown;
}

/**
 * Dynadot API3 (JSON). The key and secret travel in the query string, so URLs are never logged and errors
 * never quote them. Dynadot answers HTTP 200 for most failures; the outcome is in the ResponseHeader.
 */
export class DynadotAdapter implements RegistrarAdapter {
  readonly name = 'dynadot';
  readonly propagation = '30–60 min';
  readonly capabilities: RegistrarCapabilities = {
    nameserverUpdate: 'immediate',
    // set_ns takes ns0 … ns12.
    maxNameservers: 13,
    dsSubmission: false,
  };

  private readonly baseUrl: string;
  private readonly http: UpstreamHttpClient;

  constructor(options: RegistrarAdapterOptions = {}) {
    this.baseUrl = options.baseUrl ?? DYNADOT_DEFAULT_BASE_URL;
    this.http = new UpstreamHttpClient(DISPLAY_NAME, options);
  }

  async validateToken(token: string, domain: string): Promise<void> {
    await this.domainInfo(token, domain);
  }

  async setNameservers(
    token: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const name = normalizeRegistrarDomain(domain);
    const list = normalizeNameservers(
      nameservers,
      this.capabilities.maxNameservers,
    );
    const params: Record<string, string> = { domain: name };
    list.forEach((host, index) => {
      params[`ns${index}`] = host;
    });
    await this.call(token, 'set_ns', params, 'SetNsResponse');
  }

  async getNameservers(token: string, domain: string): Promise<string[]> {
    const info = await this.domainInfo(token, domain);
    const list = info?.NameServerSettings?.NameServers;
    return normalizeReadBack(
      (Array.isArray(list) ? list : []).map((entry: any) => entry?.ServerName),
    );
  }

  private async domainInfo(token: string, domain: string): Promise<any> {
    const name = normalizeRegistrarDomain(domain);
    const reply = await this.call(
      token,
      'domain_info',
      { domain: name },
      'DomainInfoResponse',
    );
    const info = reply?.DomainInfo;
    // domain_info can succeed for a name the account does not hold only if Dynadot returns another domain.
    if (
      !info ||
      typeof info.Name !== 'string' ||
      info.Name.toLowerCase() !== name
    ) {
      throw new RegistrarError(
        'domain-not-in-account',
        `${name} is not a domain in this Dynadot account`,
      );
    }
    return info;
  }

  private async call(
    token: string,
    command: string,
    params: Record<string, string>,
    responseKey: string,
  ): Promise<any> {
    const [key, secret] = splitToken(
      DISPLAY_NAME,
      token,
      'apiKey:apiSecret',
      2,
    );
    const query = new URLSearchParams({ key, secret, command, ...params });
    const response = await this.http.send(() => ({
      method: 'GET',
      url: `${this.baseUrl}?${query}`,
      headers: { Accept: 'application/json' },
    }));
    if (response.status === 401 || response.status === 403) {
      throw new RegistrarError(
        'invalid-token',
        'Dynadot rejected the API key or secret',
      );
    }
    const body = parseJsonReply(DISPLAY_NAME, response.text) as any;
    // Errors detected before the command runs (e.g. a bad key) come back under a generic `Response` key.
    const reply = body?.[responseKey] ?? body?.Response;
    const header: DynadotHeader | undefined =
      reply?.ResponseHeader ??
      (reply && 'ResponseCode' in reply ? reply : undefined);
    if (response.status === 200 && header && isSuccess(header)) {
      return reply;
    }
    throw this.classify(header, response.status);
  }

  private classify(
    header: DynadotHeader | undefined,
    status: number,
  ): RegistrarError {
    const text =
      typeof header?.Error === 'string' ? header.Error.toLowerCase() : '';
    if (/invalid api|\bkey\b|secret|auth/.test(text)) {
      return new RegistrarError(
        'invalid-token',
        'Dynadot rejected the API key or secret',
      );
    }
    if (/not found|could not find|not in your account|not own/.test(text)) {
      return new RegistrarError(
        'domain-not-in-account',
        'Dynadot does not know this domain in the account',
      );
    }
    if (/\brate\b|rate.?limit|too many/.test(text)) {
      return this.http.rateLimited();
    }
    return new RegistrarError(
      'registrar-error',
      `Dynadot request failed (HTTP ${status}${
        header?.ResponseCode !== undefined
          ? `, ResponseCode ${String(header.ResponseCode).slice(0, 8)}`
          : ''
      })`,
    );
  }
}

function isSuccess(header: DynadotHeader): boolean {
  return (
    (typeof header.Status === 'string' &&
      header.Status.toLowerCase() === 'success') ||
    String(header.ResponseCode) === '0'
  );
}
