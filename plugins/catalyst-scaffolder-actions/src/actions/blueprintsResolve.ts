import { InputError } from '@backstage/errors';
import {
  BlueprintResolutionError,
  CatalystData,
  resolveBlueprints,
} from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { examples } from './blueprintsResolve.examples';

/**
 * catalyst:blueprints:resolve — the selected components → the Sovereign's HelmReleases (docs/provisioning.md §5.4):
 * kit-only infrastructure, every selected component's Blueprint, and the dependsOn closure, in dependency order.
 * Releases pulled in by dependsOn and components without a chart are reported as Sovereign events.
 */
export function createBlueprintsResolveAction(options: {
  data: () => CatalystData;
  registry: SovereignRegistryClient;
}) {
  return createTemplateAction({
    id: 'catalyst:blueprints:resolve',
    description:
      'Resolves the selected components into the ordered, de-duplicated list of Blueprint releases',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        components: z =>
          z
            .array(z.string())
            .describe('steps.validate.output.request.components'),
        entityName: z =>
          z
            .string()
            .optional()
            .describe(
              'Sovereign entity name; additions are recorded as its events',
            ),
      },
      output: {
        releases: z =>
          z
            .array(z.record(z.unknown()))
            .describe(
              'Releases in dependency order, input of catalyst:overlay:render',
            ),
        blueprints: z =>
          z.array(z.string()).describe('bp-<name>@<version> of every release'),
        notInstallable: z =>
          z
            .array(z.string())
            .describe('Selected components without a Blueprint'),
      },
    },
    async handler(ctx) {
      let resolution;
      try {
        resolution = resolveBlueprints(options.data(), ctx.input.components);
      } catch (e) {
        if (e instanceof BlueprintResolutionError) {
          throw new InputError(`Blueprint resolution failed: ${e.message}`);
        }
        throw e;
      }
      const { releases, additions, notInstallable } = resolution;
      const events: Array<{ level: 'info' | 'warn'; message: string }> = [
        ...additions.map(a => ({
          level: 'info' as const,
          message: `${a.name} added because ${a.requiredBy} depends on it`,
        })),
        ...notInstallable.map(id => ({
          level: 'warn' as const,
          message: `Component ${id} has no published Blueprint and is not installed`,
        })),
      ];
      for (const event of events) {
        if (event.level === 'warn') ctx.logger.warn(event.message);
        else ctx.logger.info(event.message);
      }
      if (ctx.input.entityName && !ctx.isDryRun && events.length > 0) {
        await ctx.checkpoint({
          key: `blueprints.events.${ctx.input.entityName}`,
          fn: async () => {
            for (const event of events) {
              await options.registry.addEvent(
                ctx.input.entityName!,
                { ...event, phase: 'blueprints' },
                { signal: ctx.signal },
              );
            }
          },
        });
      }
      ctx.logger.info(`Resolved ${releases.length} Blueprint releases`);
      ctx.output('releases', releases as unknown as Record<string, unknown>[]);
      ctx.output(
        'blueprints',
        releases.map(r => `${r.name}@${r.version}`),
      );
      ctx.output('notInstallable', notInstallable);
    },
  });
}
