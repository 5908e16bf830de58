import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

export interface PluginApiClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Backend plugin to call, e.g. `pdm` or `catalyst`. */
  pluginId: string;
  /** Human name used in error messages, e.g. `PDM`. */
  serviceName: string;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** Attempts of one request when the connection breaks before an answer. */
const NETWORK_ATTEMPTS = 3;

/** The socket-level cause of a failed fetch (undici wraps it as `cause`), or undefined for anything else. */
function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code &&
    /^(ECONNRESET|ECONNREFUSED|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code)
    ? code
    : undefined;
}

/**
 * The backend side of the shared API clients of `@catalyst/plugin-catalyst-common` (`VouchersClient`,
 * `PdmClient`, `SovereignRegistryClient`, docs/api-contracts.md): it is their `{discoveryApi, fetchApi}`, so
 * `new PdmClient(new PluginApiClient({...}))` calls another backend plugin the way Backstage plugins talk to
 * each other. Its fetch
 *
 * - authenticates with this plugin's own service credentials unless the call carries a token (one minted with
 *   {@link PluginApiClient.tokenFor} on behalf of a task's initiator, say),
 * - gives every request a timeout,
 * - sends a request again when the connection broke before any answer (every Catalyst route is safe to repeat),
 *   and turns a network failure into a `ServiceUnavailableError` naming the call.
 *
 * Answers, including failed ones, are the clients' to read. Request bodies are never echoed into errors: they
 * may carry a token.
 */
export class PluginApiClient {
  readonly discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  readonly fetchApi: { fetch: typeof fetch };

  constructor(private readonly options: PluginApiClientOptions) {
    this.discoveryApi = options.discovery;
    this.fetchApi = {
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        this.fetch(String(input), init)) as typeof fetch,
    };
  }

  /** A token for the target plugin on behalf of `credentials` (a user, or this plugin's own service). */
  async tokenFor(credentials?: BackstageCredentials): Promise<string> {
    const { auth, pluginId } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials ?? (await auth.getOwnServiceCredentials()),
      targetPluginId: pluginId,
    });
    return token;
  }

  private async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const { discovery, pluginId, serviceName } = this.options;
    const headers = new Headers(init.headers);
    if (!headers.has('Authorization')) {
      headers.set('Authorization', `Bearer ${await this.tokenFor()}`);
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = init.signal
      ? AbortSignal.any([init.signal, timeout])
      : timeout;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(url, { ...init, headers, signal });
      } catch (e) {
        // A connection that broke before any answer (a pooled keep-alive connection the server had just closed,
        // a refused connection while the callee restarts) is tried again. A timeout or a cancelled task is not.
        const code = networkErrorCode(e);
        if (code && attempt < NETWORK_ATTEMPTS && !signal.aborted) {
          await new Promise(r => setTimeout(r, 250 * 2 ** attempt));
          continue;
        }
        const baseUrl = await discovery.getBaseUrl(pluginId);
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url;
        throw new ServiceUnavailableError(
          `${serviceName} ${init.method ?? 'GET'} ${path} failed: ${
            (e as Error).name === 'TimeoutError'
              ? 'timed out'
              : `${(e as Error).message}${code ? ` (${code})` : ''}`
          }`,
        );
      }
    }
  }
}
