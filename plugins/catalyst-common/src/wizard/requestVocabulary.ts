import type { CloudProvider } from '../data/nodeSizes';

/**
 * The vocabulary of a Sovereign request: the organisation enums, the domain modes, the registrars and their
 * token formats, the providers that can be provisioned. Shared by the wizard, the request check and the
 * API contracts (docs/api-contracts.md).
 */

/** docs/wizard.md §1 enums, exactly as the reference spells them (en dashes in the sizes). */
export const ORG_INDUSTRIES = [
  'Financial Services',
  'Banking',
  'Insurance',
  'Healthcare',
  'Telecommunications',
  'Energy & Utilities',
  'Retail',
  'Manufacturing',
  'Government',
  'Technology',
  'Other',
] as const;
export type OrgIndustry = (typeof ORG_INDUSTRIES)[number];

export const ORG_SIZES = [
  'Under 100',
  '100–500',
  '500–2,000',
  '2,000–10,000',
  '10,000+',
] as const;
export type OrgSize = (typeof ORG_SIZES)[number];

export const COMPLIANCE_FRAMEWORKS = [
  'PCI DSS',
  'ISO 27001',
  'SOC 2',
  'GDPR',
  'HIPAA',
  'DORA',
  'NIS2',
  'FedRAMP',
] as const;
export type ComplianceFramework = (typeof COMPLIANCE_FRAMEWORKS)[number];

export const ORG_DEFAULTS = Object.freeze({
  orgHeadquarters: 'Frankfurt, Germany',
  orgIndustry: 'Financial Services' as OrgIndustry,
  orgSize: '2,000–10,000' as OrgSize,
});

export const DOMAIN_MODES = ['pool', 'byo-manual', 'byo-api'] as const;
export type DomainMode = (typeof DOMAIN_MODES)[number];

export const REGISTRARS = [
  'cloudflare',
  'namecheap',
  'godaddy',
  'ovh',
  'dynadot',
] as const;
export type Registrar = (typeof REGISTRARS)[number];

/**
 * How each registrar's token is written (docs/api-contracts.md): the wizard shows `label` and `hint`, the request
 * check counts the parts. The one list of registrar token texts.
 */
export const REGISTRAR_TOKEN_FORMATS: Readonly<
  Record<Registrar, { label: string; hint: string; parts: readonly number[] }>
> = Object.freeze({
  cloudflare: {
    label: 'Cloudflare',
    hint: 'API token with Zone:Edit + DNS:Edit on the domain',
    parts: [1],
  },
  namecheap: {
    label: 'Namecheap',
    hint: 'apiUser:apiKey:userName:clientIp or apiUser:apiKey:clientIp (the calling IP must be allow-listed)',
    parts: [3, 4],
  },
  godaddy: {
    label: 'GoDaddy',
    hint: 'key:secret (production key)',
    parts: [2],
  },
  ovh: {
    label: 'OVH',
    hint: 'appKey:appSecret:consumerKey',
    parts: [3],
  },
  dynadot: {
    label: 'Dynadot',
    hint: 'key:secret from the Dynadot account API page',
    parts: [2],
  },
});

/** Prefix of the reference's demo-mode tokens; such a token must never reach provisioning. */
export const DEMO_TOKEN_PREFIX = 'demo-mode-';
/** Only Hetzner tokens have a known minimum length. */
export const HETZNER_TOKEN_MIN_LENGTH = 64;
/** Providers with a working OpenTofu module today (docs/provisioning.md §2). */
export const PROVISIONABLE_PROVIDERS: readonly CloudProvider[] = Object.freeze([
  'hetzner',
]);

/** Name of the secret that carries a provider's token: `hetznerToken`, `awsToken`, … */
export function providerTokenSecretName(provider: CloudProvider): string {
  return `${provider}Token`;
}

/** Legacy drafts: `byo` → `byo-manual`; anything unknown → `pool` (docs/wizard.md). */
export function normalizeDomainMode(value: unknown): DomainMode {
  if (value === 'byo') return 'byo-manual';
  return (DOMAIN_MODES as readonly unknown[]).includes(value)
    ? (value as DomainMode)
    : 'pool';
}
