import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  ComponentReadiness,
  SovereignRecord,
} from '@catalyst/plugin-catalyst-common';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { examples } from './sovereignAwaitReady.examples';

const DECIDED = new Set(['ready', 'degraded', 'failed']);

function describeComponent(c: ComponentReadiness): string {
  switch (c.state) {
    case 'ready':
      return `${c.name} is ready`;
    case 'blocked':
      return `${c.name} waits on ${c.blockedBy ?? 'a dependency'}`;
    case 'failed':
      return `${c.name} is not ready: ${c.cause ?? c.reason ?? 'failed'}${
        c.message ? ` (${c.message})` : ''
      }`;
    default:
      return `${c.name} is progressing${c.reason ? ` (${c.reason})` : ''}`;
  }
}

/**
 * catalyst:sovereign:await-ready — Phase 1 (docs/phase1.md §2): waits until the catalyst-backend platform watcher
 * has decided the Sovereign (`ready`, `degraded` or `failed`), logging each component as it changes. The watcher
 * keeps its state in the registry, so this step only reads; a task recovered after a restart simply waits again.
 * A `failed` Sovereign fails the step; a `degraded` one completes it with the root cause in the output.
 */
export function createSovereignAwaitReadyAction(options: {
  registry: SovereignRegistryClient;
  /** How often to look at the registry (tests shorten it). */
  pollIntervalMs?: number;
}) {
  const pollMs = options.pollIntervalMs ?? 3000;
  return createTemplateAction({
    id: 'catalyst:sovereign:await-ready',
    description:
      "Waits until the Sovereign's platform (its Flux HelmReleases) is ready, degraded or failed",
    examples,
    schema: {
      input: {
        entityName: z => z.string().describe('The Sovereign entity name'),
        timeoutMinutes: z =>
          z
            .number()
            .int()
            .min(1)
            .max(24 * 60)
            .optional()
            .describe(
              "How long this step waits at most (default 180); the watcher's own deadline decides the phase",
            ),
      },
      output: {
        phase: z => z.string().describe('ready, degraded or failed'),
        reason: z => z.string().optional().describe('Why, as a stable code'),
        firstBlocked: z =>
          z
            .string()
            .optional()
            .describe('The component everything not ready waits on'),
        readyComponents: z => z.number().describe('Components ready'),
        totalComponents: z => z.number().describe('Components watched'),
      },
    },
    async handler(ctx) {
      const { entityName } = ctx.input;
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(entityName)) {
        throw new InputError(
          `Invalid input entityName "${entityName}": expected the Sovereign entity name`,
        );
      }
      const deadline =
        Date.now() + (ctx.input.timeoutMinutes ?? 180) * 60 * 1000;
      const seen = new Map<string, string>();
      let record: SovereignRecord | undefined;
      for (;;) {
        ctx.signal?.throwIfAborted();
        record = await options.registry.get(entityName, { signal: ctx.signal });
        if (!record) {
          throw new InputError(
            `Sovereign '${entityName}' is not in the registry`,
          );
        }
        for (const c of record.readiness?.components ?? []) {
          const line = describeComponent(c);
          if (seen.get(c.name) !== line) {
            seen.set(c.name, line);
            ctx.logger.info(line);
          }
        }
        if (DECIDED.has(record.phase)) break;
        if (Date.now() >= deadline) {
          throw new Error(
            `Sovereign '${entityName}' is still ${record.phase} after ${
              ctx.input.timeoutMinutes ?? 180
            } minutes${
              record.readiness?.firstBlocked
                ? `; blocked at ${record.readiness.firstBlocked}`
                : ''
            }`,
          );
        }
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, pollMs);
          ctx.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const components = record.readiness?.components ?? [];
      const ready = components.filter(c => c.ready).length;
      const summary = `Sovereign ${record.fqdn} is ${
        record.phase
      }: ${ready} of ${components.length} platform components ready${
        record.readiness?.firstBlocked
          ? `; blocked at ${record.readiness.firstBlocked}`
          : ''
      }`;
      if (record.phase === 'failed') {
        throw new Error(
          `${summary}${record.phaseReason ? ` (${record.phaseReason})` : ''}`,
        );
      }
      if (record.phase === 'degraded') ctx.logger.warn(summary);
      else ctx.logger.info(summary);
      ctx.output('phase', record.phase);
      if (record.phaseReason) ctx.output('reason', record.phaseReason);
      if (record.readiness?.firstBlocked) {
        ctx.output('firstBlocked', record.readiness.firstBlocked);
      }
      ctx.output('readyComponents', ready);
      ctx.output('totalComponents', components.length);
    },
  });
}
