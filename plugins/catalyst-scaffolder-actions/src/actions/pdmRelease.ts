import { domainSelectionSchema } from '@catalyst/plugin-catalyst-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { sovereignEntityName } from '@catalyst/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import type {
  ProvisioningCompensation,
  ProvisioningDomain,
} from '../provisioning/ProvisioningCompensation';
import type { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { examples } from './pdmRelease.examples';

/**
 * catalyst:pdm:release — frees the pool allocation or deletes the BYO zone (the compensation of reserve, and a
 * decommission step). Already gone (404) counts as success, so it is safe to repeat.
 */
export function createPdmReleaseAction(options: {
  compensation: ProvisioningCompensation;
  registry: SovereignRegistryClient;
  keeper: ReservationKeeper;
}) {
  return createTemplateAction({
    id: 'catalyst:pdm:release',
    description:
      'Releases the pool allocation (or deletes the BYO zone) of a Sovereign; a missing one counts as released',
    examples,
    schema: {
      input: {
        domain: () =>
          domainSelectionSchema
            .optional()
            .describe('The domain; read from the registry when omitted'),
        entityName: z =>
          z
            .string()
            .optional()
            .describe('The Sovereign entity name, used when domain is omitted'),
      },
      output: {
        released: z =>
          z.boolean().describe('false when there was nothing left to release'),
      },
    },
    async handler(ctx) {
      const given = ctx.input.domain as ProvisioningDomain | undefined;
      if (!given && !ctx.input.entityName) {
        throw new InputError('either domain or entityName is required');
      }
      const entityName =
        ctx.input.entityName ?? sovereignEntityName(fqdnOfDomain(given!));
      // PDM releases an active name only for its owning Sovereign: the registry says who that is.
      const record = await options.registry.get(entityName, {
        signal: ctx.signal,
      });
      if (!record) {
        throw new NotFoundError(
          `Sovereign ${entityName} is not in the registry`,
        );
      }
      const domain = given ?? record.domain;
      if (fqdnOfDomain(domain) !== record.fqdn) {
        throw new InputError(
          `the domain ${fqdnOfDomain(domain)} is not the domain of Sovereign ${
            record.fqdn
          }`,
        );
      }
      const { released } = await options.compensation.releaseDomain(
        domain,
        {
          taskId: ctx.task.id,
          sovereignFQDN: record.fqdn,
          owner: record.owner,
        },
        ctx.signal,
      );
      await options.keeper.forget(ctx.task.id);
      const name = record.fqdn;
      ctx.logger.info(
        released ? `Released ${name}` : `${name} was already released`,
      );
      ctx.output('released', released);
    },
  });
}

function fqdnOfDomain(domain: ProvisioningDomain): string {
  return (
    domain.mode === 'pool'
      ? `${domain.subdomain}.${domain.poolDomain}`
      : domain.byoDomain ?? ''
  ).toLowerCase();
}
