import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
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
import { RegistrarAdapter, RegistrarError } from '../registrars/types';
import { Dns01Access } from '../dns01/Dns01Access';
import { ByoZoneActor, ByoZoneService } from './ByoZoneService';
import { PdmApiError } from './PdmApiError';
import { MAX_BODY_BYTES, pdmErrorBody } from './pdmErrorBody';
import { PoolAllocationService, optionalOwner } from './PoolAllocationService';

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

const REGISTRAR_ERRORS: Record<
  RegistrarError['kind'],
  { status: number; detail: string }
> = {
  'invalid-token': {
    status: 401,
    detail: 'the registrar rejected the token',
  },
  'domain-not-in-account': {
    status: 403,
    detail: 'the domain is not in the account this token belongs to',
  },
  'rate-limited': {
    status: 429,
    detail: 'the registrar is rate-limiting requests; retry later',
  },
  'api-unavailable': {
    status: 502,
    detail: 'the registrar API is unavailable',
  },
  'registrar-error': {
    status: 500,
    detail: 'the registrar returned an unexpected error',
  },
};

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

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    store,
    allocations,
    byo,
    delegation,
    registrars,
    nameservers,
  } = options;
  const dns01 = options.dns01 ?? allocations.dns01;
  const dns01KeyReaders = new Set(
    options.dns01KeyReaders ?? ['plugin:scaffolder'],
  );
  const registrarNames = registrars.map(r => r.name).sort();
  const router = Router();
  router.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));

  /** Any signed-in user or service; optionally one permission on top. */
  async function authorize(req: Request, permission?: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (permission) {
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new PdmApiError(
          403,
          'forbidden',
          `permission ${permission.name} is required`,
        );
      }
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
      registrars: registrarNames,
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
      domain: req.params.domain,
      subdomain: body.subdomain,
      reservationToken: body.reservationToken,
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
        domain: req.params.domain,
        subdomain: body.subdomain,
        reservationToken: body.reservationToken,
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
    const subject = credentials.principal.subject;
    if (!dns01KeyReaders.has(subject)) {
      throw new PdmApiError(
        403,
        'forbidden',
        `${subject} may not read DNS-01 keys`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission: pdmAllocationManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new PdmApiError(
        403,
        'forbidden',
        `permission ${pdmAllocationManagePermission.name} is required`,
      );
    }
    const fqdn = normalizeDomainInput(req.params.fqdn).replace(/\.$/, '');
    const problem = checkDomainName(fqdn);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `fqdn ${problem}`);
    }
    if (allocations.poolDomains.includes(fqdn)) {
      throw new PdmApiError(
        422,
        'pool-domain',
        `${fqdn} is a pool's parent zone; it has no DNS-01 key`,
      );
    }
    const key = await dns01.credentials(fqdn);
    if (!key) {
      throw new PdmApiError(
        404,
        'not-found',
        `${fqdn} has no DNS-01 key: it is not a reserved, active or bring-your-own Sovereign zone`,
      );
    }
    logger.info(`Handed the DNS-01 key ${key.keyName} to ${subject}`);
    res.set('Cache-Control', 'no-store');
    res.json(key);
  });

  /**
   * Who acts on a BYO zone: `createdBy` (the provisioning task, e.g. `catalyst/<taskId>`; defaults to the caller),
   * and the Sovereign and owning group the zone serves.
   */
  function byoActor(
    credentials: Awaited<ReturnType<typeof authorize>>,
    body: Record<string, unknown>,
  ): ByoZoneActor {
    const caller =
      credentials.principal.type === 'user'
        ? credentials.principal.userEntityRef
        : (credentials.principal as { subject?: string }).subject ?? 'service';
    const text = (value: unknown, field: string) => {
      if (value === undefined || value === null || value === '') {
        return undefined;
      }
      if (typeof value !== 'string' || value.length > 253) {
        throw new PdmApiError(
          422,
          'invalid-body',
          `${field} must be a string of at most 253 characters`,
        );
      }
      return value.trim();
    };
    return {
      createdBy: text(body.createdBy, 'createdBy') ?? caller,
      sovereignFQDN: text(body.sovereignFQDN, 'sovereignFQDN')
        ?.toLowerCase()
        .replace(/\.$/, ''),
      owner: optionalOwner(body.owner),
    };
  }

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
        await byo.createZone(req.params.domain, byoActor(credentials, body)),
      );
  });

  router.delete('/v1/byo/:domain/zone', async (req, res) => {
    const credentials = await authorize(req, pdmByoZoneManagePermission);
    const body = jsonBody(req, 'invalid-body');
    res.json(
      await byo.deleteZone(req.params.domain, byoActor(credentials, body)),
    );
  });

  router.post('/v1/byo/:domain/records', async (req, res) => {
    const credentials = await authorize(req, pdmByoZoneManagePermission);
    const body = jsonBody(req, 'invalid-body');
    res.json(
      await byo.writeRecords(
        req.params.domain,
        body.loadBalancerIP,
        byoActor(credentials, body),
      ),
    );
  });

  function registrar(name: string): RegistrarAdapter {
    if (registrars.length === 0) {
      throw new PdmApiError(
        503,
        'no-registrars-configured',
        'no registrar adapters are configured',
      );
    }
    const adapter = registrars.find(r => r.name === name.toLowerCase());
    if (!adapter) {
      throw new PdmApiError(
        404,
        'unsupported-registrar',
        `registrar ${name} is not supported`,
        { supported: registrarNames },
      );
    }
    return adapter;
  }

  function registrarInput(
    domainValue: unknown,
    tokenValue: unknown,
  ): { domain: string; token: string } {
    if (typeof domainValue !== 'string' || domainValue.trim() === '') {
      throw new PdmApiError(422, 'missing-domain', 'domain is required');
    }
    const domain = normalizeDomainInput(domainValue).replace(/\.$/, '');
    const problem = checkDomainName(domain);
    if (problem) {
      throw new PdmApiError(422, 'invalid-domain', `domain ${problem}`);
    }
    if (typeof tokenValue !== 'string' || tokenValue.trim() === '') {
      throw new PdmApiError(422, 'missing-token', 'token is required');
    }
    return { domain, token: tokenValue.trim() };
  }

  /** Runs one registrar call; logs only {registrar, domain, outcome}, never the raw error. */
  async function registrarCall<T>(
    adapter: RegistrarAdapter,
    domain: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await call();
      logger.info('registrar call', {
        registrar: adapter.name,
        domain,
        outcome: 'ok',
      });
      return result;
    } catch (error) {
      const kind = error instanceof RegistrarError ? error.kind : undefined;
      logger.warn('registrar call', {
        registrar: adapter.name,
        domain,
        outcome:
          kind === undefined || kind === 'registrar-error'
            ? 'unknown-error'
            : kind,
      });
      if (error instanceof InputError) {
        throw new PdmApiError(422, 'invalid-body', error.message);
      }
      const mapped = REGISTRAR_ERRORS[kind ?? 'registrar-error'];
      throw new PdmApiError(
        mapped.status,
        kind ?? 'registrar-error',
        mapped.detail,
        {
          // The reference names the registrar and the domain in every registrar error.
          registrar: adapter.name,
          domain,
          ...(error instanceof RegistrarError &&
          error.retryAfterSeconds !== undefined
            ? { retryAfterSeconds: error.retryAfterSeconds }
            : {}),
        },
      );
    }
  }

  router.post('/v1/registrar/:registrar/validate', async (req, res) => {
    await authorize(req);
    const adapter = registrar(req.params.registrar);
    const body = jsonBody(req, 'invalid-body');
    const { domain, token } = registrarInput(body.domain, body.token);
    await registrarCall(adapter, domain, () =>
      adapter.validateToken(token, domain),
    );
    res.json({ valid: true, registrar: adapter.name, domain });
  });

  async function readNameservers(
    req: Request,
    res: express.Response,
    domainValue: unknown,
    tokenValue: unknown,
  ) {
    const adapter = registrar(req.params.registrar);
    const { domain, token } = registrarInput(domainValue, tokenValue);
    const current = await registrarCall(adapter, domain, () =>
      adapter.getNameservers(token, domain),
    );
    const normalized = current.map(ns =>
      normalizeDomainInput(ns).replace(/\.$/, ''),
    );
    res.json({
      registrar: adapter.name,
      domain,
      nameservers: normalized,
      matchesPdm: sameSet(normalized, nameservers),
    });
  }

  router.post('/v1/registrar/:registrar/nameservers', async (req, res) => {
    await authorize(req);
    const body = jsonBody(req, 'invalid-body');
    await readNameservers(req, res, body.domain, body.token);
  });

  router.get('/v1/registrar/:registrar/nameservers', async (req, res) => {
    await authorize(req);
    await readNameservers(
      req,
      res,
      req.query.domain,
      req.header('x-registrar-token'),
    );
  });

  router.post('/v1/registrar/:registrar/set-ns', async (req, res) => {
    await authorize(req, pdmRegistrarSetNsPermission);
    const adapter = registrar(req.params.registrar);
    const body = jsonBody(req, 'invalid-body');
    const { domain, token } = registrarInput(body.domain, body.token);
    if (!Array.isArray(body.nameservers) || body.nameservers.length === 0) {
      throw new PdmApiError(
        422,
        'missing-nameservers',
        'nameservers must be a non-empty list',
      );
    }
    const requested = [
      ...new Set(
        body.nameservers.map(ns =>
          typeof ns === 'string'
            ? normalizeDomainInput(ns).replace(/\.$/, '')
            : '',
        ),
      ),
    ];
    if (!sameSet(requested, nameservers)) {
      throw new PdmApiError(
        422,
        'nameservers-mismatch',
        `nameservers must be exactly PDM's nameservers: ${nameservers.join(
          ', ',
        )}`,
        { expected: nameservers },
      );
    }
    await registrarCall(adapter, domain, () =>
      adapter.validateToken(token, domain),
    );
    await registrarCall(adapter, domain, () =>
      adapter.setNameservers(token, domain, requested),
    );
    let readBack: string[] | undefined;
    try {
      readBack = (await adapter.getNameservers(token, domain)).map(ns =>
        normalizeDomainInput(ns).replace(/\.$/, ''),
      );
    } catch {
      // A failed read-back still succeeds with the supplied list (pdm.md §6).
      readBack = undefined;
    }
    res.json({
      success: true,
      registrar: adapter.name,
      domain,
      nameservers: readBack ?? requested,
      verified: readBack !== undefined && sameSet(readBack, requested),
      propagation: adapter.propagation,
    });
  });

  router.use(pdmErrorBody({ logger }));

  return router;
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every(v => y.has(v));
}
