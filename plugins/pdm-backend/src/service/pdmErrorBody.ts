import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import type { PdmErrorBody } from '@catalyst/plugin-catalyst-common';
import express from 'express';
import { PdmApiError } from './PdmApiError';

/** The reference API proxy's request cap (docs/api-contracts.md). */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The one place PDM's reference-compatible error body `{error, detail, …}` is produced (docs/api-contracts.md):
 * services throw {@link PdmApiError} (code, detail and extra fields such as `registrar`, `domain`,
 * `retryAfterSeconds`) or a `@backstage/errors` type, and this Express error handler answers with the reference's
 * code and shape. Unknown errors are logged and answered without their text.
 */
export function pdmErrorBody(options: {
  logger: LoggerService;
}): express.ErrorRequestHandler {
  const { logger } = options;
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const send = (status: number, body: PdmErrorBody) =>
      res.status(status).json(body);
    const e = error as { type?: string; status?: number };
    if (error instanceof PdmApiError) {
      send(error.status, {
        error: error.code,
        detail: error.message,
        ...error.extra,
      });
    } else if (e?.type === 'entity.too.large') {
      send(400, {
        error: 'request-too-large',
        detail: `the request body exceeds ${MAX_BODY_BYTES} bytes`,
      });
    } else if (error instanceof AuthenticationError) {
      send(401, { error: 'unauthorized', detail: error.message });
    } else if (error instanceof NotAllowedError) {
      send(403, { error: 'forbidden', detail: error.message });
    } else if (error instanceof NotFoundError) {
      send(404, { error: 'not-found', detail: error.message });
    } else if (error instanceof InputError || e?.status === 400) {
      send(400, {
        error: 'invalid-body',
        detail: isError(error) ? error.message : 'bad request',
      });
    } else {
      logger.error(
        `Unhandled PDM error: ${
          isError(error) ? error.message : String(error)
        }`,
      );
      send(500, {
        error: 'internal-error',
        detail: 'an unexpected error occurred; see the PDM logs',
      });
    }
  };
}
