import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
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

/** What the register step knows before anything is reserved. */
export type WatchedTask = Omit<TrackedReservation, 'reservationToken'>;

export interface KeeperEntry extends TrackedReservation {
  /** False while only the register step has handed the task over: nothing of the domain is held yet. */
  reserved: boolean;
  committed: boolean;
  state: 'tracking' | 'compensating';
  lastRenewedAt: number;
}

const TABLE = 'catalyst_reservation_keeper';
/** The scaffolder owns this database's knex_migrations; Catalyst's tables keep their own list. */
const MIGRATIONS_TABLE = 'catalyst_actions_knex_migrations';

const migrationsDir = resolvePackagePath(
  '@catalyst/plugin-scaffolder-backend-module-catalyst',
  'migrations',
);

interface Row {
  task_id: string;
  entity_name: string;
  fqdn: string;
  domain: string;
  reservation_token: string | null;
  ttl_seconds: number | string;
  committed: boolean | number;
  reserved: boolean | number;
  state: 'tracking' | 'compensating';
  last_renewed_at: number | string;
  reason: string | null;
}

function toEntry(row: Row): KeeperEntry {
  return {
    taskId: row.task_id,
    entityName: row.entity_name,
    fqdn: row.fqdn,
    domain: JSON.parse(row.domain),
    reservationToken: row.reservation_token ?? undefined,
    ttlSeconds: Number(row.ttl_seconds),
    reserved: Boolean(row.reserved),
    committed: Boolean(row.committed),
    state: row.state,
    lastRenewedAt: Number(row.last_renewed_at),
  };
}

/**
 * Keeps what `catalyst:pdm:reserve` took alive for exactly as long as its task runs, and gives it back when the
 * task ends badly.
 *
 * The scaffolder has no on-failure steps, so no later step can be trusted to clean up. Instead every tracked task
 * is a row in the database (written by the register step with nothing reserved yet, completed by the reserve step) and a global scheduler task (one runner at a time across all backend replicas) calls
 * `tick`: while a task runs (or waits to be recovered after its backend died), an uncommitted pool reservation is
 * renewed every ttl/3 (so a long tofu apply never outlives it); when the task fails, is cancelled or vanished, the
 * row moves to `compensating` in one conditional update, the compensation releases the reservation or BYO zone and
 * marks the Sovereign failed, and the row is deleted; when the task completes, the row is deleted. A pass that
 * dies half-way leaves a `compensating` row, which the next pass (on any replica) finishes: the compensation is
 * idempotent (an already released domain counts as released).
 */
export class ReservationKeeper {
  static async create(options: {
    database: DatabaseService;
    pdm: PoolAllocationClient;
    compensation: ProvisioningCompensation;
    taskStatus: TaskStatusSource;
    logger: LoggerService;
    now?: () => number;
  }): Promise<ReservationKeeper> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new ReservationKeeper({ ...options, db });
  }

  private ticking?: Promise<void>;

  constructor(
    private readonly options: {
      db: Knex;
      pdm: PoolAllocationClient;
      compensation: ProvisioningCompensation;
      taskStatus: TaskStatusSource;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  private get db(): Knex {
    return this.options.db;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Hands a task to the keeper as soon as it holds a Sovereign, before anything is reserved: a task that fails
   * before its reserve step still gets its Sovereign marked failed. A row the task already has is left as it is
   * (a recovered or later register step must not forget a reservation).
   */
  async watch(task: WatchedTask): Promise<void> {
    await this.db(TABLE)
      .insert({
        task_id: task.taskId,
        entity_name: task.entityName,
        fqdn: task.fqdn,
        domain: JSON.stringify(task.domain),
        reservation_token: null,
        ttl_seconds: task.ttlSeconds,
        reserved: false,
        committed: false,
        state: 'tracking',
        last_renewed_at: this.now(),
      })
      .onConflict('task_id')
      .ignore();
  }

  /** Starts (or, on a retried or recovered step, refreshes) tracking of a task's reservation. */
  async track(reservation: TrackedReservation): Promise<void> {
    const fields = {
      entity_name: reservation.entityName,
      fqdn: reservation.fqdn,
      domain: JSON.stringify(reservation.domain),
      reservation_token: reservation.reservationToken ?? null,
      ttl_seconds: reservation.ttlSeconds,
      reserved: true,
      last_renewed_at: this.now(),
    };
    await this.db(TABLE)
      .insert({
        task_id: reservation.taskId,
        committed: false,
        state: 'tracking',
        ...fields,
      })
      .onConflict('task_id')
      .merge(Object.keys(fields));
  }

  /** The allocation is active: renewing stops, but a later failure still compensates. */
  async markCommitted(taskId: string): Promise<void> {
    await this.db(TABLE).where({ task_id: taskId }).update({ committed: true });
  }

  /** Stops tracking without touching the reservation (e.g. it was released explicitly). */
  async forget(taskId: string): Promise<void> {
    await this.db(TABLE).where({ task_id: taskId }).delete();
  }

  async tracked(taskId: string): Promise<Readonly<KeeperEntry> | undefined> {
    const row = await this.db<Row>(TABLE).where({ task_id: taskId }).first();
    return row ? toEntry(row) : undefined;
  }

  /** One pass over the tracked tasks; the scheduler runs it, tests call it to drive time. */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async runTick(): Promise<void> {
    const { logger, taskStatus } = this.options;
    const rows = await this.db<Row>(TABLE).orderBy('task_id');
    for (const entry of rows.map(toEntry)) {
      if (entry.state === 'compensating') {
        // A pass died half-way through this compensation: finish it.
        await this.compensate(entry, undefined);
        continue;
      }
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
        await this.forget(entry.taskId);
      } else if (
        status === 'failed' ||
        status === 'cancelled' ||
        status === 'missing'
      ) {
        await this.compensate(
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

  /**
   * Claims the compensation (tracking → compensating, only one claimant wins), runs it and deletes the row.
   * `reason` undefined = finishing a claim an earlier pass made.
   */
  private async compensate(entry: KeeperEntry, reason: string | undefined) {
    if (reason !== undefined) {
      const claimed = await this.db(TABLE)
        .where({ task_id: entry.taskId, state: 'tracking' })
        .update({ state: 'compensating', reason });
      if (claimed !== 1) return;
    }
    // The row as claimed, not as the pass read it: the reserve step may have written to it in between.
    const row = await this.db<Row>(TABLE)
      .where({ task_id: entry.taskId })
      .first();
    if (!row) return;
    const why = row.reason ?? reason ?? `task ${entry.taskId} ended`;
    const { domainReleased } = await this.options.compensation.compensate(
      toEntry(row),
      why,
    );
    // PDM unreachable: the row stays `compensating` and the next pass tries the release again.
    if (domainReleased) await this.forget(entry.taskId);
  }

  private async renewIfDue(entry: KeeperEntry): Promise<void> {
    if (
      !entry.reserved ||
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
      await this.db(TABLE)
        .where({ task_id: entry.taskId })
        .update({ last_renewed_at: this.now() });
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
