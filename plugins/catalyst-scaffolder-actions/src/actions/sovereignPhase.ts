import { dnsRecordSchema } from '@catalyst/plugin-catalyst-common';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalystSovereignDecommissionPermission,
  SOVEREIGN_RECORD_PHASES,
} from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { examples } from './sovereignPhase.examples';

/** `sovereign:default/omantel-omani-works` or `omantel-omani-works` → `omantel-omani-works`. */
export function entityNameOf(refOrName: string): string {
  const name = refOrName.trim().split('/').pop()!.split(':').pop()!;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
    throw new InputError(`"${refOrName}" is not a Sovereign entity reference`);
  }
  return name;
}

/** What a record without a stored request cannot supply to catalyst:tofu:destroy, in a person's words. */
const REQUEST_FACTS_NOT_IN_RECORD = [
  'the SSH public key',
  'the Hetzner project',
];

/**
 * catalyst:sovereign:phase — records a phase change of a registered Sovereign (decommission steps, manual
 * transitions) and outputs what later steps need from its record, above all the provisioning request the
 * registry kept, which catalyst:tofu:destroy runs from.
 *
 * The registry is written with this plugin's service credentials, so the action itself checks, before it changes
 * anything, that the task's initiator holds `catalyst.sovereign.decommission` on the Sovereign (a member of its
 * owning group or a platform admin): whoever runs the template, they act only on their own Sovereigns.
 */
export function createSovereignPhaseAction(options: {
  registry: SovereignRegistryClient;
  permissions: Pick<PermissionsService, 'authorize'>;
}) {
  return createTemplateAction({
    id: 'catalyst:sovereign:phase',
    description:
      'Records a phase change of a registered Sovereign and outputs its FQDN and domain',
    examples,
    schema: {
      input: {
        sovereign: z =>
          z
            .string()
            .describe('Entity ref (sovereign:default/<name>) or entity name'),
        phase: z => z.enum(SOVEREIGN_RECORD_PHASES).describe('The new phase'),
        message: z => z.string().describe('Why the phase changed'),
        reason: z => z.string().optional().describe('Machine-readable reason'),
        dnsRecords: () =>
          dnsRecordSchema
            .array()
            .optional()
            .describe(
              'When given, replaces the DNS records recorded for the Sovereign ([] once its domain is released)',
            ),
        confirmFqdn: z =>
          z
            .string()
            .optional()
            .describe(
              'When given, must equal the Sovereign FQDN (typed confirmation)',
            ),
      },
      output: {
        entityName: z => z.string().describe('The Sovereign entity name'),
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        domain: z => z.record(z.unknown()).describe('Its domain settings'),
        gitops: z =>
          z.record(z.unknown()).describe('Its GitOps location ({} when none)'),
        request: z =>
          z
            .record(z.unknown())
            .describe(
              'The normalised SovereignRequest the provisioning task recorded (no secrets): the request input of catalyst:tofu:destroy',
            ),
      },
    },
    async handler(ctx) {
      const name = entityNameOf(ctx.input.sovereign);
      const existing = await options.registry.get(name, { signal: ctx.signal });
      if (!existing) {
        throw new NotFoundError(`Sovereign ${name} is not in the registry`);
      }
      const [decision] = await options.permissions.authorize(
        [
          {
            permission: catalystSovereignDecommissionPermission,
            resourceRef: `sovereign:default/${name}`,
          },
        ],
        { credentials: await ctx.getInitiatorCredentials() },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `${
            ctx.user?.ref ?? 'The initiator'
          } may not change the phase of Sovereign ${
            existing.fqdn
          }: only members of its owning group ${
            existing.owner
          } and platform admins may decommission it`,
        );
      }
      if (
        ctx.input.confirmFqdn !== undefined &&
        ctx.input.confirmFqdn.trim().toLowerCase() !== existing.fqdn
      ) {
        throw new InputError(
          `The typed confirmation "${ctx.input.confirmFqdn}" does not match the Sovereign's FQDN ${existing.fqdn}; nothing was changed`,
        );
      }
      if (ctx.input.phase === 'decommissioning' && !existing.request) {
        // Checked before the phase changes: a decommission that cannot run OpenTofu must not leave the
        // Sovereign stuck in decommissioning.
        throw new InputError(
          `Sovereign ${existing.fqdn} cannot be decommissioned from the portal: Catalyst kept no record of how it ` +
            `was provisioned (it was registered before requests were kept), so it lacks ${REQUEST_FACTS_NOT_IN_RECORD.join(
              ' and ',
            )} it needs to destroy the machines. A platform administrator can record the provisioning request ` +
            `again; the Sovereign stays ${existing.phase}`,
        );
      }
      const record = await options.registry.setPhase(
        name,
        {
          phase: ctx.input.phase,
          reason: ctx.input.reason,
          message: ctx.input.message,
        },
        { signal: ctx.signal },
      );
      ctx.logger.info(`Sovereign ${existing.fqdn} is now ${ctx.input.phase}`);
      if (ctx.input.dnsRecords) {
        await options.registry.setDnsRecords(name, ctx.input.dnsRecords, {
          signal: ctx.signal,
        });
      }
      ctx.output('entityName', name);
      ctx.output('fqdn', existing.fqdn);
      const current = record ?? existing;
      ctx.output('domain', current.domain as Record<string, unknown>);
      ctx.output('gitops', (current.gitops ?? {}) as Record<string, unknown>);
      const request = current.request ?? existing.request;
      if (request) {
        ctx.output('request', request as unknown as Record<string, unknown>);
      } else {
        // Registered before the registry kept requests (never for decommissioning, refused above): what the
        // record knows, without the SSH key and the Hetzner project.
        ctx.logger.warn(
          `The registry keeps no provisioning request for ${
            existing.fqdn
          }; the machine steps would lack ${REQUEST_FACTS_NOT_IN_RECORD.join(
            ' and ',
          )}`,
        );
        ctx.output('request', {
          org: { name: current.organization, email: current.adminEmail },
          topology: {
            template: current.topology.template,
            airgap: current.topology.airgap,
            haEnabled: current.topology.haEnabled,
          },
          regions: current.topology.regions,
          components: current.components,
          domain: current.domain,
          fqdn: current.fqdn,
        });
      }
    },
  });
}
