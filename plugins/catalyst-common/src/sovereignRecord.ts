import { z } from 'zod/v3';
import { SOVEREIGN_PHASES, SovereignPhase } from './entities/sovereignEntity';
import { VOUCHER_ENTITY_STATES } from './entities/voucherEntity';
import { checkSshPublicKey } from './wizard/sshPublicKey';
import { DOMAIN_MODES } from './wizard/requestVocabulary';
import { sovereignReadinessSchema } from './platformReadiness';

/**
 * The Sovereign registry record kept by catalyst-backend (docs/provisioning.md §7, §8) and the Voucher record shape
 * the voucher store exposes to the catalog (docs/vouchers.md).
 *
 * The registry must never hold a secret: every object schema is strict, so a caller that sends a token-like
 * field (hcloudToken, registrarToken, kubeconfig, …) is refused instead of silently stored.
 */

/** The registry uses the catalog's Sovereign phases, so a record always maps onto a valid entity. */
export const SOVEREIGN_RECORD_PHASES = SOVEREIGN_PHASES;
export type SovereignRecordPhase = SovereignPhase;

/**
 * Phases in which a registry record no longer holds its FQDN: a new provisioning run may take the FQDN, and the
 * record then belongs to the new initiator's group. In every other phase the FQDN is held by its Sovereign.
 */
export const SOVEREIGN_RECLAIMABLE_PHASES: readonly SovereignRecordPhase[] =
  Object.freeze(['failed', 'decommissioned'] as const);

export function isSovereignReclaimable(phase: string): boolean {
  return (SOVEREIGN_RECLAIMABLE_PHASES as readonly string[]).includes(phase);
}

export const SOVEREIGN_EVENT_LEVELS = ['info', 'warn', 'error'] as const;
export type SovereignEventLevel = (typeof SOVEREIGN_EVENT_LEVELS)[number];

/** The domain modes a record may carry: the wizard's own list. */
export const SOVEREIGN_DOMAIN_MODES = DOMAIN_MODES;

const fqdnPattern =
  /^[a-z]([a-z0-9-]*[a-z0-9])?(\.[a-z]([a-z0-9-]*[a-z0-9])?)+$/;
const entityNamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const isoTime = z.string().datetime({ offset: true });

export const sovereignPhaseSchema = z.enum(SOVEREIGN_PHASES);
export const sovereignEventLevelSchema = z.enum(SOVEREIGN_EVENT_LEVELS);

export const sovereignRegionRecordSchema = z
  .object({
    provider: z.enum(['hetzner', 'huawei', 'oci', 'aws', 'azure']),
    cloudRegion: z.string().min(1),
    controlPlaneSize: z.string().min(1),
    workerSize: z.string(),
    workerCount: z.number().int().min(0).max(50),
    airgap: z.boolean().optional(),
  })
  .strict();

export const sovereignTopologyRecordSchema = z
  .object({
    template: z.string().min(1),
    airgap: z.boolean(),
    haEnabled: z.boolean(),
    regions: z.array(sovereignRegionRecordSchema).min(1),
  })
  .strict();

export const sovereignDomainRecordSchema = z
  .object({
    mode: z.enum(SOVEREIGN_DOMAIN_MODES),
    poolDomain: z.string().min(1).optional(),
    subdomain: z.string().min(1).optional(),
    byoDomain: z.string().min(1).optional(),
    registrar: z.string().min(1).optional(),
  })
  .strict();

export const sovereignGitopsRecordSchema = z
  .object({
    repoUrl: z.string().min(1),
    branch: z.string().min(1),
    path: z.string().min(1),
    commitSha: z.string().min(1).optional(),
  })
  .strict();

/** Outputs of the OpenTofu run that Catalyst keeps (addresses only, never state or credentials). */
export const sovereignTofuOutputsSchema = z
  .object({
    loadBalancerIp: z.string().ip().optional(),
    controlPlaneIp: z.string().ip().optional(),
  })
  .strict();

export const sovereignDnsRecordSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().min(1),
    content: z.string().min(1),
    ttl: z.number().int().positive().optional(),
  })
  .strict();

/**
 * How the Sovereign gets its certificates (docs/tls.md): the cert-manager ClusterIssuer its wildcard certificate
 * uses, and the DNS-01 setup its solver sends RFC 2136 updates with. Public facts only; strict, so a key's secret
 * can never be recorded.
 */
export const sovereignTlsRecordSchema = z
  .object({
    issuer: z.string().min(1).max(63),
    acmeServer: z.string().url(),
    dnsNames: z.array(z.string().min(1)).min(1),
    certificateSecret: z.string().min(1).max(253),
    dns01: z
      .object({
        zone: z.string().regex(fqdnPattern, 'must be a lower-case FQDN'),
        nameserver: z.string().min(1).max(260),
        keyName: z.string().min(1).max(255),
        algorithm: z.string().min(1).max(32),
      })
      .strict(),
  })
  .strict();
export type SovereignTlsRecord = z.infer<typeof sovereignTlsRecordSchema>;

/**
 * The normalised SovereignRequest (docs/wizard.md §8) as the registry keeps it, so that later templates (decommission)
 * can run OpenTofu without the original task. It holds no secret by construction: the SSH key is public, the
 * Hetzner project id is an identifier, and every level is strict so a token-like key is refused.
 */
export const sovereignRequestRecordSchema = z
  .object({
    org: z
      .object({
        name: z.string().min(1),
        email: z.string().email(),
        industry: z.string().min(1),
        size: z.string().min(1),
        headquarters: z.string(),
        compliance: z.array(z.string().min(1)),
      })
      .strict(),
    topology: z
      .object({
        template: z.string().min(1),
        airgap: z.boolean(),
        haEnabled: z.boolean(),
      })
      .strict(),
    regions: z
      .array(
        z
          .object({
            provider: sovereignRegionRecordSchema.shape.provider,
            cloudRegion: z.string().min(1),
            controlPlaneSize: z.string().min(1),
            workerSize: z.string(),
            workerCount: z.number().int().min(0).max(50),
            airgap: z.boolean(),
          })
          .strict(),
      )
      .min(1),
    components: z.array(z.string().min(1)),
    domain: sovereignDomainRecordSchema,
    fqdn: z.string().regex(fqdnPattern, 'must be a lower-case FQDN'),
    sshPublicKey: z.string().superRefine((line, ctx) => {
      // The wizard's own rule; it also refuses a pasted private key, so one can never be stored here.
      const check = checkSshPublicKey(line);
      if (!check.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: check.message });
      }
    }),
    hetznerProjectId: z.string().min(1).max(128),
  })
  .strict();
export type SovereignRequestRecord = z.infer<
  typeof sovereignRequestRecordSchema
>;

/** One entry of a Sovereign's event history (same shape as the reference's provisioning events). */
export const sovereignEventSchema = z
  .object({
    time: isoTime,
    phase: z.string().min(1),
    level: sovereignEventLevelSchema,
    message: z.string().min(1).max(4000),
  })
  .strict();
export type SovereignEvent = z.infer<typeof sovereignEventSchema>;

const sovereignRecordFields = {
  fqdn: z.string().regex(fqdnPattern, 'must be a lower-case FQDN'),
  organization: z.string().min(1),
  owner: z.string().min(1),
  adminEmail: z.string().email(),
  topology: sovereignTopologyRecordSchema,
  domain: sovereignDomainRecordSchema,
  components: z.array(z.string().min(1)),
  blueprints: z.array(z.string().min(1)),
  notInstallable: z.array(z.string().min(1)),
  gitops: sovereignGitopsRecordSchema.optional(),
  outputs: sovereignTofuOutputsSchema.optional(),
  dnsRecords: z.array(sovereignDnsRecordSchema),
  tls: sovereignTlsRecordSchema.optional(),
  phase: sovereignPhaseSchema,
  phaseReason: z.string().min(1).optional(),
  taskId: z.string().min(1).optional(),
  /** Written by the register step of the provisioning template; what catalyst:tofu:destroy runs from. */
  request: sovereignRequestRecordSchema.optional(),
};

/**
 * Body of `PUT /v1/sovereigns/:name`. The name comes from the path and must equal `sovereignEntityName(fqdn)`.
 * Strict at every level: unknown keys (a token, a kubeconfig) are rejected.
 */
export const sovereignRecordUpsertSchema = z
  .object({
    ...sovereignRecordFields,
    components: sovereignRecordFields.components.default([]),
    blueprints: sovereignRecordFields.blueprints.default([]),
    notInstallable: sovereignRecordFields.notInstallable.default([]),
    dnsRecords: sovereignRecordFields.dnsRecords.default([]),
    phase: sovereignRecordFields.phase.optional(),
  })
  .strict();
export type SovereignRecordUpsert = z.input<typeof sovereignRecordUpsertSchema>;

/** A Sovereign as the registry stores and serves it. */
export const sovereignRecordSchema = z
  .object({
    name: z.string().regex(entityNamePattern).max(63),
    ...sovereignRecordFields,
    createdAt: isoTime,
    updatedAt: isoTime,
    /** When the Sovereign entered its current phase (re-recording the same phase keeps it). */
    phaseChangedAt: isoTime.optional(),
    /** Phase 1: the platform's per-component readiness, once the watcher has seen the cluster. */
    readiness: sovereignReadinessSchema.optional(),
    /** Whether the cluster has handed its kubeconfig back (the kubeconfig itself is never part of the record). */
    kubeconfigReceivedAt: isoTime.optional(),
  })
  .strict();
export type SovereignRecord = z.infer<typeof sovereignRecordSchema>;

/** Body of `POST /v1/sovereigns/:name/phase`. */
export const sovereignPhaseChangeSchema = z
  .object({
    phase: sovereignPhaseSchema,
    reason: z.string().min(1).optional(),
    message: z.string().min(1).max(4000),
  })
  .strict();

/** Body of `POST /v1/sovereigns/:name/events`. */
export const sovereignEventInputSchema = z
  .object({
    level: sovereignEventLevelSchema,
    message: z.string().min(1).max(4000),
    phase: z.string().min(1).optional(),
  })
  .strict();

/** Topic on the Backstage events service for registry changes (`eventPayload: SovereignRecordChange`). */
export const CATALYST_SOVEREIGN_TOPIC = 'catalyst.sovereign';
/** Topic on the Backstage events service for voucher changes (`eventPayload: VoucherRecordChange`). */
export const CATALYST_VOUCHER_TOPIC = 'catalyst.voucher';

export type SovereignRecordChange =
  | { action: 'upsert'; record: SovereignRecord }
  | { action: 'delete'; record: SovereignRecord };

export type VoucherState = (typeof VOUCHER_ENTITY_STATES)[number];

/**
 * A voucher as the voucher store hands it to the catalog. The code itself is never part of it, only a masked
 * form (e.g. `••••-100`), because codes are stored hashed (docs/vouchers.md).
 */
export const voucherRecordSchema = z
  .object({
    id: z.string().regex(entityNamePattern).max(63),
    sovereign: z.string().min(1),
    codeMasked: z.string().min(1),
    credit: z
      .object({
        amount: z.number().positive(),
        currency: z.string().regex(/^[A-Z]{3}$/),
      })
      .strict(),
    description: z.string(),
    state: z.enum(VOUCHER_ENTITY_STATES),
    maxRedemptions: z.number().int().min(0),
    timesRedeemed: z.number().int().min(0),
    expiresAt: isoTime.nullable(),
    issuedBy: z.string().min(1),
    createdAt: isoTime,
  })
  .strict();
export type VoucherRecord = z.infer<typeof voucherRecordSchema>;

export type VoucherRecordChange =
  | { action: 'upsert'; record: VoucherRecord }
  | { action: 'delete'; record: VoucherRecord };
