import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { checkDomainName } from '@catalyst/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { parseRequest } from '../http/parseRequest';
import { SshKeyService } from './SshKeyService';

const generateBodySchema = z
  .object({
    fqdn: z
      .string()
      .transform(v => v.trim().toLowerCase())
      .refine(v => v === '' || checkDomainName(v) === undefined, {
        message: 'must be a valid domain name',
      })
      .optional(),
  })
  .strict();

const checkBodySchema = z
  .object({ publicKey: z.string().max(16_384) })
  .strict();

/** `/v1/sshkey/generate` and `/v1/sshkey/check` (docs/wizard.md §4). */
export function createSshKeysRouter(options: {
  sshKeys: SshKeyService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): express.Router {
  const { sshKeys, httpAuth, logger } = options;
  const router = Router();

  router.post('/v1/sshkey/generate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { fqdn } = parseRequest(
      generateBodySchema,
      req.body,
      'SSH key request',
    );
    const key = sshKeys.generate(fqdn || undefined);
    logger.info(`Generated an Ed25519 SSH key ${key.fingerprint}`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(key);
  });

  router.post('/v1/sshkey/check', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { publicKey } = parseRequest(
      checkBodySchema,
      req.body,
      'SSH key check',
    );
    res.json(sshKeys.check(publicKey));
  });

  return router;
}
