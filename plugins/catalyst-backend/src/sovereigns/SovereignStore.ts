import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  isSovereignReclaimable,
  SovereignEvent,
  SovereignEventLevel,
  SovereignRecord,
  SovereignRecordPhase,
  sovereignRecordUpsertSchema,
} from '@catalyst/plugin-catalyst-common';
import { Knex } from 'knex';
import { z } from 'zod/v3';

const migrationsDir = resolvePackagePath(
  '@catalyst/plugin-catalyst-backend',
  'migrations',
);

const SOVEREIGNS = 'catalyst_sovereigns';
const EVENTS = 'catalyst_sovereign_events';

/** The reference kept the newest 10,000 events per deployment; we keep the same bound, persisted. */
export const MAX_EVENTS_PER_SOVEREIGN = 10_000;

export type SovereignUpsertInput = z.output<typeof sovereignRecordUpsertSchema>;

type SovereignRow = {
  name: string;
  fqdn: string;
  organization: string;
  owner: string;
  phase: string;
  phase_reason: string | null;
  task_id: string | null;
  record: string;
  created_at: string;
  updated_at: string;
  phase_changed_at: string | null;
};

type EventRow = {
  id: number | string;
  sovereign_name: string;
  time: string;
  phase: string;
  level: string;
  message: string;
};

/** Fields kept in the JSON column; the rest have their own columns so they can be queried. */
type RecordBody = Omit<
  SovereignUpsertInput,
  'fqdn' | 'organization' | 'owner' | 'phase' | 'phaseReason' | 'taskId'
>;

export type SovereignUpsertResult = {
  record: SovereignRecord;
  created: boolean;
};

/** A stored event with its position in the history (ascending; used as the SSE event id). */
export type SovereignEventEntry = { id: number; event: SovereignEvent };

/** Announced after a write to a Sovereign or its history has been committed. */
export type SovereignStoreChange = { name: string };

type PhaseChange = {
  phase: SovereignRecordPhase;
  reason?: string;
  message: string;
};

const CHANGE = 'change';

/** PostgreSQL channel on which every backend replica announces its Sovereign writes to the others. */
export const SOVEREIGN_CHANGES_CHANNEL = 'catalyst_sovereign_changes';

/** A pg client connection as knex hands it out (only what LISTEN needs). */
interface PgConnection {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (msg: { channel: string; payload?: string }) => void,
  ): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(event?: string): void;
}

/** Persistence of the Sovereign registry (plugin database, knex migrations in `migrations/`). */
export class SovereignStore {
  static async create(
    database: DatabaseService,
    options?: { now?: () => Date },
  ): Promise<SovereignStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SovereignStore(client, options?.now ?? (() => new Date()));
  }

  private readonly changes = new EventEmitter();
  /** Tells this instance's own notifications from other replicas' ones. */
  private readonly instanceId = randomUUID();
  private listener?: PgConnection;
  /** Set while someone subscribes: the LISTEN connection being (or done being) set up. */
  private listening?: Promise<void>;
  private subscribers = 0;

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {
    // One listener per open event stream; there is no meaningful upper bound.
    this.changes.setMaxListeners(0);
  }

  /**
   * Calls `listener` after every committed write to a Sovereign (record, phase, event or removal) made through
   * this store. Answers the function that unsubscribes.
   */
  onChange(listener: (change: SovereignStoreChange) => void): () => void {
    this.changes.on(CHANGE, listener);
    this.subscribers += 1;
    if (this.subscribers === 1) this.startListening();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.changes.off(CHANGE, listener);
      this.subscribers -= 1;
      if (this.subscribers === 0) this.stopListening();
    };
  }

  /** Resolves once writes of other replicas are being heard (at once on SQLite: there are none). */
  async ready(): Promise<void> {
    await this.listening?.catch(() => undefined);
  }

  private announce(name: string) {
    this.changes.emit(CHANGE, { name } satisfies SovereignStoreChange);
    if (this.isPostgres) {
      // Other replicas hear it at once through LISTEN; a lost notification is caught by their streams' poll.
      this.db
        .raw('SELECT pg_notify(?, ?)', [
          SOVEREIGN_CHANGES_CHANNEL,
          JSON.stringify({ from: this.instanceId, name }),
        ])
        .catch(() => undefined);
    }
  }

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /**
   * PostgreSQL: while anyone subscribes, one connection of the pool LISTENs for the writes of other replicas and
   * announces them here, so a stream served by this replica sees a change made on another one at once. SQLite is
   * one process: nothing to do. A lost connection is replaced after a second.
   */
  private startListening() {
    if (!this.isPostgres) return;
    this.listening = this.listen().catch(() => {
      setTimeout(() => {
        if (this.subscribers > 0 && !this.listener) this.startListening();
      }, 1000).unref();
    });
  }

  private stopListening() {
    const pending = this.listening;
    this.listening = undefined;
    pending?.then(() => this.releaseListener()).catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const connection =
      (await this.db.client.acquireConnection()) as PgConnection;
    const retry = () => {
      if (this.listener !== connection) return;
      this.listener = undefined;
      connection.removeAllListeners('notification');
      this.db.client.releaseConnection(connection).catch(() => undefined);
      if (this.subscribers > 0) {
        setTimeout(() => {
          if (this.subscribers > 0 && !this.listener) this.startListening();
        }, 1000).unref();
      }
    };
    connection.on('notification', msg => {
      if (msg.channel !== SOVEREIGN_CHANGES_CHANNEL || !msg.payload) return;
      try {
        const { from, name } = JSON.parse(msg.payload);
        if (from !== this.instanceId && typeof name === 'string') {
          this.changes.emit(CHANGE, { name } satisfies SovereignStoreChange);
        }
      } catch {
        // Not ours.
      }
    });
    connection.on('error', retry);
    connection.on('end', retry);
    this.listener = connection;
    await connection.query(`LISTEN ${SOVEREIGN_CHANGES_CHANNEL}`);
    // Everyone unsubscribed while this was being set up.
    if (this.subscribers === 0) await this.releaseListener();
  }

  /** Gives the LISTEN connection back to the pool (last subscriber gone, backend shutdown). */
  async close(): Promise<void> {
    this.subscribers = 0;
    this.listening = undefined;
    await this.releaseListener();
  }

  private async releaseListener(): Promise<void> {
    const connection = this.listener;
    this.listener = undefined;
    if (connection) {
      connection.removeAllListeners('notification');
      try {
        await connection.query(`UNLISTEN ${SOVEREIGN_CHANGES_CHANNEL}`);
      } finally {
        await this.db.client.releaseConnection(connection);
      }
    }
  }

  async list(): Promise<SovereignRecord[]> {
    const rows = await this.db<SovereignRow>(SOVEREIGNS).orderBy('name');
    return rows.map(rowToRecord);
  }

  /** The Sovereigns currently in `phase`, by name. */
  async listInPhase(phase: SovereignRecordPhase): Promise<SovereignRecord[]> {
    const rows = await this.db<SovereignRow>(SOVEREIGNS)
      .where({ phase })
      .orderBy('name');
    return rows.map(rowToRecord);
  }

  async get(name: string): Promise<SovereignRecord | undefined> {
    const row = await this.db<SovereignRow>(SOVEREIGNS).where({ name }).first();
    return row ? rowToRecord(row) : undefined;
  }

  /**
   * Creates or replaces a Sovereign. A new record, or a phase different from the stored one, is also written to
   * the event history so the timeline shows how the Sovereign got where it is.
   *
   * An upsert never changes who a record belongs to: a stored record keeps its FQDN, and keeps its owner and
   * provisioning task while it holds its FQDN. Only a record in a reclaimable phase (failed, decommissioned) may
   * be taken over by a new provisioning run, which then records its own owner and task.
   */
  async upsert(
    name: string,
    input: SovereignUpsertInput,
  ): Promise<SovereignUpsertResult> {
    const result = await this.db.transaction(async tx => {
      const existing = await tx<SovereignRow>(SOVEREIGNS)
        .where({ name })
        .first();
      const time = this.now().toISOString();
      if (existing) refuseTakeover(existing, input);
      const {
        fqdn,
        organization,
        owner,
        phase: requestedPhase,
        phaseReason: requestedReason,
        taskId,
        ...body
      } = input;
      // Without a phase the stored lifecycle state is kept: re-recording details must not reset it.
      const phase = requestedPhase ?? existing?.phase ?? 'provisioning';
      const phaseReason = requestedPhase
        ? requestedReason
        : requestedReason ?? existing?.phase_reason ?? undefined;
      const row: SovereignRow = {
        name,
        fqdn,
        organization,
        owner,
        phase,
        phase_reason: phaseReason ?? null,
        task_id: taskId ?? existing?.task_id ?? null,
        record: JSON.stringify(body satisfies RecordBody),
        created_at: existing?.created_at ?? time,
        updated_at: time,
        phase_changed_at:
          existing?.phase === phase
            ? existing.phase_changed_at ?? existing.updated_at
            : time,
      };
      if (existing) {
        await tx<SovereignRow>(SOVEREIGNS).where({ name }).update(row);
        if (existing.phase !== phase) {
          await this.insertEvent(tx, name, {
            time,
            phase,
            level: levelOfPhase(phase),
            message:
              phaseReason ?? `Phase changed from ${existing.phase} to ${phase}`,
          });
        }
      } else {
        await tx<SovereignRow>(SOVEREIGNS).insert(row);
        await this.insertEvent(tx, name, {
          time,
          phase,
          level: 'info',
          message: `Sovereign ${fqdn} recorded in phase ${phase}`,
        });
      }
      return { record: rowToRecord(row), created: !existing };
    });
    this.announce(name);
    return result;
  }

  /** Moves a Sovereign to another phase and records why. */
  async setPhase(
    name: string,
    change: PhaseChange,
  ): Promise<{ record: SovereignRecord; event: SovereignEvent }> {
    const result = await this.db.transaction(async tx =>
      this.writePhase(tx, await this.requireRow(tx, name), change),
    );
    this.announce(name);
    return result;
  }

  /**
   * Moves a Sovereign to another phase only while it is still in `from` (checked in the same transaction), so a
   * background job never overrides a change someone made meanwhile. Answers undefined when the phase had moved on.
   */
  async setPhaseFrom(
    name: string,
    from: SovereignRecordPhase,
    change: PhaseChange,
  ): Promise<{ record: SovereignRecord; event: SovereignEvent } | undefined> {
    const result = await this.db.transaction(async tx => {
      const existing = await this.requireRow(tx, name);
      if (existing.phase !== from) return undefined;
      return this.writePhase(tx, existing, change);
    });
    if (result) this.announce(name);
    return result;
  }

  private async writePhase(
    tx: Knex.Transaction,
    existing: SovereignRow,
    change: PhaseChange,
  ): Promise<{ record: SovereignRecord; event: SovereignEvent }> {
    const name = existing.name;
    const time = this.now().toISOString();
    const updated: SovereignRow = {
      ...existing,
      phase: change.phase,
      phase_reason: change.reason ?? null,
      updated_at: time,
      phase_changed_at:
        existing.phase === change.phase
          ? existing.phase_changed_at ?? existing.updated_at
          : time,
    };
    await tx<SovereignRow>(SOVEREIGNS).where({ name }).update({
      phase: updated.phase,
      phase_reason: updated.phase_reason,
      updated_at: time,
      phase_changed_at: updated.phase_changed_at,
    });
    const event: SovereignEvent = {
      time,
      phase: change.phase,
      level: levelOfPhase(change.phase),
      message: change.message,
    };
    await this.insertEvent(tx, name, event);
    return { record: rowToRecord(updated), event };
  }

  /** Appends one event; without a phase it is filed under the Sovereign's current phase. */
  async appendEvent(
    name: string,
    input: { level: SovereignEventLevel; message: string; phase?: string },
  ): Promise<SovereignEvent> {
    const result = await this.db.transaction(async tx => {
      const existing = await this.requireRow(tx, name);
      const event: SovereignEvent = {
        time: this.now().toISOString(),
        phase: input.phase ?? existing.phase,
        level: input.level,
        message: input.message,
      };
      await this.insertEvent(tx, name, event);
      return event;
    });
    this.announce(name);
    return result;
  }

  /** Events oldest first; `limit` keeps the newest ones. */
  async listEvents(
    name: string,
    options?: { limit?: number },
  ): Promise<SovereignEvent[]> {
    await this.requireRow(this.db, name);
    const limit = options?.limit ?? MAX_EVENTS_PER_SOVEREIGN;
    const rows = await this.db<EventRow>(EVENTS)
      .where({ sovereign_name: name })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.reverse().map(rowToEvent);
  }

  /**
   * Events after position `afterId` (all when omitted), oldest first, with their positions; `limit` keeps the
   * newest ones. What an event stream replays and then tails.
   */
  async listEventEntries(
    name: string,
    options?: { afterId?: number; limit?: number },
  ): Promise<SovereignEventEntry[]> {
    await this.requireRow(this.db, name);
    const rows = await this.db<EventRow>(EVENTS)
      .where({ sovereign_name: name })
      .andWhere('id', '>', options?.afterId ?? 0)
      .orderBy('id', 'desc')
      .limit(options?.limit ?? MAX_EVENTS_PER_SOVEREIGN);
    return rows
      .reverse()
      .map(row => ({ id: Number(row.id), event: rowToEvent(row) }));
  }

  /** Removes a Sovereign and its history; answers the removed record. */
  async delete(name: string): Promise<SovereignRecord> {
    const result = await this.db.transaction(async tx => {
      const existing = await this.requireRow(tx, name);
      await tx(EVENTS).where({ sovereign_name: name }).delete();
      await tx(SOVEREIGNS).where({ name }).delete();
      return rowToRecord(existing);
    });
    this.announce(name);
    return result;
  }

  private async requireRow(db: Knex, name: string): Promise<SovereignRow> {
    const row = await db<SovereignRow>(SOVEREIGNS).where({ name }).first();
    if (!row) {
      throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
    }
    return row;
  }

  private async insertEvent(
    tx: Knex.Transaction,
    name: string,
    event: SovereignEvent,
  ) {
    await tx(EVENTS).insert({
      sovereign_name: name,
      time: event.time,
      phase: event.phase,
      level: event.level,
      message: event.message,
    });
    // Trim to the newest MAX_EVENTS_PER_SOVEREIGN rows; the subquery form works on SQLite and PostgreSQL.
    const boundary = await tx<EventRow>(EVENTS)
      .where({ sovereign_name: name })
      .orderBy('id', 'desc')
      .offset(MAX_EVENTS_PER_SOVEREIGN)
      .limit(1)
      .select('id')
      .first();
    if (boundary) {
      await tx(EVENTS)
        .where({ sovereign_name: name })
        .andWhere('id', '<=', boundary.id)
        .delete();
    }
  }
}

/** Refuses an upsert that would hand a stored record to another FQDN, owner or provisioning task. */
function refuseTakeover(existing: SovereignRow, input: SovereignUpsertInput) {
  if (existing.fqdn !== input.fqdn) {
    throw new ConflictError(
      `Sovereign '${existing.name}' is ${existing.fqdn}; a record for ${input.fqdn} cannot replace it`,
    );
  }
  if (isSovereignReclaimable(existing.phase)) return;
  if (existing.owner !== input.owner) {
    throw new ConflictError(
      `Sovereign ${existing.fqdn} belongs to ${existing.owner}; its owner cannot be changed while it is ${existing.phase}`,
    );
  }
  if (input.taskId && existing.task_id && input.taskId !== existing.task_id) {
    throw new ConflictError(
      `Sovereign ${existing.fqdn} is held by provisioning task ${existing.task_id} (phase ${existing.phase}); another task cannot record it`,
    );
  }
}

function levelOfPhase(phase: string): SovereignEventLevel {
  return phase === 'failed' ? 'error' : 'info';
}

function rowToEvent(row: EventRow): SovereignEvent {
  return {
    time: row.time,
    phase: row.phase,
    level: row.level as SovereignEventLevel,
    message: row.message,
  };
}

function rowToRecord(row: SovereignRow): SovereignRecord {
  const body = JSON.parse(row.record) as RecordBody;
  const record: SovereignRecord = {
    name: row.name,
    fqdn: row.fqdn,
    organization: row.organization,
    owner: row.owner,
    adminEmail: body.adminEmail,
    topology: body.topology,
    domain: body.domain,
    components: body.components,
    blueprints: body.blueprints,
    notInstallable: body.notInstallable,
    dnsRecords: body.dnsRecords,
    phase: row.phase as SovereignRecordPhase,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (body.gitops) record.gitops = body.gitops;
  if (body.outputs) record.outputs = body.outputs;
  if (body.tls) record.tls = body.tls;
  if (body.request) record.request = body.request;
  if (row.phase_changed_at) record.phaseChangedAt = row.phase_changed_at;
  if (row.phase_reason) record.phaseReason = row.phase_reason;
  if (row.task_id) record.taskId = row.task_id;
  return record;
}
