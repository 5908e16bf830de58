import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

export interface PluginApiResponse<T = any> {
  status: number;
  body: T;
}

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
 * Calls another backend plugin with this plugin's own service credentials (never the task initiator's), the
 * way Backstage plugins talk to each other. Answers are JSON; errors become @backstage/errors types so the
 * scaffolder shows a specific message. Request bodies are never echoed into errors: they may carry a token.
 */
export class PluginApiClient {
  constructor(private readonly options: PluginApiClientOptions) {}

  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: {
      body?: unknown;
      signal?: AbortSignal;
      /** Statuses that are answers, not errors, for this call (e.g. 404 for an idempotent delete). */
      accept?: number[];
      /** Act for these credentials (e.g. the task initiator) instead of this plugin's own service identity. */
      onBehalfOf?: BackstageCredentials;
      /** The callee's own error shapes, when they differ from the ones {@link toError} reads. */
      toError?: (operation: string, status: number, body: any) => Error;
    } = {},
  ): Promise<PluginApiResponse<T>> {
    const { discovery, auth, pluginId, serviceName } = this.options;
    const baseUrl = await discovery.getBaseUrl(pluginId);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: options.onBehalfOf ?? (await auth.getOwnServiceCredentials()),
      targetPluginId: pluginId,
    });
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(options.body !== undefined
              ? { 'Content-Type': 'application/json' }
              : {}),
          },
          body:
            options.body !== undefined
              ? JSON.stringify(options.body)
              : undefined,
          signal,
        });
      } catch (e) {
        // A connection that broke before any answer (a pooled keep-alive connection the server had just closed,
        // a refused connection while the callee restarts) is tried again: every Catalyst route is safe to
        // repeat. A timeout or a cancelled task is not.
        const code = networkErrorCode(e);
        if (code && attempt < NETWORK_ATTEMPTS && !signal.aborted) {
          await new Promise(r => setTimeout(r, 250 * 2 ** attempt));
          continue;
        }
        throw new ServiceUnavailableError(
          `${serviceName} ${method} ${path} failed: ${
            (e as Error).name === 'TimeoutError'
              ? 'timed out'
              : `${(e as Error).message}${code ? ` (${code})` : ''}`
          }`,
        );
      }
    }
    const text = await response.text();
    let body: any = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = { detail: text.slice(0, 256) };
      }
    }
    if (response.ok || options.accept?.includes(response.status)) {
      return { status: response.status, body };
    }
    throw (options.toError ?? toError)(
      `${serviceName} ${method} ${path}`,
      response.status,
      body,
    );
  }
}

/** Maps `{error, detail}` (PDM) or `{error: {name, message}}` (Backstage routers) to an error type. */
function toError(operation: string, status: number, body: any): Error {
  const code =
    typeof body?.error === 'string'
      ? body.error
      : body?.error?.name ?? undefined;
  const detail =
    typeof body?.detail === 'string'
      ? body.detail
      : body?.error?.message ?? undefined;
  const message = `${operation} answered ${status}${code ? ` ${code}` : ''}${
    detail ? `: ${detail}` : ''
  }`;
  switch (status) {
    case 400:
    case 422:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
    case 410:
      return new ConflictError(message);
    default:
      return status >= 500
        ? new ServiceUnavailableError(message)
        : new Error(message);
  }
}
