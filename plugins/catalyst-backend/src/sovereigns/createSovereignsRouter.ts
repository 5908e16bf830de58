import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalystSovereignManagePermission,
  catalystSovereignReadPermission,
  SovereignRecord,
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
      'must be a Sovereign entity name (derived from its FQDN)',
    )
    .max(63, 'must be at most 63 characters (a catalog entity name)'),
});

const eventsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * What anyone signed in may read about a Sovereign, as the catalog shows it: never its request, admin e-mail,
 * Hetzner project, GitOps location, addresses, task or events.
 */
export function publicSovereignView(record: SovereignRecord) {
  return {
    name: record.name,
    fqdn: record.fqdn,
    organization: record.organization,
    owner: record.owner,
    phase: record.phase,
    blueprints: record.blueprints,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * `/v1/sovereigns/...`: the Sovereign registry (docs/provisioning.md §7, §8).
 *
 * Reads answer the full record to callers holding `catalyst.sovereign.read` on it (service principals, platform
 * admins, the owning group) and {@link publicSovereignView} to everyone else; the event history needs the
 * permission. Writes need `catalyst.sovereign.manage`: service principals (the Catalyst actions) and admins.
 */
export function createSovereignsRouter(options: {
  store: SovereignStore;
  publisher: SovereignChangePublisher;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  /** Adds Phase 1's view (readiness, kubeconfig arrival) to a single record's GET. */
  withPlatform?: (record: SovereignRecord) => Promise<SovereignRecord>;
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

  /** For each name: may these credentials read the full record? One batched permission request. */
  async function mayReadFull(
    credentials: BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal
    >,
    names: string[],
  ): Promise<boolean[]> {
    if (names.length === 0) return [];
    // Backend services (the actions, the catalog providers) read full records, as the permission framework
    // allows every service principal.
    if (credentials.principal.type === 'service') return names.map(() => true);
    const decisions = await permissions.authorize(
      names.map(name => ({
        permission: catalystSovereignReadPermission,
        resourceRef: `sovereign:default/${name}`,
      })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  router.get('/v1/sovereigns', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const records = await store.list();
    const full = await mayReadFull(
      credentials,
      records.map(r => r.name),
    );
    res.json({
      items: records.map((r, i) => (full[i] ? r : publicSovereignView(r))),
    });
  });

  router.get('/v1/sovereigns/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const name = nameOf(req);
    const record = await store.get(name);
    if (!record) {
      throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
    }
    const [full] = await mayReadFull(credentials, [name]);
    if (!full) {
      res.json(publicSovereignView(record));
      return;
    }
    res.json(
      options.withPlatform ? await options.withPlatform(record) : record,
    );
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
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { limit } = parseRequest(eventsQuerySchema, req.query, 'query');
    const name = nameOf(req);
    const [full] = await mayReadFull(credentials, [name]);
    if (!full) {
      throw new NotAllowedError(
        `Only the owning group of sovereign:default/${name} and platform admins may read its events`,
      );
    }
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
