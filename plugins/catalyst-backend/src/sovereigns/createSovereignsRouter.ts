import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  catalystSovereignManagePermission,
  sovereignEntityName,
  sovereignEventInputSchema,
  sovereignPhaseChangeSchema,
  sovereignRecordUpsertSchema,
} from '@catalyst/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { authorizeServiceOrUser } from '../http/authorizeServiceOrUser';
import { parseRequest } from '../http/parseRequest';
import { SovereignChangePublisher } from './SovereignChangePublisher';
import {
  streamSovereignEvents,
  wantsEventStream,
} from './SovereignEventStream';
import { SovereignStore } from './SovereignStore';

const nameParamsSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
      'must be an entity name (the FQDN with dots turned into dashes)',
    )
    .max(63, 'must be at most 63 characters (a catalog entity name)'),
});

const eventsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** `/v1/sovereigns/...`: the Sovereign registry (provisioning.md §7, §8). */
export function createSovereignsRouter(options: {
  store: SovereignStore;
  publisher: SovereignChangePublisher;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  /**
   * Called when a Sovereign enters decommissioning or decommissioned: revokes its open vouchers and answers
   * how many, so a Sovereign being removed takes no more money.
   */
  revokeVouchers?: (name: string, by: string) => Promise<number>;
  /** Keep-alive and multi-replica poll periods of the event stream (tests shorten them). */
  eventStream?: { keepAliveMs?: number; pollMs?: number };
}): express.Router {
  const { store, publisher, httpAuth, permissions, logger } = options;
  const router = Router();
  const canManage = (req: express.Request) =>
    authorizeServiceOrUser(
      req,
      { httpAuth, permissions },
      catalystSovereignManagePermission,
    );
  const nameOf = (req: express.Request) =>
    parseRequest(nameParamsSchema, req.params, 'Sovereign name').name;

  router.get('/v1/sovereigns', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await store.list() });
  });

  router.get('/v1/sovereigns/:name', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const name = nameOf(req);
    const record = await store.get(name);
    if (!record) {
      throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
    }
    res.json(record);
  });

  router.put('/v1/sovereigns/:name', async (req, res) => {
    await canManage(req);
    const name = nameOf(req);
    const input = parseRequest(
      sovereignRecordUpsertSchema,
      req.body,
      'Sovereign record',
    );
    const expected = sovereignEntityName(input.fqdn);
    if (expected !== name) {
      throw new InputError(
        `Invalid Sovereign record: fqdn '${input.fqdn}' belongs under name '${expected}', not '${name}'`,
      );
    }
    const { record, created } = await store.upsert(name, input);
    logger.info(
      `Sovereign ${record.fqdn} ${created ? 'recorded' : 'updated'} (phase ${
        record.phase
      })`,
    );
    await publisher.publish('upsert', record);
    res.status(created ? 201 : 200).json(record);
  });

  router.delete('/v1/sovereigns/:name', async (req, res) => {
    await canManage(req);
    const record = await store.delete(nameOf(req));
    logger.info(`Sovereign ${record.fqdn} removed from the registry`);
    await publisher.publish('delete', record);
    res.status(204).end();
  });

  router.post('/v1/sovereigns/:name/phase', async (req, res) => {
    await canManage(req);
    const change = parseRequest(
      sovereignPhaseChangeSchema,
      req.body,
      'phase change',
    );
    const name = nameOf(req);
    const { record, event } = await store.setPhase(name, change);
    await publisher.publish('upsert', record);
    let revokedVouchers = 0;
    if (
      options.revokeVouchers &&
      (change.phase === 'decommissioning' || change.phase === 'decommissioned')
    ) {
      revokedVouchers = await options.revokeVouchers(
        name,
        `sovereign:default/${name}#${change.phase}`,
      );
      if (revokedVouchers > 0) {
        await store.appendEvent(name, {
          level: 'info',
          message: `Revoked ${revokedVouchers} open voucher(s): a Sovereign being decommissioned takes no more redemptions`,
        });
        logger.info(
          `Revoked ${revokedVouchers} open voucher(s) of Sovereign ${record.fqdn} (${change.phase})`,
        );
      }
    }
    res.json({ record, event, revokedVouchers });
  });

  router.post('/v1/sovereigns/:name/events', async (req, res) => {
    await canManage(req);
    const input = parseRequest(sovereignEventInputSchema, req.body, 'event');
    const event = await store.appendEvent(nameOf(req), input);
    res.status(201).json(event);
  });

  router.get('/v1/sovereigns/:name/events', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { limit } = parseRequest(eventsQuerySchema, req.query, 'query');
    if (wantsEventStream(req)) {
      await streamSovereignEvents(req, res, nameOf(req), {
        store,
        logger,
        limit,
        ...options.eventStream,
      });
      return;
    }
    res.json({ items: await store.listEvents(nameOf(req), { limit }) });
  });

  return router;
}
