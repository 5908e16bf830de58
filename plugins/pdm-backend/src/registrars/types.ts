/**
 * The one small interface every registrar adapter implements (docs/pdm.md §6).
 * The token is a per-call argument: adapters never store it, log it, or put it in an error message.
 */
export interface RegistrarAdapter {
  /** Stable lowercase id, equal to the `{registrar}` path parameter. */
  readonly name: string;
  /** Human hint on how long an NS change takes to propagate. */
  readonly propagation: string;
  /** What this upstream can do, so callers adapt instead of guessing. */
  readonly capabilities: RegistrarCapabilities;
  /** Proves the credential works and can see the domain. */
  validateToken(token: string, domain: string): Promise<void>;
  /** Replaces the domain's nameserver list; idempotent. */
  setNameservers(
    token: string,
    domain: string,
    nameservers: string[],
  ): Promise<void>;
  /** Reads the domain's current nameserver list back. */
  getNameservers(token: string, domain: string): Promise<string[]>;
}

export interface RegistrarCapabilities {
  /**
   * `queued`: the upstream accepts an NS change as an asynchronous task, so an immediate read-back may still
   * show the previous list; `immediate`: the read-back reflects the change at once.
   */
  readonly nameserverUpdate: 'immediate' | 'queued';
  /** Most nameservers one update can carry. */
  readonly maxNameservers: number;
  /** Whether DS records can be submitted through this adapter (none can yet: the DS is shown to the user, §7). */
  readonly dsSubmission: boolean;
}

export type RegistrarErrorKind =
  | 'invalid-token'
  | 'domain-not-in-account'
  | 'rate-limited'
  | 'api-unavailable'
  | 'registrar-error';

/**
 * A classified upstream failure. `message` is ours and generic: it never carries the upstream's raw text,
 * a URL, or a credential.
 */
export class RegistrarError extends Error {
  constructor(
    readonly kind: RegistrarErrorKind,
    message: string,
    /** Seconds the upstream asked us to wait (Retry-After), for `rate-limited`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RegistrarError';
  }
}

export interface RegistrarAdapterOptions {
  /** Upstream API base URL; configurable so tests and sandboxes can point elsewhere. */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /**
   * A 429 whose Retry-After is at most this many seconds is retried once after that wait; a longer one (or a
   * second 429) surfaces as `rate-limited` with `retryAfterSeconds`. 0 disables the retry. Default 5.
   */
  maxRetryAfterSeconds?: number;
}
