import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';
import { examples } from './registrarSetNs.examples';

/** Lower-cased, trimmed, without the trailing dot, de-duplicated and sorted: how NS lists are compared. */
export function normalizeNameservers(list: string[]): string[] {
  return [
    ...new Set(list.map(ns => ns.trim().toLowerCase().replace(/\.$/, ''))),
  ]
    .filter(Boolean)
    .sort();
}

/**
 * catalyst:registrar:set-ns — the byo-api NS flip the reference never ran (docs/pdm.md §7). The registrar token
 * comes only from the task secrets (`registrarToken`); the registrar's read-back must equal the list sent.
 */
export function createRegistrarSetNsAction(options: {
  pdm: PoolAllocationClient;
}) {
  return createTemplateAction({
    id: 'catalyst:registrar:set-ns',
    description:
      "Points a BYO domain's nameservers at Catalyst through the registrar API (token from secrets.registrarToken)",
    examples,
    schema: {
      input: {
        domain: z => z.string().describe('The BYO domain'),
        registrar: z =>
          z
            .string()
            .describe(
              'Registrar id: cloudflare, namecheap, godaddy, ovh or dynadot',
            ),
        nameservers: z =>
          z
            .array(z.string())
            .min(1)
            .describe('steps.reserve.output.nameservers'),
      },
      output: {
        nameservers: z =>
          z.array(z.string()).describe('The NS list the registrar reports'),
        propagation: z => z.string().describe('Propagation hint'),
      },
    },
    async handler(ctx) {
      const { domain, registrar } = ctx.input;
      const token = ctx.secrets?.registrarToken?.trim();
      if (!token) {
        throw new InputError(
          'secrets.registrarToken is required to change the nameservers of a byo-api domain',
        );
      }
      const wanted = normalizeNameservers(ctx.input.nameservers);
      const result = await ctx.checkpoint({
        key: `registrar.set-ns.${domain}`,
        fn: async () => {
          const r = await options.pdm.setNameservers(
            registrar,
            { domain, token, nameservers: wanted },
            { signal: ctx.signal },
          );
          return {
            nameservers: normalizeNameservers(r.nameservers ?? []),
            propagation: r.propagation ?? '',
          };
        },
      });
      if (result.nameservers.join(',') !== wanted.join(',')) {
        throw new ConflictError(
          `${registrar} reports nameservers [${result.nameservers.join(
            ', ',
          )}] for ${domain} after the update, expected [${wanted.join(', ')}]`,
        );
      }
      ctx.logger.info(
        `${registrar} now delegates ${domain} to ${wanted.join(
          ', ',
        )} (propagation: ${result.propagation || 'registrar-specific'})`,
      );
      ctx.output('nameservers', result.nameservers);
      ctx.output('propagation', result.propagation);
    },
  });
}
