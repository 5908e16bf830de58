import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  catalystSovereignManagePermission,
  catalystVoucherCreatePermission,
  catalystVoucherDeletePermission,
  catalystVoucherReadPermission,
  issueVouchersRequestSchema as issueSchema,
  organizationSlugProblem,
  redeemVoucherRequestSchema as redeemSchema,
  voucherPatchSchema as patchSchema,
  voucherPreviewRequestSchema as previewSchema,
} from '@catalyst/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { authorizeServiceOrUser } from '../http/authorizeServiceOrUser';
import { parseRequest } from '../http/parseRequest';
import {
  SovereignDirectory,
  sovereignNotReadyMessage,
  sovereignRefOf,
} from './SovereignDirectory';
import { VoucherChangePublisher } from './VoucherChangePublisher';
import { creditToMinor } from './VoucherCredit';
import {
  generateVoucherCode,
  hashVoucherCode,
  maskVoucherCode,
  parseVanityCode,
  parseVoucherCode,
} from './voucherCode';
import { RateDecision, VoucherRateLimits } from './VoucherRateLimits';
import { RedeemRejection, Voucher, VoucherStore } from './VoucherStore';

/** Routes that answer without a Backstage token (mounted with `httpRouter.addAuthPolicy`). */
export const voucherAuthPolicies = [
  { path: '/v1/vouchers/preview', allow: 'unauthenticated' as const },
];

const idSchema = z.object({ id: z.string().uuid('must be a voucher id') });
const redemptionIdSchema = z.object({
  id: z.string().uuid('must be a redemption id'),
});

const REJECTION_STATUS: Record<
  | RedeemRejection
  | 'bad-format'
  | 'bad-check-character'
  | 'invalid-slug'
  | 'sovereign-not-ready',
  number
> = {
  'bad-format': 400,
  'bad-check-character': 400,
  'invalid-slug': 400,
  unknown: 404,
  revoked: 410,
  expired: 410,
  exhausted: 410,
  inactive: 410,
  'already-redeemed': 409,
  'wrong-sovereign': 409,
  'slug-taken': 409,
  'sovereign-not-ready': 409,
};

const REJECTION_MESSAGE: Record<keyof typeof REJECTION_STATUS, string> = {
  'bad-format':
    'A voucher code is 3-64 letters, digits or hyphens, e.g. XXXX-XXXX-XXXX-XXXX-X',
  'bad-check-character':
    'This code has a typo: its check character does not match. Please check every character',
  'invalid-slug': 'The organization slug is not valid',
  unknown: 'This voucher code is not valid',
  revoked: 'This voucher was revoked by its issuer',
  expired: 'This voucher has expired',
  exhausted: 'This voucher has reached its redemption limit',
  inactive: 'This voucher is not active',
  'already-redeemed': 'You have already redeemed this voucher',
  'wrong-sovereign': 'This voucher belongs to another Sovereign',
  'slug-taken': 'An organization with this slug already exists; choose another',
  'sovereign-not-ready':
    'This Sovereign is not ready, so it accepts no new organizations',
};

type ApiVoucher = Omit<Voucher, 'redemptions'>;

function withoutCount(voucher: Voucher): ApiVoucher {
  const { redemptions: _count, ...rest } = voucher;
  return rest;
}

function sendRateLimited(
  res: express.Response,
  decision: Extract<RateDecision, { allowed: false }>,
  body: object,
) {
  res.setHeader('Retry-After', String(decision.retryAfterSeconds));
  res.status(429).json(body);
}

/**
 * `/v1/sovereigns/:sovereign/vouchers…` (franchise admins), `/v1/vouchers/…` (preview, redeem, rollback) and the
 * record feeds of the catalog providers (docs/vouchers.md). Full codes leave this router exactly once: in the
 * answer to the request that issued them. They are never logged.
 */
export function createVouchersRouter(options: {
  store: VoucherStore;
  sovereigns: SovereignDirectory;
  publisher: VoucherChangePublisher;
  rateLimits: VoucherRateLimits;
  codeKey: string;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  now?: () => Date;
  /**
   * `backend.trustProxy` as a number of proxy hops in front of the backend: the client address is the entry that
   * many hops back in X-Forwarded-For. Anything else (unset, a boolean or subnets) falls back to express's req.ip,
   * which the root router configures from the same key.
   */
  trustProxy?: unknown;
}): express.Router {
  const { store, sovereigns, publisher, rateLimits, codeKey, httpAuth } =
    options;
  const { permissions, logger } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();

  /** The Sovereign named in the path, as a full entity ref, after checking the caller may administer it. */
  async function adminOf(
    req: express.Request,
    permission: ResourcePermission,
  ): Promise<{
    sovereign: string;
    phase: string;
    credentials: BackstageCredentials<BackstageUserPrincipal>;
  }> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const sovereign = sovereignRefOf(String(req.params.sovereign ?? ''));
    const known = sovereign && (await sovereigns.get(sovereign.name));
    if (!sovereign || !known) {
      throw new NotFoundError(
        `Sovereign '${req.params.sovereign}' is not in the registry`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: sovereign.ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Only franchise admins of ${sovereign.ref} may do this ('${permission.name}')`,
      );
    }
    return { sovereign: sovereign.ref, phase: known.phase, credentials };
  }

  router.post('/v1/sovereigns/:sovereign/vouchers', async (req, res) => {
    const { sovereign, phase, credentials } = await adminOf(
      req,
      catalystVoucherCreatePermission,
    );
    const notReady = sovereignNotReadyMessage(
      sovereign,
      phase,
      'vouchers are issued',
    );
    if (notReady) throw new ConflictError(notReady);
    const body = parseRequest(issueSchema, req.body, 'voucher issue request');
    const count = body.count ?? 1;
    const creditMinor = creditToMinor(body.credit);
    if (body.expiresAt && Date.parse(body.expiresAt) <= now().getTime()) {
      throw new InputError('expiresAt: must be in the future');
    }
    let codes: Array<{ plain: string; kind: 'generated' | 'vanity' }>;
    if (body.code !== undefined) {
      if (count !== 1) {
        throw new InputError(
          'code: a vanity code names one voucher; leave count at 1 (use maxRedemptions for a multi-use campaign)',
        );
      }
      const vanity = parseVanityCode(body.code);
      if (!vanity.ok) throw new InputError(`code: ${vanity.message}`);
      codes = [{ plain: vanity.canonical, kind: 'vanity' }];
    } else {
      codes = Array.from({ length: count }, () => ({
        plain: generateVoucherCode(),
        kind: 'generated' as const,
      }));
    }
    const issued = await store.issue({
      sovereign,
      creditMinor,
      currency: body.credit.currency,
      description: body.description ?? '',
      expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
      maxRedemptions: body.maxRedemptions ?? 1,
      issuedBy: credentials.principal.userEntityRef,
      codes: codes.map(c => ({
        hash: hashVoucherCode(codeKey, c.plain),
        masked: maskVoucherCode(c.plain),
        kind: c.kind,
      })),
    });
    for (const voucher of issued) await publisher.voucher(voucher);
    logger.info(
      `${credentials.principal.userEntityRef} issued ${issued.length} voucher(s) for ${sovereign}`,
    );
    res.status(201).json({
      vouchers: issued.map((voucher, i) => ({
        ...withoutCount(voucher),
        code: codes[i].plain,
      })),
    });
  });

  // What decommissioning a Sovereign affects, shown by the decommission form before it runs: for whoever may
  // manage Sovereigns (the decommissioners) and the franchise admins of this one.
  router.get(
    '/v1/sovereigns/:sovereign/decommission-impact',
    async (req, res) => {
      const sovereign = sovereignRefOf(String(req.params.sovereign ?? ''));
      const known = sovereign && (await sovereigns.get(sovereign.name));
      if (!sovereign || !known) {
        throw new NotFoundError(
          `Sovereign '${req.params.sovereign}' is not in the registry`,
        );
      }
      await authorizeServiceOrUser(
        req,
        { httpAuth, permissions },
        catalystSovereignManagePermission,
      );
      const impact = await store.impact(sovereign.ref);
      res.json({ sovereign: sovereign.ref, phase: known.phase, ...impact });
    },
  );

  router.get('/v1/sovereigns/:sovereign/vouchers', async (req, res) => {
    const { sovereign } = await adminOf(req, catalystVoucherReadPermission);
    res.json({ vouchers: await store.list(sovereign) });
  });

  router.get('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const { sovereign } = await adminOf(req, catalystVoucherReadPermission);
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    const voucher = await store.get(sovereign, id);
    if (!voucher) {
      throw new NotFoundError(`Sovereign ${sovereign} has no voucher '${id}'`);
    }
    const { redemptionLog, ...rest } = voucher;
    res.json({
      ...withoutCount(rest),
      redemptions: redemptionLog.map(r => ({
        customer: r.customer,
        organization: r.organization,
        credit: r.credit,
        redeemedAt: r.redeemedAt,
      })),
    });
  });

  router.patch('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const { sovereign } = await adminOf(req, catalystVoucherDeletePermission);
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    const patch = parseRequest(patchSchema, req.body, 'voucher change');
    const voucher = await store.patch(sovereign, id, {
      ...patch,
      expiresAt:
        patch.expiresAt === undefined || patch.expiresAt === null
          ? patch.expiresAt
          : new Date(patch.expiresAt).toISOString(),
    });
    await publisher.voucher(voucher);
    res.json({ voucher: withoutCount(voucher) });
  });

  router.delete('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const { sovereign, credentials } = await adminOf(
      req,
      catalystVoucherDeletePermission,
    );
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    const voucher = await store.revoke(
      sovereign,
      id,
      credentials.principal.userEntityRef,
    );
    await publisher.voucher(voucher);
    res.json({ voucher: withoutCount(voucher) });
  });

  router.get('/v1/vouchers/administered', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const all = await sovereigns.list();
    const refs = all.map(s => `sovereign:default/${s.name}`);
    const decisions = refs.length
      ? await permissions.authorize(
          refs.map(resourceRef => ({
            permission: catalystVoucherReadPermission,
            resourceRef,
          })),
          { credentials },
        )
      : [];
    res.json({
      sovereigns: refs.filter(
        (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
      ),
    });
  });

  router.post('/v1/vouchers/preview', async (req, res) => {
    const client = await rateLimits.previewClient(
      clientAddress(req, options.trustProxy),
    );
    if (!client.allowed) {
      sendRateLimited(res, client, {
        valid: false,
        reason: 'rate-limited',
        message: 'Too many voucher checks; try again later',
      });
      return;
    }
    const body = previewSchema.safeParse(req.body ?? {});
    const parsed = body.success
      ? parseVoucherCode(body.data.code)
      : ({ ok: false, reason: 'bad-format' } as const);
    if (!parsed.ok) {
      res.status(400).json({
        valid: false,
        reason: parsed.reason,
        message: REJECTION_MESSAGE[parsed.reason],
      });
      return;
    }
    const codeHash = hashVoucherCode(codeKey, parsed.canonical);
    const perCode = await rateLimits.previewCode(codeHash);
    if (!perCode.allowed) {
      sendRateLimited(res, perCode, {
        valid: false,
        reason: 'rate-limited',
        message: 'Too many voucher checks; try again later',
      });
      return;
    }
    let sovereign: string | undefined;
    if (body.success && body.data.sovereign !== undefined) {
      sovereign = sovereignRefOf(body.data.sovereign)?.ref ?? 'invalid';
    }
    const result = await store.preview(codeHash, sovereign);
    if (result.state === 'active') {
      res.json({
        valid: true,
        credit: result.credit,
        expiresAt: result.expiresAt,
      });
      return;
    }
    const reason = result.state === 'deactivated' ? 'inactive' : result.state;
    res.status(reason === 'unknown' ? 404 : 410).json({
      valid: false,
      reason,
      message: REJECTION_MESSAGE[reason],
    });
  });

  router.post('/v1/vouchers/redeem', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseRequest(redeemSchema, req.body, 'redeem request');
    let customer: string;
    if (credentials.principal.type === 'user') {
      if (
        body.customer !== undefined &&
        body.customer !== credentials.principal.userEntityRef
      ) {
        throw new InputError(
          'customer: signed-in users redeem for themselves; only backend services name a customer',
        );
      }
      customer = credentials.principal.userEntityRef;
    } else {
      if (!body.customer) {
        throw new InputError(
          'customer: a service redeeming a voucher must name the customer (a user entity ref)',
        );
      }
      customer = body.customer;
    }
    const reject = (reason: keyof typeof REJECTION_STATUS, message?: string) =>
      res.status(REJECTION_STATUS[reason]).json({
        error: reason,
        message: message ?? REJECTION_MESSAGE[reason],
      });

    const limit = await rateLimits.redeemCustomer(customer);
    if (!limit.allowed) {
      sendRateLimited(res, limit, {
        error: 'rate-limited',
        message: 'Too many redemption attempts; try again later',
      });
      return;
    }
    const code = parseVoucherCode(body.code);
    if (!code.ok) {
      reject(code.reason);
      return;
    }
    const slugProblem = organizationSlugProblem(body.organization.slug);
    if (slugProblem) {
      reject('invalid-slug', `organization.slug: ${slugProblem}`);
      return;
    }
    const sovereign = sovereignRefOf(body.sovereign);
    const known = sovereign && (await sovereigns.get(sovereign.name));
    if (!sovereign || !known) {
      throw new NotFoundError(
        `Sovereign '${body.sovereign}' is not in the registry`,
      );
    }
    const notReady = sovereignNotReadyMessage(
      sovereign.ref,
      known.phase,
      'vouchers are redeemed',
    );
    if (notReady) {
      reject('sovereign-not-ready', notReady);
      return;
    }
    const result = await store.redeem({
      codeHash: hashVoucherCode(codeKey, code.canonical),
      sovereign: sovereign.ref,
      customer,
      organization: body.organization,
      organizationRef: `group:${sovereign.name}/${body.organization.slug}`,
    });
    if (!result.ok) {
      reject(result.reason);
      return;
    }
    await publisher.voucher(result.voucher);
    await publisher.organization('upsert', result.organization);
    logger.info(
      `${customer} redeemed voucher ${result.voucher.id} (${result.voucher.codeMasked}) for ${result.redemption.organization}`,
    );
    res.status(201).json({ redemption: result.redemption });
  });

  router.post('/v1/vouchers/redemptions/:id/rollback', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { id } = parseRequest(
      redemptionIdSchema,
      req.params,
      'redemption id',
    );
    const result = await store.rollback(id);
    await publisher.voucher(result.voucher);
    if (result.organization) {
      await publisher.organization('delete', result.organization);
    }
    logger.info(
      `Rolled back redemption ${id} of voucher ${result.voucher.id}: credit and count restored`,
    );
    res.json({ redemption: result.redemption });
  });

  router.get('/v1/vouchers/records', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await store.records() });
  });

  return router;
}

/**
 * The client address behind `hops` trusted proxies: each proxy appends the address it received the request from
 * to X-Forwarded-For, so the entry `hops - 1` from the end is the last one a trusted proxy wrote; entries before
 * it were written by the client and are ignored.
 */
export function clientAddress(
  req: express.Request,
  trustProxy: unknown,
): string {
  const socket = req.socket?.remoteAddress ?? 'unknown';
  if (typeof trustProxy !== 'number' || !Number.isInteger(trustProxy)) {
    return req.ip ?? socket;
  }
  if (trustProxy <= 0) return socket;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map(a => a.trim())
    .filter(Boolean);
  // The chain from nearest to farthest: the socket peer, then what each proxy recorded.
  const chain = [socket, ...forwarded.reverse()];
  return chain[Math.min(trustProxy, chain.length - 1)];
}
