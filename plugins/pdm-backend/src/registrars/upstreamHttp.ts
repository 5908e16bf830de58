import { RegistrarAdapterOptions, RegistrarError } from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 5;

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The one HTTP path every adapter uses, so the common rules live in one place: a timeout on every call,
 * transport failures and 5xx become `api-unavailable`, 429 honours Retry-After (one retry when it is short).
 * Nothing here ever puts a URL, header or upstream text into an error: URLs can carry credentials (Dynadot,
 * Namecheap), so failures are described by the registrar's display name only.
 */
export class UpstreamHttpClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterSeconds: number;

  constructor(
    private readonly displayName: string,
    options: RegistrarAdapterOptions,
  ) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetryAfterSeconds =
      options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  }

  /**
   * Sends a request. `build` is called per attempt so signed requests (OVH) get a fresh timestamp on retry.
   * Returns every response below 500 except 429; the caller classifies 4xx with the upstream's own codes.
   */
  async send(
    build: () => UpstreamRequest | Promise<UpstreamRequest>,
  ): Promise<UpstreamResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.sendOnce(await build());
      if (response.status !== 429) {
        if (response.status >= 500) {
          throw new RegistrarError(
            'api-unavailable',
            `${this.displayName} API is unavailable (HTTP ${response.status})`,
          );
        }
        return response;
      }
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      if (
        attempt === 0 &&
        retryAfter !== undefined &&
        retryAfter <= this.maxRetryAfterSeconds
      ) {
        await sleep(retryAfter * 1000);
        continue;
      }
      throw this.rateLimited(retryAfter ?? bodyRetryAfter(response.text));
    }
  }

  rateLimited(retryAfterSeconds?: number): RegistrarError {
    return new RegistrarError(
      'rate-limited',
      `${this.displayName} API rate limit reached${
        retryAfterSeconds !== undefined
          ? `; retry after ${retryAfterSeconds} s`
          : ''
      }`,
      retryAfterSeconds,
    );
  }

  private async sendOnce(request: UpstreamRequest): Promise<UpstreamResponse> {
    let response: Response;
    try {
      response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      return {
        status: response.status,
        headers: response.headers,
        text: await response.text(),
      };
    } catch (error) {
      // The cause is dropped on purpose: fetch errors can quote the URL, which may carry credentials.
      // DOMException may come from another realm (e.g. under Jest), so compare names rather than classes.
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new RegistrarError(
        'api-unavailable',
        timedOut
          ? `${this.displayName} API did not answer within ${
              this.timeoutMs / 1000
            } s`
          : `${this.displayName} API could not be reached`,
      );
    }
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** GoDaddy puts the wait in the body (`retryAfterSec`) as well as, or instead of, the header. */
function bodyRetryAfter(text: string): number | undefined {
  try {
    const body = JSON.parse(text);
    const value = body?.retryAfterSec;
    return typeof value === 'number' && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Parses a JSON reply; a reply that is not JSON means the upstream is not answering as its API should. */
export function parseJsonReply(displayName: string, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistrarError(
      'api-unavailable',
      `${displayName} API answered with a body that is not JSON`,
    );
  }
}
