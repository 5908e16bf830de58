import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { PoolAllocationClient } from '../clients/PoolAllocationClient';
import type { ProvisioningCompensation } from './ProvisioningCompensation';
import type { ProvisioningDomain } from './ProvisioningCompensation';

/** Scaffolder task states (`GET /api/scaffolder/v2/tasks/:id` → status). */
export type TaskStatus =
  | 'open'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/** Answers a task's status; throws NotFoundError when the task does not exist. */
export type TaskStatusSource = (taskId: string) => Promise<TaskStatus>;

export interface TrackedReservation {
  taskId: string;
  entityName: string;
  fqdn: string;
  domain: ProvisioningDomain;
  /** Pool only: needed to renew. */
  reservationToken?: string;
  ttlSeconds: number;
}

interface Entry extends TrackedReservation {
  committed: boolean;
  lastRenewedAt: number;
}

/**
 * Keeps what `catalyst:pdm:reserve` took alive for exactly as long as its task runs, and gives it back when the
 * task ends badly.
 *
 * The scaffolder has no on-failure steps, so no later step can be trusted to clean up. Instead, while a task is
 * tracked, this keeper polls the task's status: while it runs, an uncommitted pool reservation is renewed every
 * ttl/3 (so a long tofu apply never outlives it); when the task fails or is cancelled, the compensation releases
 * the reservation or BYO zone and marks the Sovereign failed; when it completes, tracking stops.
 *
 * If the backend itself dies, renewals stop and the pool reservation expires at its TTL (PDM's sweeper frees it);
 * a BYO zone is removed by a retry or by the decommission template.
 */
export class ReservationKeeper {
  private readonly entries = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    private readonly options: {
      pdm: PoolAllocationClient;
      compensation: ProvisioningCompensation;
      taskStatus: TaskStatusSource;
      logger: LoggerService;
      pollIntervalMs?: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Starts (or, on a retried step, refreshes) tracking of a task's reservation. */
  track(reservation: TrackedReservation): void {
    const previous = this.entries.get(reservation.taskId);
    this.entries.set(reservation.taskId, {
      ...reservation,
      committed: previous?.committed ?? false,
      lastRenewedAt: this.now(),
    });
    this.ensureTimer();
  }

  /** The allocation is active: renewing stops, but a later failure still compensates. */
  markCommitted(taskId: string): void {
    const entry = this.entries.get(taskId);
    if (entry) entry.committed = true;
  }

  /** Stops tracking without touching the reservation (e.g. it was released explicitly). */
  forget(taskId: string): void {
    this.entries.delete(taskId);
    if (this.entries.size === 0) this.stop();
  }

  tracked(taskId: string): Readonly<TrackedReservation> | undefined {
    return this.entries.get(taskId);
  }

  /** One pass over the tracked tasks. Exposed so tests drive time instead of waiting for it. */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private ensureTimer() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch(e =>
        this.options.logger.error(`Reservation keeper pass failed: ${e}`),
      );
    }, this.options.pollIntervalMs ?? 15_000);
    // Never keep the process alive just for this.
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    const { logger, compensation, taskStatus } = this.options;
    for (const entry of [...this.entries.values()]) {
      let status: TaskStatus | 'missing';
      try {
        status = await taskStatus(entry.taskId);
      } catch (e) {
        if (
          e instanceof NotFoundError ||
          (e as Error).name === 'NotFoundError'
        ) {
          status = 'missing';
        } else {
          // Cannot tell: keep the reservation alive rather than risk releasing a running Sovereign's name.
          logger.warn(
            `Could not read the status of task ${entry.taskId}: ${
              (e as Error).message
            }`,
          );
          await this.renewIfDue(entry);
          continue;
        }
      }
      if (status === 'completed' || status === 'skipped') {
        this.forget(entry.taskId);
      } else if (
        status === 'failed' ||
        status === 'cancelled' ||
        status === 'missing'
      ) {
        this.forget(entry.taskId);
        await compensation.compensate(
          entry,
          `task ${entry.taskId} ${
            status === 'missing' ? 'no longer exists' : status
          }`,
        );
      } else {
        await this.renewIfDue(entry);
      }
    }
  }

  private async renewIfDue(entry: Entry): Promise<void> {
    if (
      entry.committed ||
      entry.domain.mode !== 'pool' ||
      !entry.reservationToken
    ) {
      return;
    }
    if (this.now() - entry.lastRenewedAt < (entry.ttlSeconds * 1000) / 3) {
      return;
    }
    try {
      const { expiresAt } = await this.options.pdm.renew(
        entry.domain.poolDomain!,
        {
          subdomain: entry.domain.subdomain!,
          reservationToken: entry.reservationToken,
          ttlSeconds: entry.ttlSeconds,
        },
      );
      entry.lastRenewedAt = this.now();
      this.options.logger.info(
        `Renewed the reservation of ${entry.fqdn} for task ${entry.taskId} until ${expiresAt}`,
      );
    } catch (e) {
      this.options.logger.error(
        `Could not renew the reservation of ${entry.fqdn} for task ${
          entry.taskId
        }: ${(e as Error).message}`,
      );
    }
  }
}
