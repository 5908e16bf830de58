import {
  dns01SetupSchema,
  domainSelectionSchema,
} from '@catalyst/plugin-catalyst-common';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  Dns01Setup,
  PoolAllocationClient,
} from '../clients/PoolAllocationClient';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';
import { taskActor } from '../provisioning/ProvisioningCompensation';
import type { ReservationKeeper } from '../provisioning/ReservationKeeper';
import { examples } from './pdmReserve.examples';

/**
 * catalyst:pdm:reserve — takes the Sovereign's name in DNS (docs/provisioning.md §1 step 2). Pool: a PDM reservation
 * created by `catalyst/<taskId>` whose TTL covers the tofu timeout plus a margin; BYO: the Sovereign's zone in
 * PowerDNS. The result is checkpointed, so a recovered task reuses it, and handed to the ReservationKeeper,
 * which renews it while the task runs and releases it if the task fails.
 */
/** How long a recovered run waits for its own earlier reservation that PDM still holds as pending. */
const PENDING_WAIT_MS = 150_000;

function toOutput(r: Awaited<ReturnType<PoolAllocationClient['reserve']>>) {
  return {
    reservationToken: r.reservationToken,
    expiresAt: r.expiresAt,
    nameservers: [] as string[],
    ds: [] as string[],
    ...(r.dns01 ? { dns01: r.dns01 } : {}),
  };
}

export function createPdmReserveAction(options: {
  pdm: PoolAllocationClient;
  registry: SovereignRegistryClient;
  keeper: ReservationKeeper;
  ttlSeconds: number;
  /** Wait between tries while this task's own earlier reservation is still pending in PDM. Default: 5 s. */
  pendingRetryMs?: number;
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
        domain: () =>
          domainSelectionSchema.describe(
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
        dns01: () =>
          dns01SetupSchema.describe(
            "The zone's DNS-01 update key: nameserver, zone, key name and algorithm (never its secret)",
          ),
      },
    },
    async handler(ctx) {
      const { fqdn, entityName, domain } = ctx.input;
      const { pdm, keeper, ttlSeconds } = options;
      const actorFor = async () => {
        // The register step recorded the Sovereign for this task; PDM records its owning group with the name.
        const record = await options.registry.get(entityName, {
          signal: ctx.signal,
        });
        if (!record || record.fqdn !== fqdn) {
          throw new InputError(
            `Sovereign ${fqdn} is not registered; run catalyst:catalog:register-sovereign first`,
          );
        }
        if (record.taskId && record.taskId !== ctx.task.id) {
          throw new ConflictError(
            `Sovereign ${fqdn} is held by task ${record.taskId}; this task cannot reserve its domain`,
          );
        }
        return {
          createdBy: taskActor(ctx.task.id),
          sovereignFQDN: fqdn,
          owner: record.owner,
        };
      };
      let result: {
        reservationToken: string;
        expiresAt: string;
        nameservers: string[];
        ds: string[];
        dns01?: Dns01Setup;
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
        const actor = await actorFor();
        result = await ctx.checkpoint({
          key: `pdm.reserve.${fqdn}`,
          fn: async () => {
            // A recovered run whose first run died during PDM's DNS work finds its own pending row: PDM answers
            // 409 "still being reserved by <this task>" until half the row's pending window (two minutes) has
            // passed and then hands the row over. Wait for that instead of failing; another creator's row is a
            // real conflict and fails at once.
            const ownPending = `still being reserved by ${actor.createdBy};`;
            const waitUntil = Date.now() + PENDING_WAIT_MS;
            for (;;) {
              try {
                return toOutput(
                  await pdm.reserve(
                    domain.poolDomain!,
                    {
                      subdomain: domain.subdomain!,
                      createdBy: actor.createdBy,
                      owner: actor.owner,
                      ttlSeconds,
                    },
                    { signal: ctx.signal },
                  ),
                );
              } catch (error) {
                if (
                  !(error instanceof ConflictError) ||
                  !error.message.includes(ownPending) ||
                  Date.now() >= waitUntil ||
                  ctx.signal?.aborted
                ) {
                  throw error;
                }
                ctx.logger.info(
                  `PDM still holds this task's earlier reservation of ${fqdn} as pending; trying again shortly`,
                );
                await new Promise(r =>
                  setTimeout(r, options.pendingRetryMs ?? 5_000),
                );
              }
            }
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
        const actor = await actorFor();
        result = await ctx.checkpoint({
          key: `pdm.byo-zone.${fqdn}`,
          fn: async () => {
            const zone = await pdm.createByoZone(domain.byoDomain!, actor, {
              signal: ctx.signal,
            });
            return {
              reservationToken: '',
              expiresAt: '',
              nameservers: zone.nameservers,
              ds: zone.ds ?? [],
              ...(zone.dns01 ? { dns01: zone.dns01 } : {}),
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
      if (!result.dns01) {
        throw new Error(
          `PDM did not report the DNS-01 key of ${fqdn}; the Sovereign could not obtain certificates`,
        );
      }
      ctx.output('dns01', result.dns01);
    },
  });
}
