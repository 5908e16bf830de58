/**
 * Domain naming rules shared by the wizard, the scaffolder actions and PDM (docs/pdm.md §3, docs/wizard.md §6).
 * One rule set, so a name the form accepts is a name PDM accepts.
 */

/** Names PDM owns in every pool (21). Compared lower-cased and trimmed. */
export const RESERVED_SUBDOMAINS: readonly string[] = Object.freeze([
  'admin',
  'api',
  'app',
  'catalyst',
  'console',
  'docs',
  'flux',
  'gitea',
  'harbor',
  'imap',
  'k8s',
  'keycloak',
  'mail',
  'openbao',
  'openova',
  'smtp',
  'status',
  'system',
  'vault',
  'vpn',
  'www',
]);

const LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** Lower-cases and strips surrounding whitespace, as every label and domain is normalised (docs/pdm.md §3). */
export function normalizeDomainInput(value: string): string {
  return value.trim().toLowerCase();
}

export type LabelProblem =
  | 'empty'
  | 'too-long'
  | 'leading-digit'
  | 'leading-hyphen'
  | 'trailing-hyphen'
  | 'contains-dot'
  | 'invalid-character';

const LABEL_MESSAGES: Record<LabelProblem, string> = {
  empty: 'must not be empty',
  'too-long': 'must be at most 63 characters',
  'leading-digit': 'must start with a letter, not a digit',
  'leading-hyphen': 'must start with a letter, not a hyphen',
  'trailing-hyphen': 'must not end with a hyphen',
  'contains-dot': 'must be a single label without dots',
  'invalid-character':
    'may only contain lowercase letters a-z, digits and hyphens',
};

/** Checks one DNS label after normalisation; undefined when it is valid. */
export function checkSubdomainLabel(
  label: string,
): { problem: LabelProblem; message: string } | undefined {
  let problem: LabelProblem | undefined;
  if (label.length === 0) problem = 'empty';
  else if (label.length > 63) problem = 'too-long';
  else if (label.includes('.')) problem = 'contains-dot';
  else if (/^[0-9]/.test(label)) problem = 'leading-digit';
  else if (label.startsWith('-')) problem = 'leading-hyphen';
  else if (label.endsWith('-')) problem = 'trailing-hyphen';
  else if (!LABEL.test(label)) problem = 'invalid-character';
  return problem ? { problem, message: LABEL_MESSAGES[problem] } : undefined;
}

export function isReservedSubdomain(label: string): boolean {
  return RESERVED_SUBDOMAINS.includes(normalizeDomainInput(label));
}

/** Checks a bring-your-own domain (≤ 253 characters, ≥ 2 labels, every label valid); undefined when valid. */
export function checkDomainName(domain: string): string | undefined {
  if (domain.length === 0) return 'must not be empty';
  if (domain.length > 253) return 'must be at most 253 characters';
  if (domain.endsWith('.')) return 'must not end with a dot';
  const labels = domain.split('.');
  if (labels.length < 2)
    return 'must have at least two labels, e.g. example.com';
  for (const label of labels) {
    if (label.length === 0) return 'must not contain empty labels (..)';
    const problem = checkSubdomainLabel(label);
    if (problem) return `label "${label}" ${problem.message}`;
  }
  return undefined;
}

/** The wizard's admin e-mail rule (docs/wizard.md §6). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The six names of the canonical record set (docs/pdm.md §5.3), relative to the Sovereign's zone. */
export const CANONICAL_RECORD_NAMES: readonly string[] = Object.freeze([
  '@',
  '*',
  'console',
  'api',
  'gitea',
  'harbor',
]);
