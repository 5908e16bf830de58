import { InputError } from '@backstage/errors';
import {
  assembleSovereignRequest,
  assembleSovereignSecrets,
  CatalystData,
  createSovereignRequestSchema,
  formatRequestIssues,
  isSovereignReclaimable,
  PROVISIONABLE_PROVIDERS,
  sovereignEntityName,
} from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ZodError } from 'zod/v3';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { examples } from './sovereignValidate.examples';

function invalid(lines: string[]): InputError {
  return new InputError(
    `The Sovereign request is invalid:\n- ${lines.join('\n- ')}`,
  );
}

/**
 * catalyst:sovereign:validate — the server-side re-check of the wizard (docs/wizard.md §9). Browser checks are
 * advisory: this runs the same zod schemas from the common package, then the checks only the server can make
 * (PDM availability, registrar token, provisionable providers). The request it outputs carries no secret.
 */
export function createSovereignValidateAction(options: {
  data: () => CatalystData;
  pdm: PoolAllocationClient;
  registry: SovereignRegistryClient;
}) {
  return createTemplateAction({
    id: 'catalyst:sovereign:validate',
    description:
      'Re-validates the wizard parameters and secrets on the server and outputs the normalised SovereignRequest (without secrets)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        parameters: z =>
          z
            .record(z.unknown())
            .describe('The template parameters as the wizard submitted them'),
      },
      output: {
        request: z =>
          z
            .record(z.unknown())
            .describe('The normalised SovereignRequest (no secrets)'),
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        entityName: z =>
          z
            .string()
            .describe(
              'Catalog entity name (derived injectively from the FQDN)',
            ),
      },
    },
    async handler(ctx) {
      const data = options.data();
      const secrets = ctx.secrets ?? {};
      let request;
      let tokens;
      try {
        request = assembleSovereignRequest(data, ctx.input.parameters, secrets);
        tokens = assembleSovereignSecrets(data, ctx.input.parameters, secrets);
        // The schema later steps trust: re-parse the normalised request with it.
        createSovereignRequestSchema(data).parse(request);
      } catch (e) {
        if (e instanceof ZodError) throw invalid(formatRequestIssues(e));
        throw e;
      }

      const problems: string[] = [];
      request.regions.forEach((region, index) => {
        if (!PROVISIONABLE_PROVIDERS.includes(region.provider)) {
          problems.push(
            `regions[${index}].provider: region ${index + 1} (${
              region.provider
            } ${
              region.cloudRegion
            }) cannot be provisioned; only ${PROVISIONABLE_PROVIDERS.join(
              ', ',
            )} has a working module today`,
          );
        }
      });
      if (problems.length > 0) throw invalid(problems);

      const { domain, fqdn } = request;
      if (!ctx.isDryRun) {
        // Another Sovereign's FQDN is refused in every domain mode, before anything is written. A failed or
        // decommissioned record may be reclaimed; the task that holds the record (a recovered run) passes.
        const existing = await options.registry.get(sovereignEntityName(fqdn), {
          signal: ctx.signal,
        });
        if (
          existing &&
          (existing.fqdn !== fqdn ||
            (!isSovereignReclaimable(existing.phase) &&
              existing.taskId !== ctx.task.id))
        ) {
          throw invalid([
            `domain: ${fqdn} is held by Sovereign ${existing.fqdn} (owner ${existing.owner}, phase ${existing.phase}); choose another domain`,
          ]);
        }
        if (domain.mode !== 'pool' && existing?.taskId !== ctx.task.id) {
          const check = await options.pdm.checkByoDomain(fqdn, {
            signal: ctx.signal,
          });
          if (!check.available) {
            throw invalid([
              `domain.byoDomain: ${fqdn} cannot be used (${
                check.reason ?? 'unavailable'
              }${check.detail ? `: ${check.detail}` : ''})`,
            ]);
          }
        }
        if (domain.mode === 'pool') {
          const check = await options.pdm.checkSubdomain(
            domain.poolDomain!,
            domain.subdomain!,
            { signal: ctx.signal },
          );
          if (!check.available) {
            throw invalid([
              check.reason === 'unsupported-pool'
                ? `domain.poolDomain: ${domain.poolDomain} is not a pool domain managed by PDM`
                : `domain.subdomain: ${fqdn} is not available (${
                    check.reason ?? 'unavailable'
                  }${check.detail ? `: ${check.detail}` : ''})`,
            ]);
          }
        } else if (domain.mode === 'byo-api') {
          try {
            await options.pdm.validateRegistrarToken(
              domain.registrar!,
              domain.byoDomain!,
              tokens.registrarToken!,
              { signal: ctx.signal },
            );
          } catch (e) {
            const err = e as Error;
            if (err.name === 'ServiceUnavailableError') throw err;
            // PDM's message names the code (invalid-token, domain-not-in-account, …), never the token.
            throw invalid([
              `secrets.registrarToken: ${domain.registrar} did not accept the token for ${domain.byoDomain} (${err.message})`,
            ]);
          }
        }
      }

      ctx.logger.info(
        `Sovereign request for ${fqdn} is valid (${request.regions.length} region(s), ${request.components.length} components, domain mode ${domain.mode})`,
      );
      ctx.output('request', request as unknown as Record<string, unknown>);
      ctx.output('fqdn', fqdn);
      ctx.output('entityName', sovereignEntityName(fqdn));
    },
  });
}
