import { RegistrarAdapterOptions, RegistrarError } from '../types';
import { parseJsonReply, UpstreamResponse } from '../upstreamHttp';
import { splitToken } from '../registrarInput';
import {
  isAuthStatus,
  RegistrarAdapterBase,
  RegistrarDescription,
  sameDomain,
} from '../RegistrarAdapterBase';
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

const OVH: RegistrarDescription<OvhCredential> = {
  name: 'ovh',
  displayName: DISPLAY_NAME,
  propagation: 'asynchronous task queue; 1–4 h',
  defaultBaseUrl: OVH_DEFAULT_BASE_URL,
  credentialName: 'the application key, secret or consumer key',
  capabilities: { nameserverUpdate: 'queued' },
  parseCredential,
};

/**
 * OVHcloud API v1 with signed requests. The signature includes a timestamp OVH checks against its own clock,
 * so the offset to the API's clock is measured with GET /auth/time instead of trusting ours.
 * Nameserver updates are queued as an OVH task: the read-back can lag behind a successful update.
 */
export class OvhAdapter extends RegistrarAdapterBase<OvhCredential> {
  private clock?: { offsetSeconds: number; measuredAt: number };

  constructor(options: RegistrarAdapterOptions = {}) {
    super(OVH, options);
  }

  protected async checkDomain(
    credential: OvhCredential,
    domain: string,
  ): Promise<void> {
    const domains = await this.call(credential, 'GET', '/domain');
    if (
      !(Array.isArray(domains) ? domains : []).some(entry =>
        sameDomain(entry, domain),
      )
    ) {
      throw this.notInAccount(domain);
    }
  }

  protected async replaceNameservers(
    credential: OvhCredential,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    await this.call(
      credential,
      'POST',
      `/domain/${encodeURIComponent(domain)}/nameServers/update`,
      { nameServers: nameservers.map(host => ({ host })) },
    );
  }

  protected async readNameservers(
    credential: OvhCredential,
    domain: string,
  ): Promise<unknown[]> {
    const base = `/domain/${encodeURIComponent(domain)}/nameServer`;
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
    return hosts;
  }

  private async call(
    credential: OvhCredential,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const send = () =>
      this.sendJson(method, path, body, async (url, payload) => {
        const timestamp = await this.apiTime();
        return {
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
    throw this.classify(response);
  }

  private classify(response: UpstreamResponse): RegistrarError {
    const code = errorCodeOf(response);
    if (
      (code && INVALID_TOKEN_CODES.has(code)) ||
      isAuthStatus(response.status)
    ) {
      return this.rejected();
    }
    if (response.status === 404) return this.unknownDomain();
    return this.failed(
      response.status,
      code && /^[A-Z_]{1,64}$/.test(code) ? code : undefined,
    );
  }

  /** The API's current time in unix seconds, from our clock plus the offset measured with GET /auth/time. */
  private async apiTime(): Promise<number> {
    const now = Date.now();
    if (!this.clock || now - this.clock.measuredAt > TIME_SYNC_TTL_MS) {
      const response = await this.sendJson(
        'GET',
        '/auth/time',
        undefined,
        () => ({}),
      );
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
