import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
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
  catalystVoucherReadPermission,
  issueVouchersRequestSchema,
  organizationSlugProblem,
  redeemVoucherRequestSchema,
  voucherPatchSchema,
  voucherPreviewRequestSchema,
} from '@catalyst/plugin-catalyst-common';
import { z } from 'zod/v3';
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
import { VoucherRateLimits } from './VoucherRateLimits';
import { RedeemRejection, Voucher, VoucherStore } from './VoucherStore';

type ParsedIssueRequest = z.output<typeof issueVouchersRequestSchema>;
type ParsedVoucherPatch = z.output<typeof voucherPatchSchema>;
type ParsedPreviewRequest = z.output<typeof voucherPreviewRequestSchema>;
type ParsedRedeemRequest = z.output<typeof redeemVoucherRequestSchema>;

/** Why a preview or a redemption was refused; the router maps each to its HTTP status. */
export type VoucherRejection =
  | RedeemRejection
  | 'bad-format'
  | 'bad-check-character'
  | 'invalid-slug'
  | 'sovereign-not-ready';

/** The words a customer reads for each refusal. */
export const VOUCHER_REJECTION_MESSAGE: Record<VoucherRejection, string> = {
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

/** A voucher as the API shows it: without the internal redemption count. */
export type ApiVoucher = Omit<Voucher, 'redemptions'>;

export function withoutCount(voucher: Voucher): ApiVoucher {
  const { redemptions: _count, ...rest } = voucher;
  return rest;
}

/** A franchise admin acting on one Sovereign, after the permission decision. */
export type VoucherAdmin = {
  sovereign: string;
  phase: string;
  credentials: BackstageCredentials<BackstageUserPrincipal>;
};

export type PreviewOutcome =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'rejected'; reason: VoucherRejection }
  | { kind: 'valid'; credit: Voucher['credit']; expiresAt: string | null };

export type RedeemOutcome =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'rejected'; reason: VoucherRejection; message: string }
  | {
      kind: 'redeemed';
      redemption: Extract<
        Awaited<ReturnType<VoucherStore['redeem']>>,
        { ok: true }
      >['redemption'];
    };

/**
 * The voucher rules (docs/vouchers.md) without HTTP: who administers which Sovereign, how codes are made, hashed
 * and masked, the limits on previews and redemptions, and the order of a redemption's checks. Full codes leave
 * this service exactly once, in the result of the call that issued them, and are never logged.
 */
export class VoucherService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      store: VoucherStore;
      sovereigns: SovereignDirectory;
      publisher: VoucherChangePublisher;
      rateLimits: VoucherRateLimits;
      codeKey: string;
      permissions: PermissionsService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A registered Sovereign named by its entity name or ref, or NotFoundError. */
  async knownSovereign(
    name: string,
  ): Promise<{ name: string; ref: string; phase: string }> {
    const sovereign = sovereignRefOf(name);
    const known = sovereign && (await this.deps.sovereigns.get(sovereign.name));
    if (!sovereign || !known) {
      throw new NotFoundError(`Sovereign '${name}' is not in the registry`);
    }
    return { ...sovereign, phase: known.phase };
  }

  /** The Sovereign named, after checking the user may administer it with `permission`. */
  async admin(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    sovereignName: string,
    permission: ResourcePermission,
  ): Promise<VoucherAdmin> {
    const sovereign = await this.knownSovereign(sovereignName);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: sovereign.ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Only franchise admins of ${sovereign.ref} may do this ('${permission.name}')`,
      );
    }
    return { sovereign: sovereign.ref, phase: sovereign.phase, credentials };
  }

  /** Vouchers are issued only for a ready Sovereign (ConflictError otherwise). */
  assertIssuable(admin: VoucherAdmin) {
    const notReady = sovereignNotReadyMessage(
      admin.sovereign,
      admin.phase,
      'vouchers are issued',
    );
    if (notReady) throw new ConflictError(notReady);
  }

  /** Issues one or more vouchers; the answer is the only place their full codes appear. */
  async issue(
    admin: VoucherAdmin,
    body: ParsedIssueRequest,
  ): Promise<Array<ApiVoucher & { code: string }>> {
    const { store, publisher, logger, codeKey } = this.deps;
    const count = body.count ?? 1;
    const creditMinor = creditToMinor(body.credit);
    if (body.expiresAt && Date.parse(body.expiresAt) <= this.now().getTime()) {
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
    const issuedBy = admin.credentials.principal.userEntityRef;
    const issued = await store.issue({
      sovereign: admin.sovereign,
      creditMinor,
      currency: body.credit.currency,
      description: body.description ?? '',
      expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
      maxRedemptions: body.maxRedemptions ?? 1,
      issuedBy,
      codes: codes.map(c => ({
        hash: hashVoucherCode(codeKey, c.plain),
        masked: maskVoucherCode(c.plain),
        kind: c.kind,
      })),
    });
    for (const voucher of issued) await publisher.voucher(voucher);
    logger.info(
      `${issuedBy} issued ${issued.length} voucher(s) for ${admin.sovereign}`,
    );
    return issued.map((voucher, i) => ({
      ...withoutCount(voucher),
      code: codes[i].plain,
    }));
  }

  /** What decommissioning the Sovereign affects. */
  async impact(sovereign: { ref: string; phase: string }) {
    const impact = await this.deps.store.impact(sovereign.ref);
    return { sovereign: sovereign.ref, phase: sovereign.phase, ...impact };
  }

  async list(admin: VoucherAdmin) {
    return this.deps.store.list(admin.sovereign);
  }

  /** One voucher with its redemption log (customer, organization, credit, time). */
  async get(admin: VoucherAdmin, id: string) {
    const voucher = await this.deps.store.get(admin.sovereign, id);
    if (!voucher) {
      throw new NotFoundError(
        `Sovereign ${admin.sovereign} has no voucher '${id}'`,
      );
    }
    const { redemptionLog, ...rest } = voucher;
    return {
      ...withoutCount(rest),
      redemptions: redemptionLog.map(r => ({
        customer: r.customer,
        organization: r.organization,
        credit: r.credit,
        redeemedAt: r.redeemedAt,
      })),
    };
  }

  async patch(
    admin: VoucherAdmin,
    id: string,
    patch: ParsedVoucherPatch,
  ): Promise<ApiVoucher> {
    const voucher = await this.deps.store.patch(admin.sovereign, id, {
      ...patch,
      expiresAt:
        patch.expiresAt === undefined || patch.expiresAt === null
          ? patch.expiresAt
          : new Date(patch.expiresAt).toISOString(),
    });
    await this.deps.publisher.voucher(voucher);
    return withoutCount(voucher);
  }

  async revoke(admin: VoucherAdmin, id: string): Promise<ApiVoucher> {
    const voucher = await this.deps.store.revoke(
      admin.sovereign,
      id,
      admin.credentials.principal.userEntityRef,
    );
    await this.deps.publisher.voucher(voucher);
    return withoutCount(voucher);
  }

  /** The Sovereigns whose vouchers this user may read. */
  async administered(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<string[]> {
    const all = await this.deps.sovereigns.list();
    const refs = all.map(s => `sovereign:default/${s.name}`);
    const decisions = refs.length
      ? await this.deps.permissions.authorize(
          refs.map(resourceRef => ({
            permission: catalystVoucherReadPermission,
            resourceRef,
          })),
          { credentials },
        )
      : [];
    return refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW);
  }

  /**
   * Checks a code for an anonymous visitor: limited per client address and per code (by its keyed hash), then
   * looked up by its hash. `request` is undefined when the body was not a preview request at all.
   */
  async preview(
    clientAddress: string,
    request: ParsedPreviewRequest | undefined,
  ): Promise<PreviewOutcome> {
    const { rateLimits, store, codeKey } = this.deps;
    const client = await rateLimits.previewClient(clientAddress);
    if (!client.allowed) {
      return {
        kind: 'rate-limited',
        retryAfterSeconds: client.retryAfterSeconds,
      };
    }
    const parsed = request
      ? parseVoucherCode(request.code)
      : ({ ok: false, reason: 'bad-format' } as const);
    if (!parsed.ok) return { kind: 'rejected', reason: parsed.reason };
    const codeHash = hashVoucherCode(codeKey, parsed.canonical);
    const perCode = await rateLimits.previewCode(codeHash);
    if (!perCode.allowed) {
      return {
        kind: 'rate-limited',
        retryAfterSeconds: perCode.retryAfterSeconds,
      };
    }
    let sovereign: string | undefined;
    if (request && request.sovereign !== undefined) {
      sovereign = sovereignRefOf(request.sovereign)?.ref ?? 'invalid';
    }
    const result = await store.preview(codeHash, sovereign);
    if (result.state === 'active') {
      return {
        kind: 'valid',
        credit: result.credit,
        expiresAt: result.expiresAt,
      };
    }
    return {
      kind: 'rejected',
      reason: result.state === 'deactivated' ? 'inactive' : result.state,
    };
  }

  /**
   * Who a redemption is for: a signed-in user redeems for themselves; a backend service (the redeem action) must
   * name the customer.
   */
  customerOf(
    principal: BackstageUserPrincipal | BackstageServicePrincipal,
    customer: string | undefined,
  ): string {
    if (principal.type === 'user') {
      if (customer !== undefined && customer !== principal.userEntityRef) {
        throw new InputError(
          'customer: signed-in users redeem for themselves; only backend services name a customer',
        );
      }
      return principal.userEntityRef;
    }
    if (!customer) {
      throw new InputError(
        'customer: a service redeeming a voucher must name the customer (a user entity ref)',
      );
    }
    return customer;
  }

  /**
   * Redeems a code for a customer, creating their Organization: limited per customer, then the code's form, the
   * slug, the Sovereign's existence (NotFoundError) and readiness, then the store's atomic redemption.
   */
  async redeem(
    principal: BackstageUserPrincipal | BackstageServicePrincipal,
    body: ParsedRedeemRequest,
  ): Promise<RedeemOutcome> {
    const { rateLimits, store, publisher, logger, codeKey } = this.deps;
    const customer = this.customerOf(principal, body.customer);
    const rejected = (reason: VoucherRejection, message?: string) =>
      ({
        kind: 'rejected',
        reason,
        message: message ?? VOUCHER_REJECTION_MESSAGE[reason],
      } as const);

    const limit = await rateLimits.redeemCustomer(customer);
    if (!limit.allowed) {
      return {
        kind: 'rate-limited',
        retryAfterSeconds: limit.retryAfterSeconds,
      };
    }
    const code = parseVoucherCode(body.code);
    if (!code.ok) return rejected(code.reason);
    const slugProblem = organizationSlugProblem(body.organization.slug);
    if (slugProblem) {
      return rejected('invalid-slug', `organization.slug: ${slugProblem}`);
    }
    const sovereign = await this.knownSovereign(body.sovereign);
    const notReady = sovereignNotReadyMessage(
      sovereign.ref,
      sovereign.phase,
      'vouchers are redeemed',
    );
    if (notReady) return rejected('sovereign-not-ready', notReady);
    const result = await store.redeem({
      codeHash: hashVoucherCode(codeKey, code.canonical),
      sovereign: sovereign.ref,
      customer,
      organization: body.organization,
      organizationRef: `group:${sovereign.name}/${body.organization.slug}`,
    });
    if (!result.ok) return rejected(result.reason);
    await publisher.voucher(result.voucher);
    await publisher.organization('upsert', result.organization);
    logger.info(
      `${customer} redeemed voucher ${result.voucher.id} (${result.voucher.codeMasked}) for ${result.redemption.organization}`,
    );
    return { kind: 'redeemed', redemption: result.redemption };
  }

  /** Undoes a redemption whose provisioning failed: credit and count restored, its Organization removed. */
  async rollback(id: string) {
    const { store, publisher, logger } = this.deps;
    const result = await store.rollback(id);
    await publisher.voucher(result.voucher);
    if (result.organization) {
      await publisher.organization('delete', result.organization);
    }
    logger.info(
      `Rolled back redemption ${id} of voucher ${result.voucher.id}: credit and count restored`,
    );
    return result.redemption;
  }

  /** Every voucher and Organization record, for the catalog providers' resync. */
  async records() {
    return this.deps.store.records();
  }
}
