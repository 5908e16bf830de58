import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { z } from 'zod/v3';
import { RecordSource } from './CatalystApiRecordSource';
import { CatalogPriority } from './CatalogPriority';

type Change<R> = { action: 'upsert' | 'delete'; record: R };

export type CatalystRecordEntityProviderOptions<R> = {
  /** Stable provider name: the catalog keys the entities it owns by it. */
  providerName: string;
  /** Events service topic carrying `{action: 'upsert' | 'delete', record}`. */
  topic: string;
  recordSchema: z.ZodType<R>;
  toEntity: (record: R) => Entity;
  source: RecordSource<R>;
  events: EventsService;
  taskRunner: SchedulerServiceTaskRunner;
  logger: LoggerService;
  /**
   * Moves an entity changed by an event to the front of the catalog's processing and stitching queues
   * (CatalogPriority), so the change shows within about a second even while thousands of entities load.
   */
  priority?: CatalogPriority;
};

/**
 * Publishes records kept by catalyst-backend as catalog entities:
 * - each change announced on the events service becomes a delta mutation, so the catalog follows within seconds;
 * - a full mutation from the HTTP source on connect and on a schedule repairs anything an event missed.
 *
 * Mutations are applied one at a time. Changes that arrive while a full read is in flight are re-applied after
 * it, so an older snapshot never overwrites a newer event. With a `priority`, every change applied from an event
 * jumps the catalog's queues instead of waiting behind earlier work.
 */
export class CatalystRecordEntityProvider<R> implements EntityProvider {
  private connection?: EntityProviderConnection;
  private queue: Promise<void> = Promise.resolve();
  private changesDuringResync?: Change<R>[];
  private resyncing?: Promise<void>;

  constructor(
    private readonly options: CatalystRecordEntityProviderOptions<R>,
  ) {}

  getProviderName(): string {
    return this.options.providerName;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.events.subscribe({
      id: this.options.providerName,
      topics: [this.options.topic],
      onEvent: params => this.onEvent(params),
    });
    await this.options.taskRunner.run({
      id: `${this.options.providerName}:resync`,
      fn: () => this.resync(),
    });
  }

  /** Replaces everything this provider owns with the source's current records. One resync runs at a time. */
  resync(): Promise<void> {
    if (!this.resyncing) {
      this.resyncing = this.resyncOnce().finally(() => {
        this.resyncing = undefined;
      });
    }
    return this.resyncing;
  }

  private async resyncOnce(): Promise<void> {
    const connection = this.requireConnection();
    const logger = this.options.logger;
    this.changesDuringResync = [];
    let records: R[];
    try {
      records = await this.options.source.list();
    } catch (error) {
      this.changesDuringResync = undefined;
      logger.warn(
        `${this.options.providerName}: resync failed, keeping the current entities: ${error}`,
      );
      return;
    }
    const entities = records.map(record => this.deferred(record));
    await this.enqueue(async () => {
      const missed = this.changesDuringResync ?? [];
      this.changesDuringResync = undefined;
      await connection.applyMutation({ type: 'full', entities });
      for (const change of missed) {
        await this.applyChange(change);
      }
      logger.info(
        `${this.options.providerName}: published ${records.length} entities`,
      );
    });
  }

  private async onEvent(params: EventParams): Promise<void> {
    const payload = params.eventPayload as {
      action?: unknown;
      record?: unknown;
    };
    const parsed = this.options.recordSchema.safeParse(payload?.record);
    if (
      !parsed.success ||
      (payload.action !== 'upsert' && payload.action !== 'delete')
    ) {
      this.options.logger.warn(
        `${this.options.providerName}: ignoring a malformed ${
          params.topic
        } event${parsed.success ? '' : `: ${parsed.error.issues[0]?.message}`}`,
      );
      return;
    }
    const change: Change<R> = { action: payload.action, record: parsed.data };
    this.changesDuringResync?.push(change);
    if (!this.connection) return;
    await this.enqueue(() => this.applyChange(change));
  }

  /** Applies one change as a delta mutation; an upsert goes to the front of the catalog's queues. */
  private async applyChange(change: Change<R>) {
    const hurry =
      change.action === 'upsert'
        ? await this.options.priority?.prepare(
            stringifyEntityRef(this.options.toEntity(change.record)),
          )
        : undefined;
    await this.applyDelta(change);
    await hurry?.();
  }

  private async applyDelta(change: Change<R>) {
    const connection = this.requireConnection();
    const item = this.deferred(change.record);
    if (change.action === 'upsert') {
      await connection.applyMutation({
        type: 'delta',
        added: [item],
        removed: [],
      });
    } else {
      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [
          {
            entityRef: stringifyEntityRef(item.entity),
            locationKey: item.locationKey,
          },
        ],
      });
    }
  }

  private deferred(record: R) {
    return {
      entity: this.options.toEntity(record),
      locationKey: this.options.providerName,
    };
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    // Keep the chain alive after a failure; the caller still sees the error.
    this.queue = run.catch(error =>
      this.options.logger.warn(
        `${this.options.providerName}: applying a mutation failed: ${error}`,
      ),
    );
    return run;
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(`${this.options.providerName} is not connected yet`);
    }
    return this.connection;
  }
}
