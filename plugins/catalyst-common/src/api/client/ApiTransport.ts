import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * What the shared API clients need to reach a plugin, shaped like Backstage's own isomorphic clients
 * (`@backstage/catalog-client`): the frontend passes its `discoveryApi` and `fetchApi`; a backend passes the
 * discovery service and the fetch of `PluginApiClient` (`@catalyst/plugin-catalyst-node`), which adds service
 * credentials, a timeout and network retries. Nothing here is node-only or browser-only.
 */
export interface ApiClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/** Per call: a token to act with instead of the fetch's own (e.g. minted on behalf of a task's initiator). */
export interface ApiRequestOptions {
  token?: string;
  signal?: AbortSignal;
}

/** Turns a failed answer into an error; the default reads the Backstage error body. */
export type ErrorReader = (
  operation: string,
  response: Response,
) => Promise<Error>;

/** An error of the `@backstage/errors` type a status stands for, so callers can tell them apart by type. */
export function errorForStatus(status: number, message: string): Error {
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
      return status >= 500 || status === 429
        ? new ServiceUnavailableError(message)
        : new Error(message);
  }
}

/**
 * Reads a failed answer in the Backstage error shape (`{error: {name, message}, response: {statusCode}}`) with
 * `ResponseError.fromResponse` and names the operation, the status, the remote error's name and its message.
 * A body in another shape (a proxy's HTML page) is quoted briefly. The request body is never quoted: it may
 * carry a token or a voucher code.
 */
export async function readResponseError(
  operation: string,
  response: Response,
): Promise<Error> {
  return describeResponseError(
    operation,
    await ResponseError.fromResponse(response),
  );
}

/** What the callee answered, kept on the errors the shared clients throw (see {@link remoteErrorOf}). */
export interface RemoteError {
  /** The HTTP status of the answer. */
  status: number;
  /** The remote error's name (`ConflictError`, a PDM code, …), when the body named one. */
  name?: string;
  /** The callee's own sentence, without the operation that failed. */
  message: string;
}

/**
 * The answer behind an error a shared client threw: its status and the callee's own words, for a page that
 * shows them to a person instead of the full operation. Undefined for any other error.
 */
export function remoteErrorOf(error: unknown): RemoteError | undefined {
  const remote = (error as { remote?: RemoteError } | undefined)?.remote;
  return remote && typeof remote.status === 'number' ? remote : undefined;
}

/** An error of the status's type that names the operation and keeps the callee's answer as `remote`. */
export function remoteError(operation: string, remote: RemoteError): Error {
  const error = errorForStatus(
    remote.status,
    `${operation} answered ${remote.status}${
      remote.name ? ` ${remote.name}` : ''
    }${remote.message ? `: ${remote.message}` : ''}`,
  );
  return withRemote(error, remote);
}

/** Keeps the callee's answer on an error (not enumerable, so it is never serialized or logged twice). */
export function withRemote<E extends Error>(error: E, remote: RemoteError): E {
  Object.defineProperty(error, 'remote', { value: remote, enumerable: false });
  return error;
}

/** The error {@link readResponseError} makes of an already parsed `ResponseError`. */
export function describeResponseError(
  operation: string,
  error: ResponseError,
): Error {
  const { cause, statusCode } = error;
  // ResponseError describes a body that is not in the Backstage shape (a proxy's page) with this sentence and
  // the body's text; only the text is kept.
  const fallback = /^Request failed with status \d+[^,]*,? ?/;
  if (cause.name === 'Error' && fallback.test(cause.message)) {
    return remoteError(operation, {
      status: statusCode,
      message: cause.message.replace(fallback, '').slice(0, 256),
    });
  }
  return remoteError(operation, {
    status: statusCode,
    name: cause.name,
    message: cause.message,
  });
}

/**
 * The request side of every shared client: finds the plugin with discovery, sends JSON through the given fetch
 * and reads the answer. Statuses a call lists in `accept` are answers, not errors (e.g. 404 for an idempotent
 * delete).
 */
export class ApiTransport {
  private readonly fetchImpl: (
    input: string,
    init?: RequestInit,
  ) => Promise<Response>;

  constructor(
    private readonly options: ApiClientOptions & {
      pluginId: string;
      /** How error messages name the API, e.g. `PDM` or `Vouchers`. */
      serviceName: string;
      readError?: ErrorReader;
    },
  ) {
    const { fetchApi } = options;
    this.fetchImpl = fetchApi
      ? (input, init) => fetchApi.fetch(input, init)
      : (input, init) => fetch(input, init);
  }

  /** Sends a request and answers the raw response, whatever its status. */
  async send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: ApiRequestOptions & { body?: unknown } = {},
  ): Promise<Response> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      this.options.pluginId,
    );
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    return this.fetchImpl(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Sends a request and answers its status and JSON body; a status that is not ok and not accepted throws. */
  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: ApiRequestOptions & { body?: unknown; accept?: number[] } = {},
  ): Promise<{ status: number; body: T }> {
    const response = await this.send(method, path, options);
    if (!response.ok && !options.accept?.includes(response.status)) {
      throw await this.error(method, path, response);
    }
    return { status: response.status, body: await readJsonBody(response) };
  }

  /** The error a failed answer stands for, read by the API's own reader. */
  error(method: string, path: string, response: Response): Promise<Error> {
    return (this.options.readError ?? readResponseError)(
      `${this.options.serviceName} ${method} ${path}`,
      response,
    );
  }
}

/** A JSON body, or undefined for an empty one; text that is not JSON is kept as `{detail}`. */
export async function readJsonBody(response: Response): Promise<any> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 256) };
  }
}
