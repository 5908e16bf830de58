import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';
import type { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { examples } from './pdmReserve.examples';

/**
 * catalyst:pdm:reserve — takes the Sovereign's name in DNS (provisioning.md §1 step 2). Pool: a PDM reservation
 * created by `catalyst/<taskId>` whose TTL covers the tofu timeout plus a margin; BYO: the Sovereign's zone in
 * PowerDNS. The result is checkpointed, so a recovered task reuses it, and handed to the ReservationKeeper,
 * which renews it while the task runs and releases it if the task fails.
 */
export function createPdmReserveAction(options: {
  pdm: PoolAllocationClient;
  keeper: ReservationKeeper;
  ttlSeconds: number;
}) {
  return createTemplateAction({
    id: 'catalyst:pdm:reserve',
    description:
      'Reserves the pool subdomain (or creates the BYO zone) in PDM and keeps it alive while the task runs',
    examples,
    schema: {
      input: {
        fqdn: z => z.string().describe('The Sovereign FQDN'),
        entityName: z => z.string().describe('The Sovereign entity name'),
        domain: z =>
          z
            .object({
              mode: z.enum(['pool', 'byo-manual', 'byo-api']),
              poolDomain: z.string().optional(),
              subdomain: z.string().optional(),
              byoDomain: z.string().optional(),
              registrar: z.string().optional(),
            })
            .describe(
              'The domain of the validated request (steps.validate.output.request.domain)',
            ),
      },
      output: {
        reservationToken: z =>
          z.string().describe('Pool reservation token (empty for BYO)'),
        expiresAt: z =>
          z.string().describe('Reservation expiry, RFC 3339 (empty for BYO)'),
        nameservers: z =>
          z
            .array(z.string())
            .describe('Nameservers of the BYO zone (empty for pool)'),
        ds: z => z.array(z.string()).describe('DS records of the BYO zone'),
      },
    },
    async handler(ctx) {
      const { fqdn, entityName, domain } = ctx.input;
      const { pdm, keeper, ttlSeconds } = options;
      let result: {
        reservationToken: string;
        expiresAt: string;
        nameservers: string[];
        ds: string[];
      };
      if (domain.mode === 'pool') {
        if (!domain.poolDomain || !domain.subdomain) {
          throw new InputError(
            'domain.poolDomain and domain.subdomain are required in pool mode',
          );
        }
        if (`${domain.subdomain}.${domain.poolDomain}` !== fqdn) {
          throw new InputError(
            `fqdn ${fqdn} does not match ${domain.subdomain}.${domain.poolDomain}`,
          );
        }
        result = await ctx.checkpoint({
          key: `pdm.reserve.${fqdn}`,
          fn: async () => {
            const request = {
              subdomain: domain.subdomain!,
              createdBy: `catalyst/${ctx.task.id}`,
              ttlSeconds,
            };
            let r;
            try {
              r = await pdm.reserve(domain.poolDomain!, request, ctx.signal);
            } catch (error) {
              // A backend that died between PDM's answer and the checkpoint left this very task's reservation
              // behind, and its token with it. It is still only reserved (nothing depends on it yet): give it
              // back and take it again. Anyone else's reservation stays untouched and the conflict stands.
              if ((error as Error).name !== 'ConflictError') throw error;
              const own = (await pdm.list(domain.poolDomain!, ctx.signal)).find(
                a =>
                  a.subdomain === domain.subdomain &&
                  a.state === 'reserved' &&
                  a.createdBy === request.createdBy,
              );
              if (!own) throw error;
              ctx.logger.warn(
                `${fqdn} is still reserved by this task from before a restart; taking it again`,
              );
              await pdm.release(
                domain.poolDomain!,
                domain.subdomain!,
                ctx.signal,
              );
              r = await pdm.reserve(domain.poolDomain!, request, ctx.signal);
            }
            return {
              reservationToken: r.reservationToken,
              expiresAt: r.expiresAt,
              nameservers: [],
              ds: [],
            };
          },
        });
        ctx.logger.info(
          `Reserved ${fqdn} until ${result.expiresAt} (renewed while this task runs)`,
        );
      } else {
        if (!domain.byoDomain || domain.byoDomain !== fqdn) {
          throw new InputError(
            `domain.byoDomain must be the Sovereign FQDN ${fqdn} in ${domain.mode} mode`,
          );
        }
        result = await ctx.checkpoint({
          key: `pdm.byo-zone.${fqdn}`,
          fn: async () => {
            const zone = await pdm.createByoZone(domain.byoDomain!, ctx.signal);
            return {
              reservationToken: '',
              expiresAt: '',
              nameservers: zone.nameservers,
              ds: zone.ds ?? [],
            };
          },
        });
        ctx.logger.info(
          `Created the zone ${fqdn} in PowerDNS; nameservers ${result.nameservers.join(
            ', ',
          )}`,
        );
      }
      await keeper.track({
        taskId: ctx.task.id,
        entityName,
        fqdn,
        domain,
        reservationToken: result.reservationToken || undefined,
        ttlSeconds,
      });
      ctx.output('reservationToken', result.reservationToken);
      ctx.output('expiresAt', result.expiresAt);
      ctx.output('nameservers', result.nameservers);
      ctx.output('ds', result.ds);
    },
  });
}
