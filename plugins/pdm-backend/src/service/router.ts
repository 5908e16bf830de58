import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  RESERVED_SUBDOMAINS,
  checkDomainName,
  normalizeDomainInput,
  pdmAllocationListPermission,
  pdmAllocationManagePermission,
  pdmByoZoneManagePermission,
  pdmRegistrarSetNsPermission,
} from '@catalyst/plugin-catalyst-common';
import { PoolAllocationStore } from '../database/PoolAllocationStore';
import { DelegationChecker } from '../delegation/DelegationChecker';
import { RegistrarAdapter } from '../registrars/types';
import { Dns01Access } from '../dns01/Dns01Access';
import { ByoZoneService } from './ByoZoneService';
import { Dns01KeyService } from './Dns01KeyService';
import { byoActorOf, requirePdmPermission } from './pdmAccess';
import { PdmApiError } from './PdmApiError';
import { MAX_BODY_BYTES, pdmErrorBody } from './pdmErrorBody';
import { PoolAllocationService } from './PoolAllocationService';
import { RegistrarService } from './RegistrarService';

export { MAX_BODY_BYTES };

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: PoolAllocationStore;
  allocations: PoolAllocationService;
  byo: ByoZoneService;
  delegation: DelegationChecker;
  registrars: RegistrarAdapter[];
  nameservers: string[];
  /** DNS-01 update access; default: the allocation service's. */
  dns01?: Dns01Access;
  /**
   * Service principals that may read a Sovereign's DNS-01 key (the provisioning run hands it to the new cluster).
   * Default: the scaffolder backend only.
   */
  dns01KeyReaders?: string[];
}

const SORTED_RESERVED = [...RESERVED_SUBDOMAINS].sort();

/** Parses the raw body as a JSON object; `code` is the error the reference answers for bad JSON. */
function jsonBody(req: Request, code: string): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PdmApiError(400, code, 'the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PdmApiError(400, code, 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The reservation a pool call names: the pool domain from the path, the subdomain and its proof from the body. */
function reservationOf(
  req: express.Request,
  body: Record<string, unknown>,
): { domain: string; subdomain: unknown; reservationToken: unknown } {
  return {
    domain: req.params.domain,
    subdomain: body.subdomain,
    reservationToken: body.reservationToken,
  };
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    allocations,
    byo,
    delegation,
    httpAuth,
    logger,
    nameservers,
    permissions,
    registrars,
    store,
  } = options;
  const dns01 = options.dns01 ?? allocations.dns01;
  const dns01Keys = new Dns01KeyService({
    dns01,
    permissions,
    logger,
    poolDomains: allocations.poolDomains,
    readers: options.dns01KeyReaders,
  });
  const registrarService = new RegistrarService({
    registrars,
    nameservers,
    logger,
  });
  const router = Router();
  router.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));

  /** Any signed-in user or service; optionally one permission on top. */
  async function authorize(req: Request, permission?: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (permission) {
      await requirePdmPermission(permissions, credentials, permission);
    }
    return credentials;
  }

  router.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
    } catch (error) {
      res.status(503).json({
        status: 'unhealthy',
        db: isError(error) ? error.message : 'database unreachable',
      });
      return;
    }
    res.json({
      status: 'ok',
      managedDomains: allocations.poolDomains,
      registrars: registrarService.names,
      // Public facts a bring-your-own customer needs for their NS records.
      nameservers: allocations.nameservers,
    });
  });

  router.get('/v1/reserved', async (req, res) => {
    await authorize(req);
    res.json({ reserved: SORTED_RESERVED });
  });

  router.get('/v1/pool/:domain/check', async (req, res) => {
    await authorize(req);
    res.json(await allocations.check(req.params.domain, req.query.sub));
  });

  router.post('/v1/pool/:domain/reserve', async (req, res) => {
    await authorize(req, pdmAllocationManagePermission);
    const body = jsonBody(req, 'invalid JSON body');
    const reservation = await allocations.reserve({
      domain: req.params.domain,
      subdomain: body.subdomain,
      createdBy: body.createdBy,
      owner: body.owner,
      ttlSeconds: body.ttlSeconds,
    });
    logger.info(
      `Reserved ${reservation.subdomain}.${reservation.poolDomain} for ${reservation.createdBy} until ${reservation.expiresAt}`,
    );
    res.status(201).json({
      ...reservation,
      // The public DNS-01 facts; the key's secret only comes from GET /v1/dns01/:fqdn/key.
      dns01: dns01.describe(
        `${reservation.subdomain}.${reservation.poolDomain}`,
      ),
    });
  });

  router.post('/v1/pool/:domain/commit', async (req, res) => {
    await authorize(req, pdmAllocationManagePermission);
    const body = jsonBody(req, 'invalid JSON body');
    const result = await allocations.commit({
      ...reservationOf(req, body),
      sovereignFQDN: body.sovereignFQDN,
      loadBalancerIP: body.loadBalancerIP,
    });
    res.status(result.status).json(result.body);
  });

  router.post('/v1/pool/:domain/renew', async (req, res) => {
    await authorize(req, pdmAllocationManagePermission);
    const body = jsonBody(req, 'invalid JSON body');
    res.json(
      await allocations.renew({
        ...reservationOf(req, body),
        ttlSeconds: body.ttlSeconds,
      }),
    );
  });

  router.delete('/v1/pool/:domain/release', async (req, res) => {
    await authorize(req, pdmAllocationManagePermission);
    // The reference falls back to ?sub= when the body is not valid JSON.
    let body: Record<string, unknown> = {};
    try {
      body = jsonBody(req, 'invalid JSON body');
    } catch {
      body = {};
    }
    const subdomain = body.subdomain ?? req.query.sub;
    // The proof of ownership travels in the body only (a token never goes into a URL).
    const result = await allocations.release({
      domain: req.params.domain,
      subdomain,
      reservationToken: body.reservationToken,
      sovereignFQDN: body.sovereignFQDN,
      owner: body.owner,
    });
    res.status(result.status).json(result.body);
  });

  router.get('/v1/pool/:domain/list', async (req, res) => {
    await authorize(req, pdmAllocationListPermission);
    res.json(await allocations.list(req.params.domain));
  });

  router.get('/v1/delegation/:fqdn', async (req, res) => {
    await authorize(req);
    const fqdn = normalizeDomainInput(req.params.fqdn).replace(/\.$/, '');
    const problem = checkDomainName(fqdn);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `fqdn ${problem}`);
    }
    res.json(await delegation.check(fqdn));
  });

  /**
   * A Sovereign's DNS-01 key with its secret, for the provisioning run that hands it to the new cluster. Only the
   * configured service principals (the scaffolder backend) may read it; users never can. The answer is not
   * cached and the secret is never logged.
   */
  router.get('/v1/dns01/:fqdn/key', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const key = await dns01Keys.read(credentials, req.params.fqdn);
    res.set('Cache-Control', 'no-store');
    res.json(key);
  });

  router.get('/v1/byo/:domain/check', async (req, res) => {
    await authorize(req);
    res.json(await byo.check(req.params.domain));
  });

  router.post('/v1/byo/:domain/zone', async (req, res) => {
    const credentials = await authorize(req, pdmByoZoneManagePermission);
    const body = jsonBody(req, 'invalid-body');
    res
      .status(201)
      .json(
        await byo.createZone(req.params.domain, byoActorOf(credentials, body)),
      );
  });

  router.delete('/v1/byo/:domain/zone', async (req, res) => {
    const credentials = await authorize(req, pdmByoZoneManagePermission);
    const body = jsonBody(req, 'invalid-body');
    res.json(
      await byo.deleteZone(req.params.domain, byoActorOf(credentials, body)),
    );
  });

  router.post('/v1/byo/:domain/records', async (req, res) => {
    const credentials = await authorize(req, pdmByoZoneManagePermission);
    const body = jsonBody(req, 'invalid-body');
    res.json(
      await byo.writeRecords(
        req.params.domain,
        body.loadBalancerIP,
        byoActorOf(credentials, body),
      ),
    );
  });

  router.post('/v1/registrar/:registrar/validate', async (req, res) => {
    await authorize(req);
    const adapter = registrarService.adapter(req.params.registrar);
    const body = jsonBody(req, 'invalid-body');
    res.json(await registrarService.validate(adapter, body.domain, body.token));
  });

  router.post('/v1/registrar/:registrar/nameservers', async (req, res) => {
    await authorize(req);
    const body = jsonBody(req, 'invalid-body');
    const adapter = registrarService.adapter(req.params.registrar);
    res.json(
      await registrarService.nameservers(adapter, body.domain, body.token),
    );
  });

  router.get('/v1/registrar/:registrar/nameservers', async (req, res) => {
    await authorize(req);
    const adapter = registrarService.adapter(req.params.registrar);
    res.json(
      await registrarService.nameservers(
        adapter,
        req.query.domain,
        req.header('x-registrar-token'),
      ),
    );
  });

  router.post('/v1/registrar/:registrar/set-ns', async (req, res) => {
    await authorize(req, pdmRegistrarSetNsPermission);
    const adapter = registrarService.adapter(req.params.registrar);
    const body = jsonBody(req, 'invalid-body');
    res.json(
      await registrarService.setNameservers(
        adapter,
        body.domain,
        body.token,
        body.nameservers,
      ),
    );
  });

  router.use(pdmErrorBody({ logger }));

  return router;
}
