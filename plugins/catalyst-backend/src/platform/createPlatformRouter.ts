import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalystSovereignManagePermission } from '@catalyst/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { authorizeServiceOrUser } from '../http/authorizeServiceOrUser';
import { parseRequest } from '../http/parseRequest';
import { SovereignChangePublisher } from '../sovereigns/SovereignChangePublisher';
import { SovereignStore } from '../sovereigns/SovereignStore';
import { PlatformStore } from './PlatformStore';
import { kubernetesClient } from './kubernetesClient';

/** The handoff PUT carries no Backstage token: the single-use bearer secret is its authentication. */
export const platformAuthPolicies = [
  {
    path: '/v1/sovereigns/:name/kubeconfig',
    allow: 'unauthenticated' as const,
  },
];

const MAX_KUBECONFIG_BYTES = 256 * 1024;

const nameParamsSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
      'must be an entity name (the FQDN with dots turned into dashes)',
    )
    .max(63),
});

/** A kubeconfig the watcher can use: it parses and its current context names a cluster with a server URL. */
export function checkKubeconfig(text: string): void {
  const { KubeConfig } = kubernetesClient();
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (e) {
    throw new InputError(
      `The kubeconfig is not valid YAML/JSON: ${(e as Error).message.slice(
        0,
        200,
      )}`,
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server || !/^https?:\/\//.test(cluster.server)) {
    throw new InputError(
      'The kubeconfig has no current context with a cluster server URL',
    );
  }
  if (!kc.getCurrentUser()) {
    throw new InputError('The kubeconfig has no user for its current context');
  }
}

function bearerOf(req: express.Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+([0-9a-f]{64})\s*$/i.exec(header) : null;
  return match ? match[1].toLowerCase() : undefined;
}

/**
 * Phase 1 routes (docs/phase1.md §1):
 * - `POST /v1/sovereigns/:name/handoff-secret` mints the cluster's single-use secret (services, or users
 *   with catalyst.sovereign.manage); the plain secret is answered once and only its hash is stored.
 * - `PUT /v1/sovereigns/:name/kubeconfig` is the cluster handing its kubeconfig back with that secret.
 * - `GET /v1/sovereigns/:name/kubeconfig` lets the Sovereign's owners and the platform admins download it.
 */
export function createPlatformRouter(options: {
  store: SovereignStore;
  platform: PlatformStore;
  publisher: SovereignChangePublisher;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  logger: LoggerService;
  handoffTtlMs: number;
  /** Group refs whose members may read every Sovereign's kubeconfig (`catalyst.permissions.adminGroups`). */
  adminGroups: string[];
}): express.Router {
  const { store, platform, publisher, httpAuth, userInfo, logger } = options;
  const admins = new Set(options.adminGroups.map(g => g.toLowerCase()));
  const router = Router();
  const nameOf = (req: express.Request) =>
    parseRequest(nameParamsSchema, req.params, 'Sovereign name').name;
  const requireSovereign = async (name: string) => {
    const record = await store.get(name);
    if (!record) {
      throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
    }
    return record;
  };

  router.post('/v1/sovereigns/:name/handoff-secret', async (req, res) => {
    await authorizeServiceOrUser(
      req,
      options,
      catalystSovereignManagePermission,
    );
    const name = nameOf(req);
    await requireSovereign(name);
    if (await platform.hasKubeconfig(name)) {
      throw new ConflictError(
        `Sovereign '${name}' has already handed its kubeconfig back`,
      );
    }
    const minted = await platform.mintHandoffSecret(name, options.handoffTtlMs);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(minted);
  });

  router.put(
    '/v1/sovereigns/:name/kubeconfig',
    express.text({ type: () => true, limit: MAX_KUBECONFIG_BYTES }),
    async (req, res) => {
      const name = nameOf(req);
      const secret = bearerOf(req);
      // One answer for every failed authentication, so a caller learns nothing about which Sovereigns exist.
      const refused = () =>
        new AuthenticationError(
          'A valid, unexpired kubeconfig handoff secret is required (Authorization: Bearer <secret>)',
        );
      if (!secret) throw refused();
      const check = await platform.checkHandoffSecret(name, secret);
      if (!check.ok) {
        if (check.refusal === 'used') {
          throw new ConflictError(
            `Sovereign '${name}' has already handed its kubeconfig back; the secret is used up`,
          );
        }
        logger.warn(
          `Refused a kubeconfig handoff for ${name}: ${
            check.refusal === 'expired' ? 'expired secret' : 'wrong secret'
          }`,
        );
        throw refused();
      }
      if (!('tokenId' in check)) throw refused();
      // A JSON kubeconfig has already been parsed by the plugin's JSON body parser; YAML arrives as text.
      let text = '';
      if (typeof req.body === 'string') text = req.body;
      else if (req.body && Object.keys(req.body).length > 0) {
        text = JSON.stringify(req.body);
      }
      if (!text.trim()) {
        throw new InputError('The request body must be the kubeconfig');
      }
      checkKubeconfig(text);
      const outcome = await platform.completeHandoff(name, check.tokenId, text);
      if (!outcome.ok) {
        throw new ConflictError(
          `Sovereign '${name}' has already handed its kubeconfig back; the secret is used up`,
        );
      }
      logger.info(`Sovereign ${name} handed its kubeconfig back`);
      const record = await store.get(name);
      if (record) {
        await store.appendEvent(name, {
          level: 'info',
          message:
            'The cluster handed its kubeconfig back; Catalyst watches its platform from now on',
        });
        await publisher.publish('upsert', record);
      }
      res.status(204).end();
    },
  );

  router.get('/v1/sovereigns/:name/kubeconfig', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const name = nameOf(req);
    const record = await requireSovereign(name);
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const claims = ownershipEntityRefs.map(r => r.toLowerCase());
    const isOwner = claims.includes(record.owner.toLowerCase());
    const isAdmin = claims.some(c => admins.has(c));
    if (!isOwner && !isAdmin) {
      throw new NotAllowedError(
        `Only the owners of Sovereign '${name}' (${record.owner}) and platform admins may download its kubeconfig`,
      );
    }
    const kubeconfig = await platform.getKubeconfig(name);
    if (kubeconfig === undefined) {
      throw new NotFoundError(
        `Sovereign '${name}' has not handed its kubeconfig back yet`,
      );
    }
    logger.info(
      `Kubeconfig of ${name} downloaded by ${credentials.principal.userEntityRef}`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/yaml; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}.kubeconfig.yaml"`,
    );
    res.send(kubeconfig);
  });

  return router;
}
