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
import { signOvhRequest } from './ovhSignature';

export const OVH_DEFAULT_BASE_URL = 'https://eu.api.ovh.com/1.0';

const DISPLAY_NAME = 'OVH';
/** How long a measured clock offset is trusted before /auth/time is asked again. */
const TIME_SYNC_TTL_MS = 10 * 60 * 1000;

/** OVH errorCodes that mean the credential (application key, secret or consumer key) is not usable. */
const INVALID_TOKEN_CODES = new Set([
  'INVALID_KEY',
  'INVALID_CREDENTIAL',
  'INVALID_SIGNATURE',
  'NOT_CREDENTIAL',
  'NOT_GRANTED_CALL',
  'NOT_AUTHENTICATED',
]);

interface OvhCredential {
  appKey: string;
  appSecret: string;
  consumerKey: string;
}

/**
 * OVHcloud API v1 with signed requests. The signature includes a timestamp OVH checks against its own clock,
 * so the offset to the API's clock is measured with GET /auth/time instead of trusting ours.
 * Nameserver updates are queued as an OVH task: the read-back can lag behind a successful update.
 */
export class OvhAdapter implements RegistrarAdapter {
  readonly name = 'ovh';
  readonly propagation = 'asynchronous task queue; 1–4 h';
  readonly capabilities: RegistrarCapabilities = {
    nameserverUpdate: 'queued',
    maxNameservers: 13,
    dsSubmission: false,
  };

  private readonly baseUrl: string;
  private readonly http: UpstreamHttpClient;
  private clock?: { offsetSeconds: number; measuredAt: number };

  constructor(options: RegistrarAdapterOptions = {}) {
    this.baseUrl = (options.baseUrl ?? OVH_DEFAULT_BASE_URL).replace(
      /\/+$/,
      '',
    );
    this.http = new UpstreamHttpClient(DISPLAY_NAME, options);
  }

  async validateToken(token: string, domain: string): Promise<void> {
    const credential = parseCredential(token);
    const name = normalizeRegistrarDomain(domain);
    const domains = await this.call(credential, 'GET', '/domain');
    const found = (Array.isArray(domains) ? domains : []).some(
      entry => typeof entry === 'string' && entry.toLowerCase() === name,
    );
    if (!found) {
      throw new RegistrarError(
        'domain-not-in-account',
        `${name} is not a domain in this OVH account`,
      );
    }
  }

  async setNameservers(
    token: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const credential = parseCredential(token);
    const name = normalizeRegistrarDomain(domain);
    const list = normalizeNameservers(
      nameservers,
      this.capabilities.maxNameservers,
    );
    await this.call(
      credential,
      'POST',
      `/domain/${encodeURIComponent(name)}/nameServers/update`,
      { nameServers: list.map(host => ({ host })) },
    );
  }

  async getNameservers(token: string, domain: string): Promise<string[]> {
    const credential = parseCredential(token);
    const name = normalizeRegistrarDomain(domain);
    const base = `/domain/${encodeURIComponent(name)}/nameServer`;
    const ids = await this.call(credential, 'GET', base);
    const hosts: unknown[] = [];
    for (const id of Array.isArray(ids) ? ids : []) {
      if (typeof id !== 'number' && typeof id !== 'string') continue;
      const entry = (await this.call(
        credential,
        'GET',
        `${base}/${encodeURIComponent(String(id))}`,
      )) as { host?: unknown; toDelete?: unknown } | undefined;
      // An entry flagged toDelete is on its way out with a queued task; it is no longer the intended list.
      if (entry?.toDelete !== true) hosts.push(entry?.host);
    }
    return normalizeReadBack(hosts);
  }

  private async call(
    credential: OvhCredential,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const payload = body !== undefined ? JSON.stringify(body) : '';
    const url = `${this.baseUrl}${path}`;
    const send = async () =>
      this.http.send(async () => {
        const timestamp = await this.apiTime();
        return {
          method,
          url,
          headers: {
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json' } : {}),
            'X-Ovh-Application': credential.appKey,
            'X-Ovh-Consumer': credential.consumerKey,
            'X-Ovh-Timestamp': String(timestamp),
            'X-Ovh-Signature': signOvhRequest({
              appSecret: credential.appSecret,
              consumerKey: credential.consumerKey,
              method,
              url,
              body: payload,
              timestamp,
            }),
          },
          body: payload || undefined,
        };
      });
    let response = await send();
    if (errorCodeOf(response) === 'QUERY_TIME_OUT') {
      // Our measured offset went stale (e.g. the host clock jumped): measure again and retry once.
      this.clock = undefined;
      response = await send();
    }
    if (response.status >= 200 && response.status < 300) {
      return parseJsonReply(DISPLAY_NAME, response.text);
    }
    throw classify(response);
  }

  /** The API's current time in unix seconds, from our clock plus the offset measured with GET /auth/time. */
  private async apiTime(): Promise<number> {
    const now = Date.now();
    if (!this.clock || now - this.clock.measuredAt > TIME_SYNC_TTL_MS) {
      const response = await this.http.send(() => ({
        method: 'GET',
        url: `${this.baseUrl}/auth/time`,
        headers: { Accept: 'application/json' },
      }));
      const serverTime = Number(parseJsonReply(DISPLAY_NAME, response.text));
      if (response.status !== 200 || !Number.isFinite(serverTime)) {
        throw new RegistrarError(
          'api-unavailable',
          `OVH API did not return its time (HTTP ${response.status})`,
        );
      }
      const measuredAt = Date.now();
      this.clock = {
        offsetSeconds: Math.round(serverTime - measuredAt / 1000),
        measuredAt,
      };
    }
    return Math.floor(Date.now() / 1000) + this.clock.offsetSeconds;
  }
}

function parseCredential(token: string): OvhCredential {
  const [appKey, appSecret, consumerKey] = splitToken(
    DISPLAY_NAME,
    token,
    'applicationKey:applicationSecret:consumerKey',
    3,
  );
  if (consumerKey.includes(':')) {
    throw new RegistrarError(
      'invalid-token',
      'OVH token must have the form applicationKey:applicationSecret:consumerKey',
    );
  }
  return { appKey, appSecret, consumerKey };
}

function errorCodeOf(response: UpstreamResponse): string | undefined {
  if (response.status < 400) return undefined;
  try {
    const code = JSON.parse(response.text)?.errorCode;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function classify(response: UpstreamResponse): RegistrarError {
  const code = errorCodeOf(response);
  if (
    (code && INVALID_TOKEN_CODES.has(code)) ||
    response.status === 401 ||
    response.status === 403
  ) {
    return new RegistrarError(
      'invalid-token',
      'OVH rejected the application key, secret or consumer key',
    );
  }
  if (response.status === 404) {
    return new RegistrarError(
      'domain-not-in-account',
      'OVH does not know this domain in the account',
    );
  }
  const shownCode = code && /^[A-Z_]{1,64}$/.test(code) ? `, ${code}` : '';
  return new RegistrarError(
    'registrar-error',
    `OVH request failed (HTTP ${response.status}${shownCode})`,
  );
}
