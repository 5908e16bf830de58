import { z } from 'zod/v3';

/**
 * Phase 1 readiness of a Sovereign's platform (docs/phase1.md): one entry per Flux object (HelmRelease or
 * Kustomization) on the new cluster, kept by catalyst-backend's platform watcher and served with the Sovereign
 * record (`GET /v1/sovereigns/:name` → `readiness.components[]`).
 */

/** Where a component stands. `blocked` waits on another component (named in `blockedBy`). */
export const COMPONENT_STATES = [
  'ready',
  'progressing',
  'blocked',
  'failed',
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/**
 * Stable cause codes, so pages, alerts and runbooks can key on them. Anything Flux reports that none of these
 * describe keeps Flux's own reason in `reason` with the code `Unknown`.
 */
export const COMPONENT_CAUSES = [
  'SourceUnreachable',
  'CRDMissing',
  'DependencyNotReady',
  'InstallFailed',
  'UpgradeFailed',
  'TimedOut',
  'NotFound',
  'Unknown',
] as const;
export type ComponentCause = (typeof COMPONENT_CAUSES)[number];

const isoTime = z.string().datetime({ offset: true });

export const componentReadinessSchema = z
  .object({
    /** The Flux object's name, e.g. `bp-cert-manager` (HelmRelease) or `flux-system` (Kustomization). */
    name: z.string().min(1),
    kind: z.enum(['HelmRelease', 'Kustomization']),
    ready: z.boolean(),
    state: z.enum(COMPONENT_STATES),
    /** Stable cause code when not ready. */
    cause: z.enum(COMPONENT_CAUSES).optional(),
    /** Flux's condition reason (e.g. InstallFailed, DependencyNotReady, Progressing, InstallSucceeded). */
    reason: z.string().optional(),
    /** Flux's condition message, shortened. */
    message: z.string().max(1000).optional(),
    /** The component it waits on, when blocked. */
    blockedBy: z.string().optional(),
    dependsOn: z.array(z.string()),
    /** Since when the component is in its current state. */
    since: isoTime,
  })
  .strict();
export type ComponentReadiness = z.infer<typeof componentReadinessSchema>;

export const sovereignReadinessSchema = z
  .object({
    components: z.array(componentReadinessSchema),
    /**
     * The root cause: the first component (in dependency order) that is not ready and does not wait on another
     * one that is not ready. Everything blocked leads back to it.
     */
    firstBlocked: z.string().optional(),
    /** When the watcher last looked at the cluster. */
    observedAt: isoTime,
  })
  .strict();
export type SovereignReadiness = z.infer<typeof sovereignReadinessSchema>;
