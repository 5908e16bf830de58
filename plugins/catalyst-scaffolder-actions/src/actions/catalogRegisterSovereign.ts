import {
  sovereignTlsSetupSchema,
  dnsRecordSchema,
} from '@catalyst/plugin-catalyst-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  isSovereignReclaimable,
  SOVEREIGN_RECORD_PHASES,
  SovereignRecordUpsert,
  SovereignRequest,
  SovereignRequestRecord,
  sovereignEntityName,
} from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import type { ProvisioningDomain } from '../provisioning/ProvisioningCompensation';
import type { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { examples } from './catalogRegisterSovereign.examples';

/**
 * catalyst:catalog:register-sovereign — creates or updates the Sovereign in the registry (the catalyst-sovereigns
 * entity provider turns it into the `Sovereign` entity) and records the phase change as an event. Later calls
 * only add what they know (gitops commit, tofu outputs, resolved Blueprints, the DNS records PDM wrote) to what is
 * already recorded.
 * The normalised request is kept with the record, so the decommission template can run OpenTofu from it later.
 * The record holds no secret: the registry's strict schemas (the request's too) refuse unknown fields.
 * Before the record is written the task is handed to the ReservationKeeper (nothing reserved yet), so a task that
 * fails between this step and its reserve step still gets its Sovereign marked failed (docs/recovery.md).
 */
export function createCatalogRegisterSovereignAction(options: {
  registry: SovereignRegistryClient;
  keeper: Pick<ReservationKeeper, 'watch'>;
  /** The reservation TTL the reserve step will use; the keeper row carries it from the start. */
  ttlSeconds: number;
}) {
  return createTemplateAction({
    id: 'catalyst:catalog:register-sovereign',
    description:
      'Upserts the Sovereign in the Catalyst registry so its catalog entity appears, and records its phase',
    examples,
    schema: {
      input: {
        request: z =>
          z
            .record(z.unknown())
            .describe('steps.validate.output.request (no secrets)'),
        phase: z =>
          z.enum(SOVEREIGN_RECORD_PHASES).describe('The phase to record'),
        message: z => z.string().describe('Why the phase changed'),
        reason: z => z.string().optional().describe('Machine-readable reason'),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              "Owning group entity ref (default: the initiator's first group, else the initiator)",
            ),
        blueprints: z =>
          z
            .array(z.string())
            .optional()
            .describe('steps.blueprints.output.blueprints'),
        notInstallable: z =>
          z
            .array(z.string())
            .optional()
            .describe('steps.blueprints.output.notInstallable'),
        gitops: z =>
          z
            .object({
              repoUrl: z.string(),
              branch: z.string(),
              path: z.string(),
              commitSha: z.string().optional(),
            })
            .optional()
            .describe('From steps.gitops.output'),
        dnsRecords: () =>
          dnsRecordSchema
            .array()
            .optional()
            .describe(
              'steps.commit.output.dnsRecords: the records PDM wrote; replaces the recorded ones (kept when omitted)',
            ),
        outputs: z =>
          z
            .object({
              loadBalancerIp: z.string().optional(),
              controlPlaneIp: z.string().optional(),
            })
            .optional()
            .describe('From steps.tofu.output'),
        tls: () =>
          sovereignTlsSetupSchema
            .optional()
            .describe(
              'steps.overlay.output.tls: the certificate issuer and the DNS-01 setup (public facts, never the key)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('sovereign:default/<name>'),
        entityName: z => z.string().describe('The Sovereign entity name'),
      },
    },
    async handler(ctx) {
      const request = ctx.input.request as unknown as SovereignRequest;
      if (!request?.fqdn || !request.org || !request.topology) {
        throw new InputError(
          'request must be the output of catalyst:sovereign:validate',
        );
      }
      const name = sovereignEntityName(request.fqdn);
      const stored = await options.registry.get(name, { signal: ctx.signal });
      // A record another task holds is never re-recorded (the registry refuses it too); a failed or decommissioned
      // one is reclaimed and then belongs to this task's initiator.
      const reclaiming =
        stored !== undefined &&
        stored.taskId !== ctx.task.id &&
        isSovereignReclaimable(stored.phase);
      if (
        stored &&
        (stored.fqdn !== request.fqdn ||
          (stored.taskId !== ctx.task.id && !reclaiming))
      ) {
        throw new ConflictError(
          `Sovereign ${stored.fqdn} is held by another provisioning run (owner ${stored.owner}, phase ${stored.phase}); it was not changed`,
        );
      }
      const existing = reclaiming ? undefined : stored;
      // First, so that no moment exists in which this task holds the Sovereign and nothing would compensate it.
      // A row the task already has (its reserve step ran) is left untouched.
      await options.keeper.watch({
        taskId: ctx.task.id,
        entityName: name,
        fqdn: request.fqdn,
        domain: request.domain as ProvisioningDomain,
        ttlSeconds: options.ttlSeconds,
      });
      const owner =
        ownerRef(ctx.input.owner) ??
        existing?.owner ??
        ownerRef(ctx.user?.entity?.spec?.memberOf?.[0]) ??
        ctx.user?.ref;
      if (!owner) {
        throw new InputError(
          'owner is required when the task has no initiator',
        );
      }
      const record: SovereignRecordUpsert = {
        fqdn: request.fqdn,
        organization: request.org.name,
        owner,
        adminEmail: request.org.email,
        topology: { ...request.topology, regions: request.regions },
        domain: request.domain,
        components: request.components,
        blueprints: ctx.input.blueprints ?? existing?.blueprints ?? [],
        notInstallable:
          ctx.input.notInstallable ?? existing?.notInstallable ?? [],
        dnsRecords: ctx.input.dnsRecords ?? existing?.dnsRecords ?? [],
        ...(ctx.input.tls ?? existing?.tls
          ? { tls: ctx.input.tls ?? existing?.tls }
          : {}),
        phase: existing?.phase ?? ctx.input.phase,
        taskId: ctx.task.id,
        // Checked against the registry's strict request schema before it leaves: a smuggled token fails here.
        request: request as unknown as SovereignRequestRecord,
        ...(ctx.input.gitops ?? existing?.gitops
          ? { gitops: { ...existing?.gitops, ...ctx.input.gitops } as any }
          : {}),
        ...(ctx.input.outputs ?? existing?.outputs
          ? { outputs: { ...existing?.outputs, ...ctx.input.outputs } }
          : {}),
      };
      await options.registry.upsert(record, { signal: ctx.signal });
      await options.registry.setPhase(
        name,
        {
          phase: ctx.input.phase,
          reason: ctx.input.reason,
          message: ctx.input.message,
        },
        { signal: ctx.signal },
      );
      ctx.logger.info(
        `Sovereign ${request.fqdn} registered (phase ${ctx.input.phase})`,
      );
      ctx.output('entityRef', `sovereign:default/${name}`);
      ctx.output('entityName', name);
    },
  });
}

/** A group reference in its full form (`platform-team` → `group:default/platform-team`), as permissions compare it. */
function ownerRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  );
}
