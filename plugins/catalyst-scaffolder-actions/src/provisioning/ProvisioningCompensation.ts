import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';
import type { SovereignRegistryClient } from '../clients/SovereignRegistryClient';

/** The domain part of a request, enough to find what PDM holds for it. */
export interface ProvisioningDomain {
  mode: 'pool' | 'byo-manual' | 'byo-api';
  poolDomain?: string;
  subdomain?: string;
  byoDomain?: string;
}

/** How a provisioning task names itself to PDM: the creator of the names and zones it takes. */
export function taskActor(taskId: string): string {
  return `catalyst/${taskId}`;
}

/**
 * What a release may show PDM: the task's own reservation token (pool) and task identity (BYO zone), or the owning
 * Sovereign and its owner (decommission).
 */
export interface ReleaseAuthority {
  taskId: string;
  reservationToken?: string;
  sovereignFQDN: string;
  owner?: string;
}

/**
 * Gives back what a failed provisioning run took from PDM (docs/provisioning.md §1: "if any step after 2 fails, call
 * release; BYO: delete the zone; a 404 counts as success") and records the failure on the Sovereign. Machines are
 * never destroyed here: that is the decommission template's job.
 */
export class ProvisioningCompensation {
  constructor(
    private readonly options: {
      pdm: PoolAllocationClient;
      registry: SovereignRegistryClient;
      logger: LoggerService;
    },
  ) {}

  /**
   * Releases the pool allocation or deletes the BYO zone; missing = already released. PDM checks the authority:
   * a compensation shows its own reservation token and task, so it can only give back what its task took.
   */
  async releaseDomain(
    domain: ProvisioningDomain,
    authority: ReleaseAuthority,
    signal?: AbortSignal,
  ): Promise<{ released: boolean }> {
    const { pdm } = this.options;
    if (domain.mode === 'pool') {
      const { released } = await pdm.release(
        domain.poolDomain!,
        domain.subdomain!,
        authority.reservationToken
          ? { reservationToken: authority.reservationToken }
          : { sovereignFQDN: authority.sovereignFQDN, owner: authority.owner },
        { signal },
      );
      return { released };
    }
    const { deleted } = await pdm.deleteByoZone(
      domain.byoDomain!,
      {
        createdBy: taskActor(authority.taskId),
        sovereignFQDN: authority.sovereignFQDN,
        owner: authority.owner,
      },
      { signal },
    );
    return { released: deleted };
  }

  /**
   * Best effort on both sides: a registry outage must not keep the DNS from being released, and vice versa. Only
   * what the task itself took is given back, and the Sovereign is marked failed only while the task still holds it.
   * Answers whether the domain is free now, so a caller can try again later when it is not.
   */
  async compensate(
    target: {
      taskId: string;
      entityName: string;
      fqdn: string;
      domain: ProvisioningDomain;
      reservationToken?: string;
      /** False when the task stopped before its reserve step finished (default true). */
      reserved?: boolean;
    },
    reason: string,
  ): Promise<{ domainReleased: boolean }> {
    const { logger, registry } = this.options;
    let domainReleased = false;
    let released = false;
    const reserved = target.reserved !== false;
    if (target.domain.mode === 'pool' && !target.reservationToken) {
      // A pool name is given back with its reservation token only. Without one the task holds nothing PDM could
      // release for it: either the reserve step never ran, or it stopped before PDM answered, and then the
      // reservation ends with its lease (PDM's sweeper frees it).
      logger.info(
        `Compensation for ${target.fqdn} (${reason}): the task holds no reservation, so it releases nothing`,
      );
      domainReleased = true;
    } else {
      try {
        ({ released } = await this.releaseDomain(target.domain, {
          taskId: target.taskId,
          reservationToken: target.reservationToken,
          sovereignFQDN: target.fqdn,
        }));
        domainReleased = true;
        logger.info(
          `Compensation for ${target.fqdn} (${reason}): ${
            released ? 'released' : 'nothing left to release'
          }`,
        );
      } catch (e) {
        if (!reserved && (e as Error).name === 'NotAllowedError') {
          // The reserve step never finished and the zone PDM holds was made by someone else: nothing is ours.
          domainReleased = true;
          logger.info(
            `Compensation for ${target.fqdn} (${reason}): the task created no zone, so it releases nothing`,
          );
        } else {
          logger.error(
            `Compensation for ${
              target.fqdn
            } (${reason}) could not release the domain: ${
              (e as Error).message
            }`,
          );
        }
      }
    }
    let outcome = 'no domain had been reserved yet';
    if (released) outcome = 'the domain reservation was released';
    else if (reserved) outcome = 'nothing of the domain was left to release';
    try {
      const record = await registry.get(target.entityName);
      if (record?.taskId && record.taskId !== target.taskId) {
        logger.warn(
          `Compensation for ${target.fqdn} leaves the Sovereign alone: it is held by task ${record.taskId}`,
        );
        return { domainReleased };
      }
      await registry.setPhase(target.entityName, {
        phase: 'failed',
        reason: 'provisioning-failed',
        message: `Provisioning stopped (${reason}); ${outcome}`,
      });
    } catch (e) {
      logger.warn(
        `Compensation for ${target.fqdn} could not mark the Sovereign failed: ${
          (e as Error).message
        }`,
      );
    }
    if (domainReleased && reserved) {
      // The release took the zone with it: the Sovereign publishes no record any more.
      try {
        await registry.setDnsRecords(target.entityName, []);
      } catch (e) {
        logger.warn(
          `Compensation for ${
            target.fqdn
          } could not clear the recorded DNS records: ${(e as Error).message}`,
        );
      }
    }
    return { domainReleased };
  }
}
