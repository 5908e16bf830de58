import { z } from 'zod/v3';

/**
 * Organizations (tenants) of a Sovereign, created when a voucher is redeemed (docs/vouchers.md) and shown in the
 * catalog as Group entities.
 */

/**
 * The glossary's slug rule (3-32 characters), which is also a valid catalog entity name and DNS label: no
 * trailing or doubled hyphen.
 */
export const ORGANIZATION_SLUG_PATTERN =
  /^[a-z](?!.*--)[a-z0-9-]{1,30}[a-z0-9]$/;
/** Names taken by the platform's own namespaces in every Sovereign. */
export const RESERVED_ORGANIZATION_SLUGS = [
  'system',
  'flux',
  'crossplane',
  'catalyst',
  'gitea',
];
export const RESERVED_ORGANIZATION_SLUG_PREFIXES = ['kube-'];

/**
 * Every Organization's Kubernetes namespace carries this prefix, and no platform namespace does (a test walks every
 * Blueprint's namespace), so a tenant can never be given, or prune, a namespace of the platform.
 */
export const TENANT_NAMESPACE_PREFIX = 'tenant-';

/** The Kubernetes namespace of an Organization: `tenant-<slug>` (at most 39 characters). */
export function tenantNamespace(slug: string): string {
  return `${TENANT_NAMESPACE_PREFIX}${slug}`;
}

/** Why a slug cannot name an Organization, or undefined when it can. */
export function organizationSlugProblem(slug: string): string | undefined {
  if (!ORGANIZATION_SLUG_PATTERN.test(slug)) {
    return 'must be 3-32 lower-case letters, digits or single hyphens, start with a letter and end with a letter or digit';
  }
  if (
    RESERVED_ORGANIZATION_SLUGS.includes(slug) ||
    RESERVED_ORGANIZATION_SLUG_PREFIXES.some(prefix => slug.startsWith(prefix))
  ) {
    return `'${slug}' is reserved for the platform`;
  }
  return undefined;
}

export const organizationRecordSchema = z
  .object({
    /** Entity ref of the Sovereign the Organization lives in. */
    sovereign: z.string().min(1),
    slug: z.string().refine(s => !organizationSlugProblem(s), {
      message: 'must be a valid, unreserved Organization slug',
    }),
    name: z.string().min(1).max(128),
    /** User entity ref of the tenant who created it. */
    owner: z.string().min(1),
    createdAt: z.string().datetime({ offset: true }),
    /** The Blueprint (`bp-<name>`) installed as its first App at redemption, when one was chosen. */
    firstApp: z
      .string()
      .regex(/^bp-[a-z][a-z0-9-]*$/)
      .optional(),
    /** Its credit: the sum of its credit ledger, one entry per currency (major units). */
    credit: z
      .array(z.object({ amount: z.number(), currency: z.string().length(3) }))
      .optional(),
  })
  .strict();
export type OrganizationRecord = z.infer<typeof organizationRecordSchema>;

/** Topic on the Backstage events service for Organization changes (`eventPayload: OrganizationRecordChange`). */
export const CATALYST_ORGANIZATION_TOPIC = 'catalyst.organization';

export type OrganizationRecordChange = {
  action: 'upsert' | 'delete';
  record: OrganizationRecord;
};
