import {
  checkDomainName,
  checkSubdomainLabel,
  isReservedSubdomain,
} from '../domain';
import {
  type DomainMode,
  type Registrar,
  REGISTRARS,
} from './requestVocabulary';
import type { IssueSink } from './requestZod';

/** The domain part of a request: where the Sovereign's FQDN comes from. */
export interface DomainParameters {
  mode: DomainMode;
  poolDomain?: string;
  subdomain?: string;
  byoDomain?: string;
  registrar?: Registrar;
}

/** Normalises a pool subdomain as the wizard does: lower-cased, every whitespace character removed. */
export function normalizeSubdomain(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase();
}

/** The Sovereign's FQDN: `<subdomain>.<pool>` or the BYO domain; undefined while incomplete. */
export function resolveFqdn(domain: DomainParameters): string | undefined {
  if (domain.mode === 'pool') {
    const sub = normalizeSubdomain(domain.subdomain ?? '');
    const pool = (domain.poolDomain ?? '').trim().toLowerCase();
    return sub && pool ? `${sub}.${pool}` : undefined;
  }
  const byo = (domain.byoDomain ?? '').trim().toLowerCase();
  return byo || undefined;
}

/** The domain rules of each mode: a valid pool + free label, or a valid own domain (+ registrar for byo-api). */
export function checkDomain(domain: DomainParameters, issue: IssueSink): void {
  if (domain.mode === 'pool') {
    const pool = domain.poolDomain ?? '';
    if (!pool) {
      issue(['poolDomain'], 'is required: choose a pool domain');
    } else {
      const problem = checkDomainName(pool);
      if (problem) issue(['poolDomain'], problem);
    }
    const sub = domain.subdomain ?? '';
    const label = checkSubdomainLabel(sub);
    if (label) issue(['subdomain'], label.message);
    else if (isReservedSubdomain(sub)) {
      issue(['subdomain'], `"${sub}" is reserved; choose another name`);
    }
    if (!label && pool) {
      const fqdn = `${sub}.${pool}`;
      if (fqdn.length > 253) {
        issue(['subdomain'], `${fqdn} is longer than 253 characters`);
      }
    }
    return;
  }
  const byo = domain.byoDomain ?? '';
  if (!byo) issue(['byoDomain'], 'is required: enter your domain');
  else {
    const problem = checkDomainName(byo);
    if (problem) issue(['byoDomain'], problem);
  }
  if (domain.mode === 'byo-api' && !domain.registrar) {
    issue(['registrar'], `is required: one of ${REGISTRARS.join(', ')}`);
  }
}
