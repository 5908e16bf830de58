import { randomUUID } from 'node:crypto';
import { LocalApiServer, RecordedRequest } from './LocalApiServer';

type Caller = { type: 'user'; ref: string } | { type: 'service' } | undefined;

/**
 * Reads who a request is from, for tokens minted by `mockServices.auth()`: a token minted on behalf of a user
 * names it in `obo`, one minted with the plugin's own credentials has no `obo`.
 */
function callerOf(r: RecordedRequest): Caller {
  const match = /^Bearer mock-service-token:(.*)$/.exec(r.authorization ?? '');
  if (!match) return undefined;
  const claims = JSON.parse(match[1]);
  if (claims.target !== 'catalyst') return undefined;
  return claims.obo ? { type: 'user', ref: claims.obo } : { type: 'service' };
}

/** A failed answer in the Backstage error body the backend's error handler writes. */
const error = (
  status: number,
  name: string,
  message: string,
  extra: object = {},
) => ({
  status,
  body: {
    error: { name, message, ...extra },
    response: { statusCode: status },
  },
});

/** A refusal as the vouchers router throws it (`VoucherRejectedError`). */
const refusal = (status: number, reason: string, message: string) =>
  error(status, 'VoucherRejectedError', message, {
    reason,
    statusCode: status,
  });

/**
 * The voucher routes of catalyst-backend (and the registry's GET) over real HTTP, with the router's auth rules
 * (issue and redeem for users, rollback for services only), statuses and answer shapes. Test-only.
 */
export class VoucherTestApi {
  readonly server: LocalApiServer;
  readonly sovereigns = new Map<string, any>();
  /** Users allowed to issue, per Sovereign name (the franchise admins). */
  readonly admins = new Map<string, string[]>();
  readonly vouchers = new Map<
    string,
    { id: string; sovereign: string; max: number; used: number; body: any }
  >();
  readonly redemptions = new Map<
    string,
    { id: string; code: string; rolledBack: boolean; slug: string }
  >();
  readonly organizations = new Set<string>();
  /** When set, rollbacks answer 503 (the plugin database is down). */
  failRollback = false;

  constructor() {
    this.server = new LocalApiServer(r => this.handle(r));
  }

  start() {
    return this.server.start();
  }

  stop() {
    return this.server.stop();
  }

  get discovery() {
    return this.server.discovery;
  }

  addSovereign(record: {
    name: string;
    fqdn: string;
    blueprints: string[];
    phase?: string;
  }) {
    this.sovereigns.set(record.name, { phase: 'ready', ...record });
  }

  /** Stores a voucher as if issued earlier; returns its code. */
  addVoucher(sovereignName: string, maxRedemptions = 1): string {
    const code = `ABCD-EFGH-JKMN-PQRS-${this.vouchers.size}`;
    this.vouchers.set(code, {
      id: randomUUID(),
      sovereign: `sovereign:default/${sovereignName}`,
      max: maxRedemptions,
      used: 0,
      body: {},
    });
    return code;
  }

  private handle(r: RecordedRequest): { status: number; body?: unknown } {
    if (r.pluginId !== 'catalyst') return { status: 404 };
    const caller = callerOf(r);
    if (!caller) {
      return error(401, 'AuthenticationError', 'Missing credentials');
    }
    const parts = r.path.split('/').filter(Boolean).map(decodeURIComponent);
    // GET /v1/sovereigns/:name (registry)
    if (r.method === 'GET' && parts[1] === 'sovereigns' && parts.length === 3) {
      const record = this.sovereigns.get(parts[2]);
      return record
        ? { status: 200, body: record }
        : error(
            404,
            'NotFoundError',
            `Sovereign '${parts[2]}' is not in the registry`,
          );
    }
    if (
      r.method === 'POST' &&
      parts[1] === 'sovereigns' &&
      parts[3] === 'vouchers'
    ) {
      return this.issue(caller, parts[2], r.body);
    }
    if (r.method === 'POST' && parts.join('/') === 'v1/vouchers/redeem') {
      return this.redeem(caller, r.body);
    }
    if (
      r.method === 'POST' &&
      parts[1] === 'vouchers' &&
      parts[2] === 'redemptions' &&
      parts[4] === 'rollback'
    ) {
      return this.rollback(caller, parts[3]);
    }
    return error(404, 'NotFoundError', `No route ${r.method} ${r.path}`);
  }

  private issue(caller: Caller, sovereign: string, body: any) {
    if (caller?.type !== 'user') {
      return error(403, 'NotAllowedError', 'This request requires a user');
    }
    const name = sovereign.replace(/^sovereign:(default\/)?/, '');
    if (!this.sovereigns.has(name)) {
      return error(
        404,
        'NotFoundError',
        `Sovereign '${sovereign}' is not in the registry`,
      );
    }
    if (!(this.admins.get(name) ?? []).includes(caller.ref)) {
      return error(
        403,
        'NotAllowedError',
        `Only franchise admins of sovereign:default/${name} may do this ('catalyst.voucher.create')`,
      );
    }
    if (!(body?.credit?.amount > 0)) {
      return error(
        400,
        'InputError',
        'Invalid voucher issue request: credit.amount: must be greater than 0',
      );
    }
    const vouchers = Array.from({ length: body.count ?? 1 }, (_, i) => {
      const code = `${randomUUID()
        .slice(0, 4)
        .toUpperCase()}-ISSU-EDCO-DE${String(i).padStart(2, '0')}-X`;
      const id = randomUUID();
      this.vouchers.set(code, {
        id,
        sovereign: `sovereign:default/${name}`,
        max: body.maxRedemptions ?? 1,
        used: 0,
        body,
      });
      return {
        id,
        code,
        codeMasked: `••••-••••-••••-${code.slice(-6)}`,
        sovereign: `sovereign:default/${name}`,
        credit: {
          amount: body.credit.amount,
          currency: String(body.credit.currency).toUpperCase(),
        },
        expiresAt: body.expiresAt ?? null,
        maxRedemptions: body.maxRedemptions ?? 1,
        description: body.description ?? '',
      };
    });
    return { status: 201, body: { vouchers } };
  }

  private redeem(caller: Caller, body: any) {
    if (caller?.type !== 'user') {
      return error(
        400,
        'InputError',
        'customer: a service redeeming a voucher must name the customer (a user entity ref)',
      );
    }
    const voucher = this.vouchers.get(String(body?.code).toUpperCase());
    if (!voucher) {
      return refusal(404, 'unknown', 'This voucher code is not valid');
    }
    const sovereign = `sovereign:default/${String(body.sovereign).replace(
      /^sovereign:(default\/)?/,
      '',
    )}`;
    if (voucher.sovereign !== sovereign) {
      return refusal(
        409,
        'wrong-sovereign',
        'This voucher belongs to another Sovereign',
      );
    }
    if (voucher.used >= voucher.max) {
      return refusal(
        410,
        'exhausted',
        'This voucher has reached its redemption limit',
      );
    }
    const slug = body.organization.slug;
    if (this.organizations.has(slug)) {
      return refusal(
        409,
        'slug-taken',
        'An organization with this slug already exists; choose another',
      );
    }
    voucher.used++;
    this.organizations.add(slug);
    const id = randomUUID();
    this.redemptions.set(id, {
      id,
      code: body.code,
      rolledBack: false,
      slug,
    });
    const name = sovereign.split('/')[1];
    return {
      status: 201,
      body: {
        redemption: {
          id,
          voucherId: voucher.id,
          customer: caller.ref,
          organization: `group:${name}/${slug}`,
          credit: { amount: 100, currency: 'OMR' },
          redeemedAt: new Date().toISOString(),
        },
      },
    };
  }

  private rollback(caller: Caller, id: string) {
    if (caller?.type !== 'service') {
      return error(403, 'NotAllowedError', 'This request requires a service');
    }
    if (this.failRollback) {
      return error(503, 'ServiceUnavailableError', 'database unavailable');
    }
    const redemption = this.redemptions.get(id);
    if (!redemption) {
      return error(404, 'NotFoundError', `There is no redemption '${id}'`);
    }
    if (redemption.rolledBack) {
      return error(
        409,
        'ConflictError',
        `Redemption '${id}' was already rolled back`,
      );
    }
    redemption.rolledBack = true;
    this.vouchers.get(String(redemption.code).toUpperCase())!.used--;
    this.organizations.delete(redemption.slug);
    return { status: 200, body: { redemption: { id } } };
  }
}
