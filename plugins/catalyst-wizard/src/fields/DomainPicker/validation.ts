import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  checkDomainName,
  checkSubdomainLabel,
  DOMAIN_MODES,
  isReservedSubdomain,
  normalizeDomainInput,
  normalizeSubdomain,
  REGISTRAR_TOKEN_FORMATS,
  resolveFqdn,
  type DomainParameters,
} from '@catalyst/plugin-catalyst-common';
import { catalystApiRef, type SubdomainAvailability } from '../../api';
import type { DomainValue } from '../wizardForm';
import { wizardSchemaErrors } from '../wizardRules';

/** The domain modes and the registrar token texts come from the shared request model. */
export { DOMAIN_MODES };
export const REGISTRAR_TOKEN_HINTS: Readonly<
  Record<string, { label: string; hint: string }>
> = REGISTRAR_TOKEN_FORMATS;

export { normalizeSubdomain };

/** The Sovereign's FQDN for the chosen mode (the shared rule); '' while incomplete. */
export function domainFqdn(domain: Partial<DomainValue> | undefined): string {
  if (!domain?.mode) return '';
  return resolveFqdn(domain as DomainParameters) ?? '';
}

/** Format problems only (no network): what the field shows while the user types. */
export function subdomainFormatError(subdomain: string): string | undefined {
  if (!subdomain) return 'Enter a subdomain';
  const problem = checkSubdomainLabel(subdomain);
  if (problem) return `The subdomain ${problem.message}`;
  if (isReservedSubdomain(subdomain)) {
    return `“${subdomain}” is reserved by the platform; choose another name`;
  }
  return undefined;
}

const UNAVAILABLE_TEXT: Record<string, string> = {
  'invalid-format': 'is not a valid subdomain',
  'unsupported-pool': 'is not under a pool domain PDM manages',
  reserved: 'is reserved by the platform',
  'reserved-state': 'is being reserved by another provisioning run right now',
  'active-state': 'is already taken by an existing Sovereign',
  'unknown-state': 'is in an unknown state in PDM',
  'pdm-unavailable': 'could not be checked: PDM is unavailable',
};

export function availabilityMessage(
  fqdn: string,
  result: SubdomainAvailability,
): string | undefined {
  if (result.available) return undefined;
  const known = UNAVAILABLE_TEXT[result.reason ?? ''];
  // PDM's detail repeats the name and the reason ("x is in use"); it adds something only for a reason we do not know.
  if (known) return `${fqdn} ${known}`;
  const why = `is not available (${result.reason ?? 'unknown reason'})`;
  return `${fqdn} ${why}${result.detail ? `: ${result.detail}` : ''}`;
}

/** Problems of the domain value that need no network; empty when only the remote checks remain. */
export function domainErrors(
  domain: Partial<DomainValue> | undefined,
): string[] {
  if (!domain?.mode || !DOMAIN_MODES.includes(domain.mode))
    return ['Choose how the domain is set up'];
  if (domain.mode === 'pool') {
    if (!domain.poolDomain) return ['Choose a pool domain'];
    const e = subdomainFormatError(domain.subdomain ?? '');
    return e ? [e] : [];
  }
  const e = checkDomainName(normalizeDomainInput(domain.byoDomain ?? ''));
  if (e) return [`The domain ${e}`];
  if (domain.mode === 'byo-api' && !domain.registrar)
    return ['Choose the registrar'];
  return [];
}

/**
 * Registrar tokens are checked in the browser memory only (never in the form or drafts); the server validates the
 * token again at launch. Keyed by registrar and domain, and forgotten whenever the token is edited.
 */
const validatedRegistrarTokens = new Set<string>();
const registrarKey = (registrar: string, domain: string) =>
  `${registrar}|${normalizeDomainInput(domain)}`;

export function setRegistrarTokenValidated(
  registrar: string,
  domain: string,
  validated: boolean,
): void {
  const key = registrarKey(registrar, domain);
  if (validated) validatedRegistrarTokens.add(key);
  else validatedRegistrarTokens.delete(key);
}

export function isRegistrarTokenValidated(
  registrar: string,
  domain: string,
): boolean {
  return validatedRegistrarTokens.has(registrarKey(registrar, domain));
}

export function forgetRegistrarTokens(): void {
  validatedRegistrarTokens.clear();
}

export const domainPickerValidation: CustomFieldValidator<DomainValue> = async (
  value,
  validation,
  { apiHolder },
) => {
  const errors = domainErrors(value);
  const api = apiHolder.get(catalystApiRef);
  if (!errors.length && api) {
    const data = await api.getCatalogData();
    errors.push(
      ...wizardSchemaErrors(data, 'domain', 'domain', value, 'Domain'),
    );
  }
  if (errors.length) {
    for (const e of errors) validation.addError(e);
    return;
  }
  if (value.mode === 'pool') {
    if (!api) return;
    const result = await api.checkSubdomain(value.poolDomain, value.subdomain);
    const message = availabilityMessage(domainFqdn(value), result);
    if (message) validation.addError(message);
  }
  if (
    value.mode === 'byo-api' &&
    !isRegistrarTokenValidated(value.registrar, value.byoDomain)
  ) {
    validation.addError('Validate the registrar token');
  }
};
