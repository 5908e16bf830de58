import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { SovereignRecordPhase } from '@catalyst/plugin-catalyst-common';
import { Request, Response } from 'express';
import { SovereignStore } from './SovereignStore';

/** Phases after which nothing more happens to a Sovereign's history on its own. */
export const TERMINAL_SOVEREIGN_PHASES: readonly SovereignRecordPhase[] = [
  'ready',
  'degraded',
  'failed',
  'decommissioned',
];

export interface SovereignEventStreamOptions {
  store: SovereignStore;
  logger: LoggerService;
  /** A comment line this often keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
  /**
   * A safety net: on PostgreSQL the store hears other replicas' writes at once (LISTEN/NOTIFY), on SQLite there
   * is one process; this poll catches a notification lost while the listening connection was being replaced.
   */
  pollMs?: number;
}

/** Whether the client asked for Server-Sent Events rather than JSON. */
export function wantsEventStream(req: Request): boolean {
  return (req.get('accept') ?? '')
    .split(',')
    .some(
      type => type.trim().split(';')[0].toLowerCase() === 'text/event-stream',
    );
}

/**
 * `GET /v1/sovereigns/:name/events` as Server-Sent Events (docs/provisioning.md §7): replays the stored events as
 * `data:` lines (each with its position as `id:`, so `Last-Event-ID` resumes after it), then writes new ones as
 * the store announces them, and ends with `event: done` carrying the record once its phase is terminal.
 */
export async function streamSovereignEvents(
  req: Request,
  res: Response,
  name: string,
  options: SovereignEventStreamOptions & { limit?: number },
): Promise<void> {
  const { store, logger } = options;
  // Answer 404 as JSON before the stream starts.
  if (!(await store.get(name))) {
    throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
  }
  const resumeAfter = Number(req.get('last-event-id'));
  let lastId =
    Number.isInteger(resumeAfter) && resumeAfter > 0 ? resumeAfter : 0;

  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    timers.forEach(clearInterval);
    res.end();
  };
  const write = (text: string) => {
    if (closed) return;
    res.write(text);
    // The root router compresses responses; without a flush the frames would wait in its buffer.
    (res as Response & { flush?: () => void }).flush?.();
  };

  // One catch-up at a time, so events go out once and in order however many notifications arrive.
  let pending: Promise<void> = Promise.resolve();
  let first = true;
  const catchUp = () => {
    pending = pending.then(async () => {
      if (closed) return;
      try {
        const entries = await store.listEventEntries(name, {
          afterId: lastId,
          ...(first ? { limit: options.limit } : {}),
        });
        first = false;
        for (const { id, event } of entries) {
          write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
          lastId = id;
        }
        const record = await store.get(name);
        if (!record) throw new NotFoundError(`Sovereign '${name}' was removed`);
        if (TERMINAL_SOVEREIGN_PHASES.includes(record.phase)) {
          write(`event: done\ndata: ${JSON.stringify(record)}\n\n`);
          close();
        }
      } catch (error) {
        if (
          error instanceof NotFoundError ||
          (error as Error).name === 'NotFoundError'
        ) {
          write(
            `event: error\ndata: ${JSON.stringify({
              message: `Sovereign '${name}' is no longer in the registry`,
            })}\n\n`,
          );
        } else {
          logger.warn(`Event stream of Sovereign ${name} failed: ${error}`);
        }
        close();
      }
    });
  };

  req.on('close', close);
  unsubscribe = store.onChange(change => {
    if (change.name === name) catchUp();
  });
  // Hear other replicas before the first read, so nothing written in between is missed.
  await store.ready();
  catchUp();
  timers.push(
    setInterval(() => write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000),
    setInterval(catchUp, options.pollMs ?? 5_000),
  );
  await pending;
}
