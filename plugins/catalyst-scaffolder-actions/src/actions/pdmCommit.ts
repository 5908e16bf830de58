import {
  dnsRecordSchema,
  domainSelectionSchema,
} from '@catalyst/plugin-catalyst-common';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SovereignRecord } from '@catalyst/plugin-catalyst-common';
import type {
  PoolAllocationClient,
  PublishedDnsRecord,
} from '../clients/PoolAllocationClient';
import type { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { taskActor } from '../provisioning/ProvisioningCompensation';
import { examples } from './pdmCommit.examples';

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** PDM's records as the Sovereign registry keeps them: owner names without the trailing dot. */
function registryRecords(
  records: PublishedDnsRecord[],
): Array<Required<SovereignRecord['dnsRecords'][number]>> {
  return records.map(r => ({
    name: r.name.replace(/\.$/, ''),
    type: r.type,
    ttl: r.ttl,
    content: r.content,
  }));
}

/**
 * catalyst:pdm:commit — runs as soon as the load balancer IP exists (not after the Flux watch, which broke the
 * reference's TTL). Pool: reserved → active plus the six canonical records; BYO: the same six records in the BYO
 * zone. A failure fails the task loudly; a 202 (active, records not written) is a warning. It outputs the records
 * PDM reports it wrote, for catalyst:catalog:register-sovereign to keep on the Sovereign.
 */
export function createPdmCommitAction(options: {
  pdm: PoolAllocationClient;
  keeper: ReservationKeeper;
}) {
  return createTemplateAction({
    id: 'catalyst:pdm:commit',
    description:
      'Commits the pool reservation (or writes the BYO records) with the load balancer IP',
    examples,
    schema: {
      input: {
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        domain: () =>
          domainSelectionSchema.describe(
            'The domain of the validated request (steps.validate.output.request.domain)',
          ),
        reservationToken: z =>
          z
            .string()
            .optional()
            .describe('steps.reserve.output.reservationToken (pool only)'),
        loadBalancerIp: z =>
          z.string().describe('steps.tofu.output.loadBalancerIp'),
      },
      output: {
        recordsWritten: z =>
          z
            .boolean()
            .describe(
              'false when the allocation is active but PowerDNS failed',
            ),
        dnsRecords: () =>
          dnsRecordSchema
            .required({ ttl: true })
            .array()
            .describe(
              'The records PDM wrote (empty when it could not): the dnsRecords input of catalyst:catalog:register-sovereign',
            ),
      },
    },
    async handler(ctx) {
      const { fqdn, domain, reservationToken, loadBalancerIp } = ctx.input;
      if (!IPV4.test(loadBalancerIp ?? '')) {
        throw new InputError(
          `loadBalancerIp "${loadBalancerIp}" is not an IPv4 address`,
        );
      }
      let recordsWritten = true;
      let records: PublishedDnsRecord[];
      if (domain.mode === 'pool') {
        if (!reservationToken) {
          throw new InputError('reservationToken is required in pool mode');
        }
        const result = await ctx.checkpoint({
          key: `pdm.commit.${fqdn}`,
          fn: async () => {
            const r = await options.pdm.commit(
              domain.poolDomain!,
              {
                subdomain: domain.subdomain!,
                reservationToken,
                sovereignFQDN: fqdn,
                loadBalancerIP: loadBalancerIp,
              },
              { signal: ctx.signal },
            );
            return {
              recordsWritten: r.recordsWritten,
              records: r.records,
              warning: r.warning ?? '',
            };
          },
        });
        recordsWritten = result.recordsWritten;
        records = result.records;
        if (!recordsWritten) {
          ctx.logger.warn(
            `${fqdn} is allocated but PDM could not write its records (${result.warning}); PDM re-applies them on a repeated commit`,
          );
        }
      } else {
        const result = await ctx.checkpoint({
          key: `pdm.byo-records.${fqdn}`,
          fn: async () =>
            options.pdm.writeByoRecords(
              domain.byoDomain!,
              loadBalancerIp,
              // PDM lets only the task that created the zone (or its owning Sovereign) write its records.
              { createdBy: taskActor(ctx.task.id), sovereignFQDN: fqdn },
              { signal: ctx.signal },
            ),
        });
        records = result.records;
      }
      await options.keeper.markCommitted(ctx.task.id);
      ctx.logger.info(`${fqdn} now points at ${loadBalancerIp}`);
      ctx.output('recordsWritten', recordsWritten);
      ctx.output('dnsRecords', registryRecords(records));
    },
  });
}
