import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { parseRequest } from '../http/parseRequest';
import { CredentialCheck, CredentialValidator } from './types';

const validateBodySchema = z
  .object({
    provider: z.string().min(1).max(32),
    token: z.string(),
  })
  .strict();

function statusOf(check: CredentialCheck): number {
  if (check.valid) return 200;
  switch (check.reason) {
    case 'rejected':
      return 200;
    case 'unreachable':
      return 503;
    default:
      return 400;
  }
}

/**
 * `POST /v1/credentials/validate`: the wizard's provider token check. The token is trimmed, sent to the
 * provider and dropped; it never reaches a log line, an error message or a response.
 */
export function createCredentialsRouter(options: {
  validators: CredentialValidator[];
  httpAuth: HttpAuthService;
}): express.Router {
  const validators = new Map(options.validators.map(v => [v.provider, v]));
  const router = Router();

  router.post('/v1/credentials/validate', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { provider, token } = parseRequest(
      validateBodySchema,
      req.body,
      'credential check',
    );
    const validator = validators.get(provider);
    const check: CredentialCheck = validator
      ? await validator.validate(token.trim())
      : {
          valid: false,
          reason: 'unsupported-provider',
          detail: `No provisioning module exists for provider '${provider}' yet; supported: ${[
            ...validators.keys(),
          ].join(', ')}`,
        };
    res.status(statusOf(check)).json(check);
  });

  return router;
}
