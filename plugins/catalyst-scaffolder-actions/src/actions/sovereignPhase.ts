import { InputError, NotFoundError } from '@backstage/errors';
import { SOVEREIGN_RECORD_PHASES } from '@catalyst/plugin-catalyst-common';
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

/**
 * catalyst:sovereign:phase — records a phase change of a registered Sovereign (decommission steps, manual
 * transitions) and outputs what later steps need from its record.
 */
export function createSovereignPhaseAction(options: {
  registry: SovereignRegistryClient;
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
      },
      output: {
        entityName: z => z.string(),
        fqdn: z => z.string(),
        domain: z => z.record(z.unknown()),
      },
    },
    async handler(ctx) {
      const name = entityNameOf(ctx.input.sovereign);
      const existing = await options.registry.get(name, ctx.signal);
      if (!existing) {
        throw new NotFoundError(`Sovereign ${name} is not in the registry`);
      }
      const record = await options.registry.setPhase(
        name,
        {
          phase: ctx.input.phase,
          reason: ctx.input.reason,
          message: ctx.input.message,
        },
        ctx.signal,
      );
      ctx.logger.info(`Sovereign ${existing.fqdn} is now ${ctx.input.phase}`);
      ctx.output('entityName', name);
      ctx.output('fqdn', record?.fqdn ?? existing.fqdn);
      ctx.output(
        'domain',
        (record?.domain ?? existing.domain) as Record<string, unknown>,
      );
    },
  });
}
