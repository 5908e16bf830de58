/** Outcome of checking a cloud provider token against the provider's API. */
export type CredentialCheck =
  | { valid: true }
  | { valid: false; reason: 'rejected'; detail: string }
  | { valid: false; reason: 'unreachable'; detail: string }
  | { valid: false; reason: 'too-short'; detail: string }
  | { valid: false; reason: 'unsupported-provider'; detail: string };

/** One cloud provider's token check; one implementation per provider module. */
export interface CredentialValidator {
  readonly provider: string;
  validate(token: string): Promise<CredentialCheck>;
}
