import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Moves one changed entity to the front of the catalog's queues. */
export interface CatalogPriority {
  /**
   * Call before the delta mutation that changes `entityRef`: reads the entity's current processing result. The
   * returned function, called once the mutation is applied, moves the entity to the front of the processing
   * queue and then, once it is processed, to the front of the stitching queue (in the background).
   */
  prepare(entityRef: string): Promise<() => Promise<void>>;
}

/** Both queues take due rows oldest first; this time sorts before any other. */
const FRONT_OF_QUEUE = '1970-01-01 00:00:00';

export type CatalogPriorityOptions = {
  database: DatabaseService;
  logger: LoggerService;
  /** How long to wait for the catalog to process a change before leaving it to the stitching queue's order. Default 30 s. */
  watchMs?: number;
  /** At most this many changes are watched at once; more queue as usual. Default 50. */
  maxWatched?: number;
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The catalog works in two first-in, first-out queues: processing (`refresh_state`, by `next_update_at`) and
 * stitching (`stitch_queue`, by `next_stitch_at`). Every public way to ask for processing (a delta mutation, a
 * refresh) puts the entity behind everything already due, and processing puts it behind everything already
 * waiting to be stitched. While thousands of entities load, a single change would wait minutes in each.
 *
 * A catalog module shares the catalog's database, so for a change a provider has just applied this:
 * 1. marks the entity's `refresh_state` row due since long ago: the processing loop takes it in its next batch;
 * 2. watches the row's `result_hash` (written in the same transaction that queues the entity for stitching), and
 *    once it changes marks the entity's `stitch_queue` row due since long ago too, if it is still waiting (a row
 *    being stitched has a lease time in the future and is left alone).
 * Nothing else about the rows changes; both loops reschedule them as usual. If the catalog's tables ever differ
 * from what this expects, the first failure turns it off with a warning, and changes queue as they would without
 * it.
 */
export function catalogPriority(
  options: CatalogPriorityOptions,
): CatalogPriority {
  const watchMs = options.watchMs ?? 30_000;
  const maxWatched = options.maxWatched ?? 50;
  let off = false;
  let watched = 0;

  const disable = (error: unknown) => {
    if (off) return;
    off = true;
    options.logger.warn(
      `Could not move changed entities to the front of the catalog's queues; changes now queue behind earlier work: ${error}`,
    );
  };

  const resultHashOf = async (knex: Knex, entityRef: string) => {
    const row = await knex('refresh_state')
      .where({ entity_ref: entityRef })
      .first('result_hash');
    return row ? String(row.result_hash ?? '') : undefined;
  };

  const hurryStitch = async (
    knex: Knex,
    entityRef: string,
    before: string | undefined,
  ) => {
    const giveUpAt = Date.now() + watchMs;
    for (let wait = 50; Date.now() < giveUpAt; wait = Math.min(wait * 2, 800)) {
      await sleep(wait);
      const now = await resultHashOf(knex, entityRef);
      if (now === undefined) return; // removed meanwhile
      if (now !== before) {
        await knex('stitch_queue')
          .where({ entity_ref: entityRef })
          .andWhere('next_stitch_at', '<=', knex.fn.now())
          .update({ next_stitch_at: FRONT_OF_QUEUE });
        return;
      }
    }
  };

  return {
    async prepare(entityRef) {
      if (off || watched >= maxWatched) return async () => {};
      let knex: Knex;
      let before: string | undefined;
      try {
        knex = await options.database.getClient();
        before = await resultHashOf(knex, entityRef);
      } catch (error) {
        disable(error);
        return async () => {};
      }
      return async () => {
        if (off) return;
        try {
          await knex('refresh_state')
            .where({ entity_ref: entityRef })
            .update({ next_update_at: FRONT_OF_QUEUE });
        } catch (error) {
          disable(error);
          return;
        }
        watched += 1;
        void hurryStitch(knex, entityRef, before)
          .catch(disable)
          .finally(() => {
            watched -= 1;
          });
      };
    },
  };
}
