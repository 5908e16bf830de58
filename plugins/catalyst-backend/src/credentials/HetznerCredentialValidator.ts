import { Config } from '@backstage/config';
import { CredentialCheck, CredentialValidator } from './types';

export const HETZNER_DEFAULT_API_BASE_URL = 'https://api.hetzner.cloud/v1';
/** Hetzner Cloud API tokens are 64 characters; anything shorter cannot be one. */
export const HETZNER_TOKEN_MIN_LENGTH = 64;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Checks a Hetzner Cloud token with `GET /servers` (the reference's check). This proves the token is accepted
 * for reading; Hetzner offers no dry-run that proves write access, so the tofu plan is the final word.
 */
export class HetznerCredentialValidator implements CredentialValidator {
  readonly provider = 'hetzner';

  static fromConfig(config: Config): HetznerCredentialValidator {
    const hetzner = config.getOptionalConfig('catalyst.providers.hetzner');
    return new HetznerCredentialValidator({
      apiBaseUrl:
        hetzner?.getOptionalString('apiBaseUrl') ??
        HETZNER_DEFAULT_API_BASE_URL,
      timeoutMs:
        hetzner?.getOptionalNumber('credentialCheckTimeoutMs') ??
        DEFAULT_TIMEOUT_MS,
    });
  }

  private readonly apiBaseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: { apiBaseUrl: string; timeoutMs?: number }) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async validate(token: string): Promise<CredentialCheck> {
    if (token.length < HETZNER_TOKEN_MIN_LENGTH) {
      return {
        valid: false,
        reason: 'too-short',
        detail: `A Hetzner API token has ${HETZNER_TOKEN_MIN_LENGTH} characters; this one has ${token.length}`,
      };
    }
    let response: Response;
    try {
      response = await fetch(`${this.apiBaseUrl}/servers?per_page=1`, {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      return {
        valid: false,
        reason: 'unreachable',
        detail: timedOut
          ? `The Hetzner API did not answer within ${this.timeoutMs / 1000} s`
          : 'The Hetzner API could not be reached',
      };
    }
    const detail = redact(await hetznerErrorMessage(response), token);
    if (response.ok) {
      return { valid: true };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        valid: false,
        reason: 'rejected',
        detail: detail ?? `Hetzner answered ${response.status}`,
      };
    }
    return {
      valid: false,
      reason: 'unreachable',
      detail: `Hetzner answered ${response.status}${
        detail ? `: ${detail}` : ''
      }`,
    };
  }
}

/** Hetzner errors look like `{"error": {"code": "unauthorized", "message": "unable to authenticate"}}`. */
async function hetznerErrorMessage(
  response: Response,
): Promise<string | undefined> {
  if (response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown };
    };
    const code = typeof body.error?.code === 'string' ? body.error.code : '';
    const message =
      typeof body.error?.message === 'string' ? body.error.message : '';
    if (code || message) {
      return [code, message].filter(Boolean).join(': ').slice(0, 300);
    }
  } catch {
    // not JSON: the status alone must do
  }
  return undefined;
}

function redact(text: string | undefined, token: string) {
  return text?.split(token).join('[redacted]');
}
