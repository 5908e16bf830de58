import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  catalystSovereignManagePermission,
  catalystVoucherCreatePermission,
  catalystVoucherDeletePermission,
  catalystVoucherReadPermission,
  issueVouchersRequestSchema as issueSchema,
  redeemVoucherRequestSchema as redeemSchema,
  voucherPatchSchema as patchSchema,
  voucherPreviewRequestSchema as previewSchema,
  VoucherRejectedError,
} from '@catalyst/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { authorizeServiceOrUser } from '../http/authorizeServiceOrUser';
import { parseRequest } from '../http/parseRequest';
import { SovereignDirectory } from './SovereignDirectory';
import { VoucherChangePublisher } from './VoucherChangePublisher';
import { VoucherRateLimits } from './VoucherRateLimits';
import {
  VOUCHER_REJECTION_MESSAGE,
  VoucherRejection,
  VoucherService,
} from './VoucherService';
import { VoucherStore } from './VoucherStore';

/** Routes that answer without a Backstage token (mounted with `httpRouter.addAuthPolicy`). */
export const voucherAuthPolicies = [
  { path: '/v1/vouchers/preview', allow: 'unauthenticated' as const },
];

const idSchema = z.object({ id: z.string().uuid('must be a voucher id') });
const redemptionIdSchema = z.object({
  id: z.string().uuid('must be a redemption id'),
});

const REJECTION_STATUS: Record<VoucherRejection, number> = {
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

/** A preview refuses a malformed code with 400, an unknown one with 404 and any other with 410. */
function previewRejectionStatus(reason: VoucherRejection): number {
  if (reason === 'bad-format' || reason === 'bad-check-character') return 400;
  if (reason === 'unknown') return 404;
  return 410;
}

/**
 * A rate limit is refused like any other request: with the Backstage error body (reason `rate-limited`), plus
 * the Retry-After header the error handler keeps.
 */
function rateLimited(
  res: express.Response,
  retryAfterSeconds: number,
  message: string,
): VoucherRejectedError {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new VoucherRejectedError(message, 'rate-limited', 429);
}

/**
 * `/v1/sovereigns/:sovereign/vouchers…` (franchise admins), `/v1/vouchers/…` (preview, redeem, rollback) and the
 * record feeds of the catalog providers (docs/vouchers.md). Each route reads the caller and the request, calls
 * {@link VoucherService}, which holds the rules, and answers. Full codes leave this router exactly once: in the
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
  const { httpAuth, permissions } = options;
  const vouchers = new VoucherService(options);
  const router = Router();

  /** The signed-in user and the Sovereign named in the path, after checking the user may administer it. */
  async function adminOf(req: express.Request, permission: ResourcePermission) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return vouchers.admin(
      credentials,
      String(req.params.sovereign ?? ''),
      permission,
    );
  }

  router.post('/v1/sovereigns/:sovereign/vouchers', async (req, res) => {
    const admin = await adminOf(req, catalystVoucherCreatePermission);
    vouchers.assertIssuable(admin);
    const body = parseRequest(issueSchema, req.body, 'voucher issue request');
    res.status(201).json({ vouchers: await vouchers.issue(admin, body) });
  });

  // What decommissioning a Sovereign affects, shown by the decommission form before it runs: for whoever may
  // manage Sovereigns (the decommissioners) and the franchise admins of this one.
  router.get(
    '/v1/sovereigns/:sovereign/decommission-impact',
    async (req, res) => {
      const sovereign = await vouchers.knownSovereign(
        String(req.params.sovereign ?? ''),
      );
      await authorizeServiceOrUser(
        req,
        { httpAuth, permissions },
        catalystSovereignManagePermission,
      );
      res.json(await vouchers.impact(sovereign));
    },
  );

  router.get('/v1/sovereigns/:sovereign/vouchers', async (req, res) => {
    const admin = await adminOf(req, catalystVoucherReadPermission);
    res.json({ vouchers: await vouchers.list(admin) });
  });

  router.get('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const admin = await adminOf(req, catalystVoucherReadPermission);
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    res.json(await vouchers.get(admin, id));
  });

  router.patch('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const admin = await adminOf(req, catalystVoucherDeletePermission);
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    const patch = parseRequest(patchSchema, req.body, 'voucher change');
    res.json({ voucher: await vouchers.patch(admin, id, patch) });
  });

  router.delete('/v1/sovereigns/:sovereign/vouchers/:id', async (req, res) => {
    const admin = await adminOf(req, catalystVoucherDeletePermission);
    const { id } = parseRequest(idSchema, req.params, 'voucher id');
    res.json({ voucher: await vouchers.revoke(admin, id) });
  });

  router.get('/v1/vouchers/administered', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ sovereigns: await vouchers.administered(credentials) });
  });

  router.post('/v1/vouchers/preview', async (req, res) => {
    const body = previewSchema.safeParse(req.body ?? {});
    const outcome = await vouchers.preview(
      clientAddress(req, options.trustProxy),
      body.success ? body.data : undefined,
    );
    if (outcome.kind === 'rate-limited') {
      throw rateLimited(
        res,
        outcome.retryAfterSeconds,
        'Too many voucher checks; try again later',
      );
    }
    if (outcome.kind === 'valid') {
      res.json({
        valid: true,
        credit: outcome.credit,
        expiresAt: outcome.expiresAt,
      });
      return;
    }
    const { reason } = outcome;
    throw new VoucherRejectedError(
      VOUCHER_REJECTION_MESSAGE[reason],
      reason,
      previewRejectionStatus(reason),
    );
  });

  router.post('/v1/vouchers/redeem', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseRequest(redeemSchema, req.body, 'redeem request');
    const outcome = await vouchers.redeem(credentials.principal, body);
    if (outcome.kind === 'rate-limited') {
      throw rateLimited(
        res,
        outcome.retryAfterSeconds,
        'Too many redemption attempts; try again later',
      );
    }
    if (outcome.kind === 'rejected') {
      throw new VoucherRejectedError(
        outcome.message,
        outcome.reason,
        REJECTION_STATUS[outcome.reason],
      );
    }
    res.status(201).json({ redemption: outcome.redemption });
  });

  router.post('/v1/vouchers/redemptions/:id/rollback', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { id } = parseRequest(
      redemptionIdSchema,
      req.params,
      'redemption id',
    );
    res.json({ redemption: await vouchers.rollback(id) });
  });

  router.get('/v1/vouchers/records', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await vouchers.records() });
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
