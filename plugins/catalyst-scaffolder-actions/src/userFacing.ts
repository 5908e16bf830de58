import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * What a task shows a person: its log lines and, when a step fails, its error. The scaffolder prints a failed
 * step's `error.stack` into the task log, and both the log and the error message travel to the browser, so
 * every Catalyst action runs behind {@link userFacingAction}: a thrown error keeps its class and reads as its
 * message alone (no stack frames), and no log line or message carries an absolute path of the server. Paths in
 * the task's workspace become workspace-relative (`./clusters/<fqdn>`), any other server path is shortened to
 * its last segment (`…/gitops.git`).
 */

/** First segments of absolute filesystem paths on Linux and macOS servers (not URL paths such as /api/...). */
const FILESYSTEM_ROOTS = [
  'tmp',
  'var',
  'home',
  'root',
  'work',
  'srv',
  'opt',
  'usr',
  'data',
  'mnt',
  'media',
  'app',
  'etc',
  'run',
  'nix',
  'private',
  'Users',
  'Volumes',
  'workspace',
  'builds',
];

// An absolute path (optionally as a file:// URL) that starts a token: not the path part of an http(s) URL or of
// a relative path such as clusters/<fqdn>/.
const ABSOLUTE_PATH = new RegExp(
  `(?<![\\w.~:/-])(?:file://)?/(?:${FILESYSTEM_ROOTS.join(
    '|',
  )})(?:/[\\w.@+%=,-]+)*/?`,
  'g',
);

/** The text with every absolute server path made workspace-relative or shortened to its last segment. */
export function withoutServerPaths(
  text: string,
  workspacePath?: string,
): string {
  const workspace = workspacePath ? path.resolve(workspacePath) : undefined;
  return text.replace(ABSOLUTE_PATH, match => {
    const file = match.startsWith('file://')
      ? match.slice('file://'.length)
      : match;
    const trimmed = file.length > 1 ? file.replace(/\/+$/, '') : file;
    if (workspace) {
      if (trimmed === workspace) return '.';
      if (trimmed.startsWith(`${workspace}/`)) {
        return `./${path.relative(workspace, trimmed)}`;
      }
    }
    const last = path.basename(trimmed);
    return last ? `…/${last}` : '…';
  });
}

/** The error as a person should read it: its own message, without server paths, and no stack frames. */
export function userFacingError(error: unknown, workspacePath?: string): Error {
  const err =
    error instanceof Error ? error : new Error(String(error ?? 'failed'));
  const message = withoutServerPaths(err.message, workspacePath);
  try {
    err.message = message;
    // The scaffolder logs String(err.stack) for a failed step: the message is all a person needs.
    err.stack = message;
    // Causes travel with some errors (serialized by the backend's error handler): keep them out too.
    if ('cause' in err) (err as { cause?: unknown }).cause = undefined;
    return err;
  } catch {
    // A frozen error object: answer a plain one with the same name and the clean message.
    const plain = new Error(message);
    plain.name = err.name;
    plain.stack = message;
    return plain;
  }
}

/** A logger that writes every message without server paths (and no error objects with their stacks). */
export function userFacingLogger(
  logger: LoggerService,
  workspacePath?: string,
): LoggerService {
  const clean = (message: string) => withoutServerPaths(message, workspacePath);
  // Metadata stays (it is not shown to users), but an error's stack never goes along.
  const meta = (m?: unknown) =>
    m instanceof Error ? { error: clean(m.message) } : (m as any);
  return {
    error: (message, m) => logger.error(clean(message), meta(m)),
    warn: (message, m) => logger.warn(clean(message), meta(m)),
    info: (message, m) => logger.info(clean(message), meta(m)),
    debug: (message, m) => logger.debug(clean(message), meta(m)),
    child: m => userFacingLogger(logger.child(m), workspacePath),
  };
}

/** The action, with its task log and its failures in the words a person should read (see above). */
export function userFacingAction<A extends TemplateAction<any, any, any>>(
  action: A,
): A {
  return {
    ...action,
    handler: async (ctx: Parameters<A['handler']>[0]) => {
      const logger = userFacingLogger(ctx.logger, ctx.workspacePath);
      try {
        return await action.handler({ ...ctx, logger });
      } catch (error) {
        throw userFacingError(error, ctx.workspacePath);
      }
    },
  };
}
