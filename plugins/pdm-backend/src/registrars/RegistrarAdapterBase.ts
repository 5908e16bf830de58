import {
  RegistrarAdapter,
  RegistrarAdapterOptions,
  RegistrarCapabilities,
  RegistrarError,
} from './types';
import { UpstreamHttpClient, UpstreamResponse } from './upstreamHttp';
import {
  normalizeNameservers,
  normalizeReadBack,
  normalizeRegistrarDomain,
} from './registrarInput';

type HeaderMap = Record<string, string>;

/** What makes one registrar different from the others, apart from its API calls. */
export interface RegistrarDescription<Credential> {
  /** Stable lowercase id, equal to the `{registrar}` path parameter. */
  name: string;
  /** The registrar's name as errors show it (never a URL or credential). */
  displayName: string;
  /** Human hint on how long an NS change takes to propagate. */
  propagation: string;
  /** Production API base URL, used when the options name none. */
  defaultBaseUrl: string;
  /** What the credential is called in "X rejected …" (e.g. `the API token`). */
  credentialName: string;
  /** Differences from the usual: immediate updates, 13 nameservers, no DS submission. */
  capabilities?: Partial<RegistrarCapabilities>;
  /** Splits and checks the token's shape; a bad shape is `invalid-token` without an upstream call. */
  parseCredential(token: string): Credential;
}

/**
 * The flow every registrar adapter shares, so each adapter only says how its upstream is addressed:
 * the credential is parsed (and rejected) before anything is sent, the domain and the nameserver list are
 * normalised the same way for every upstream, read-backs are normalised, and failures are described with the
 * same few messages. Subclasses implement the three upstream steps and their own error classification.
 */
export abstract class RegistrarAdapterBase<Credential>
  implements RegistrarAdapter
{
  readonly name: string;
  readonly propagation: string;
  readonly capabilities: RegistrarCapabilities;

  protected readonly displayName: string;
  protected readonly baseUrl: string;
  protected readonly http: UpstreamHttpClient;
  private readonly credentialName: string;
  private readonly parseCredential: (token: string) => Credential;

  protected constructor(
    description: RegistrarDescription<Credential>,
    options: RegistrarAdapterOptions,
  ) {
    this.name = description.name;
    this.propagation = description.propagation;
    this.capabilities = {
      nameserverUpdate: 'immediate',
      maxNameservers: 13,
      dsSubmission: false,
      ...description.capabilities,
    };
    this.displayName = description.displayName;
    this.credentialName = description.credentialName;
    this.parseCredential = description.parseCredential;
    this.baseUrl = (options.baseUrl ?? description.defaultBaseUrl).replace(
      /\/+$/,
      '',
    );
    this.http = new UpstreamHttpClient(this.displayName, options);
  }

  /** Proves the credential works and sees `domain` (normalised); `domain-not-in-account` otherwise. */
  protected abstract checkDomain(
    credential: Credential,
    domain: string,
  ): Promise<void>;

  /** Replaces the nameservers of `domain` with `nameservers` (normalised, within `maxNameservers`). */
  protected abstract replaceNameservers(
    credential: Credential,
    domain: string,
    nameservers: string[],
  ): Promise<void>;

  /** The upstream's raw nameserver list for `domain`; the base normalises it. */
  protected abstract readNameservers(
    credential: Credential,
    domain: string,
  ): Promise<unknown[]>;

  async validateToken(token: string, domain: string): Promise<void> {
    const credential = this.parseCredential(token);
    await this.checkDomain(credential, normalizeRegistrarDomain(domain));
  }

  async setNameservers(
    token: string,
    domain: string,
    nameservers: string[],
  ): Promise<void> {
    const credential = this.parseCredential(token);
    const name = normalizeRegistrarDomain(domain);
    const list = normalizeNameservers(
      nameservers,
      this.capabilities.maxNameservers,
    );
    await this.replaceNameservers(credential, name, list);
  }

  async getNameservers(token: string, domain: string): Promise<string[]> {
    const credential = this.parseCredential(token);
    const name = normalizeRegistrarDomain(domain);
    return normalizeReadBack(await this.readNameservers(credential, name));
  }

  /**
   * A JSON request below the base URL. `auth` gives the credential headers per attempt (OVH signs each one
   * with a fresh timestamp) from the absolute URL and the exact body sent (`''` when there is none).
   */
  protected sendJson(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: unknown,
    auth: (url: string, payload: string) => HeaderMap | Promise<HeaderMap>,
  ): Promise<UpstreamResponse> {
    const payload = body !== undefined ? JSON.stringify(body) : '';
    const url = `${this.baseUrl}${path}`;
    return this.http.send(async () => ({
      method,
      url,
      headers: {
        Accept: 'application/json',
        ...(payload ? { 'Content-Type': 'application/json' } : {}),
        ...(await auth(url, payload)),
      },
      body: payload || undefined,
    }));
  }

  /**
   * A GET whose query carries the credential and the command (Dynadot, Namecheap). Such URLs are never logged
   * or put into errors. An HTTP 401/403 is a rejected credential whatever the body says.
   */
  protected async sendQuery(
    params: Record<string, string>,
    accept: string,
  ): Promise<UpstreamResponse> {
    const query = new URLSearchParams(params);
    const response = await this.http.send(() => ({
      method: 'GET',
      url: `${this.baseUrl}?${query}`,
      headers: { Accept: accept },
    }));
    if (isAuthStatus(response.status)) throw this.rejected();
    return response;
  }

  /** `invalid-token`: the upstream refused the credential. */
  protected rejected(detail = ''): RegistrarError {
    return new RegistrarError(
      'invalid-token',
      `${this.displayName} rejected ${this.credentialName}${detail}`,
    );
  }

  /** `domain-not-in-account`, when the upstream itself says it does not know the domain. */
  protected unknownDomain(): RegistrarError {
    return new RegistrarError(
      'domain-not-in-account',
      `${this.displayName} does not know this domain in the account`,
    );
  }

  /** `domain-not-in-account`, when the domain is missing from what the credential can list. */
  protected notInAccount(domain: string, what = 'a domain'): RegistrarError {
    return new RegistrarError(
      'domain-not-in-account',
      `${domain} is not ${what} in this ${this.displayName} account`,
    );
  }

  /** `registrar-error`, with the status and at most a short, checked upstream code (never its text). */
  protected failed(status: number, code?: string): RegistrarError {
    return new RegistrarError(
      'registrar-error',
      `${this.displayName} request failed (HTTP ${status}${
        code ? `, ${code}` : ''
      })`,
    );
  }
}

export function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

/** Whether a listed name is `domain`, compared case-insensitively. */
export function sameDomain(candidate: unknown, domain: string): boolean {
  return typeof candidate === 'string' && candidate.toLowerCase() === domain;
}
