import { Knex } from 'knex';
import { THIS_REPLICA } from './TofuHolder';

const TABLE = 'catalyst_backend_replicas';

/** A replica whose heartbeat is older than this is gone. */
export const REPLICA_STALE_MS = 45_000;
const HEARTBEAT_MS = 10_000;

/**
 * Heartbeats of the running backend processes, in the shared database (the table comes with the reservation
 * keeper's migrations). They answer whether a replica on another host is still alive; on this host the process
 * table answers faster.
 */
export class ReplicaRegistry {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Knex,
    private readonly options: { replica?: string; now?: () => number } = {},
  ) {}

  private get replica(): string {
    return this.options.replica ?? THIS_REPLICA;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async beat(): Promise<void> {
    await this.db(TABLE)
      .insert({ replica: this.replica, heartbeat_at: this.now() })
      .onConflict('replica')
      .merge(['heartbeat_at']);
  }

  /** Beats now and every 10 s; old rows of replicas gone for a day are removed on the way. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat()
        .then(() =>
          this.db(TABLE)
            .where('heartbeat_at', '<', this.now() - 24 * 3600_000)
            .delete(),
        )
        .catch(() => undefined);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** A clean shutdown: this replica is gone at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.db(TABLE).where({ replica: this.replica }).delete();
  }

  async alive(replica: string): Promise<boolean> {
    const row = await this.db(TABLE).where({ replica }).first('heartbeat_at');
    return (
      row !== undefined &&
      this.now() - Number(row.heartbeat_at) < REPLICA_STALE_MS
    );
  }
}
