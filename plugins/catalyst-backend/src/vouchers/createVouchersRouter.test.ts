import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';
import {
  remoteErrorOf,
  VoucherRedeemRejectedError,
  VouchersClient,
} from '@catalyst/plugin-catalyst-common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createOrganizationsRouter } from '../organizations/createOrganizationsRouter';
import { OrganizationStore } from '../organizations/OrganizationStore';
import { createRouter } from '../router';
import {
  createVouchersRouter,
  voucherAuthPolicies,
} from './createVouchersRouter';
import { SovereignDirectory, sovereignRefOf } from './SovereignDirectory';
import { isFranchiseAdminRule } from './sovereignPermissionResource';
import { readVoucherCodeKey } from './setUpVouchers';
import { VoucherChangePublisher } from './VoucherChangePublisher';
import { VoucherRateLimits } from './VoucherRateLimits';
import { VoucherStore } from './VoucherStore';

jest.setTimeout(60_000);

const OMANTEL = 'sovereign:default/omantel-omani-works';
const ADMIN = 'user:default/nadia';
const OUTSIDER = 'user:default/mallory';
const TENANT = 'user:default/tariq';
const BASE = '/api/catalyst/v1';
const VOUCHERS = `${BASE}/sovereigns/omantel-omani-works/vouchers`;

/** A refusal in the Backstage error body: the reason next to the sentence a person reads, and the status. */
const refusal = (reason: string, statusCode: number) => ({
  error: {
    name: 'VoucherRejectedError',
    reason,
    statusCode,
    message: expect.any(String),
  },
  response: { statusCode },
});

const sovereignsInDirectory = [
  {
    name: 'omantel-omani-works',
    owner: 'group:default/omantel-admins',
    phase: 'ready',
  },
  {
    name: 'acme-example-com',
    owner: 'group:default/acme-admins',
    phase: 'ready',
  },
];
const directory: SovereignDirectory = {
  get: async (name: string) => sovereignsInDirectory.find(s => s.name === name),
  list: async () => sovereignsInDirectory,
};
function setPhase(name: string, phase: string) {
  sovereignsInDirectory.find(s => s.name === name)!.phase = phase;
}

/** Group memberships as the sign-in resolver would put them into ownership claims. */
const CLAIMS: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/omantel-admins'],
  [OUTSIDER]: [OUTSIDER, 'group:default/acme-admins'],
};

/** Decides voucher permissions with the real franchise-admin rule, as the policy's conditional decision does. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[], options: any) {
      const principal = options.credentials.principal;
      const user = principal.userEntityRef ?? '';
      return Promise.all(
        requests.map(async r => {
          if (!isResourcePermission(r.permission)) {
            return { result: AuthorizeResult.ALLOW };
          }
          const sovereign = await directory.get(
            sovereignRefOf(r.resourceRef)!.name,
          );
          const allowed =
            sovereign &&
            isFranchiseAdminRule.apply(
              { ref: r.resourceRef, owner: sovereign.owner },
              { claims: CLAIMS[user] ?? [user] },
            );
          return {
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          };
        }),
      );
    },
    async authorizeConditional() {
      throw new Error('not used');
    },
  }),
});

function limiter(points: number) {
  return new RateLimiterMemory({ points, duration: 60 });
}

async function startVouchers(options?: {
  rateLimits?: VoucherRateLimits;
  clock?: { now: Date };
  /** `backend.trustProxy`: how many proxy hops the backend trusts for the client address. */
  trustProxy?: number;
}) {
  const published: EventParams[] = [];
  const events = createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => ({
      publish: async (params: EventParams) => {
        published.push(params);
      },
      subscribe: async () => {},
    }),
  });
  const now = options?.clock ? () => options.clock!.now : undefined;
  const plugin = createBackendPlugin({
    pluginId: 'catalyst',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          database: coreServices.database,
          logger: coreServices.logger,
          events: eventsServiceRef,
        },
        async init({
          httpRouter,
          httpAuth,
          permissions,
          database,
          logger,
          ...d
        }) {
          const store = await VoucherStore.create(database, { now });
          httpRouter.use(
            createRouter([
              createVouchersRouter({
                store,
                sovereigns: directory,
                publisher: new VoucherChangePublisher(d.events, logger),
                rateLimits:
                  options?.rateLimits ??
                  VoucherRateLimits.inMemory({
                    previewPerClientPerMinute: 1000,
                    previewPerCodePerMinute: 1000,
                    redeemPerCustomerPerMinute: 1000,
                  }),
                codeKey: 'router-test-code-key-0123456789abcdef',
                trustProxy: options?.trustProxy,
                httpAuth,
                permissions,
                logger,
                now,
              }),
              createOrganizationsRouter({
                organizations: new OrganizationStore(store.knex),
                httpAuth,
              }),
            ]),
          );
          for (const policy of voucherAuthPolicies) {
            httpRouter.addAuthPolicy(policy);
          }
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      plugin,
      events,
      permissionsFactory,
      mockServices.database.factory(),
    ],
  });
  return { server, published };
}

const asAdmin = mockCredentials.user.header(ADMIN);
const asOutsider = mockCredentials.user.header(OUTSIDER);
const asTenant = mockCredentials.user.header(TENANT);
const asService = mockCredentials.service.header();

async function issue(server: any, body: object) {
  const res = await request(server)
    .post(VOUCHERS)
    .set('Authorization', asAdmin)
    .send(body);
  expect(res.status).toBe(201);
  return res.body.vouchers as Array<{ id: string; code: string }>;
}

describe('voucher API', () => {
  afterEach(() => setPhase('omantel-omani-works', 'ready'));

  it('takes no money for a Sovereign that is not ready: no issue, no redemption', async () => {
    const { server } = await startVouchers();
    const [voucher] = await issue(server, {
      credit: { amount: 10, currency: 'EUR' },
    });
    for (const phase of ['provisioning', 'decommissioning', 'decommissioned']) {
      setPhase('omantel-omani-works', phase);
      const issued = await request(server)
        .post(VOUCHERS)
        .set('Authorization', asAdmin)
        .send({ credit: { amount: 10, currency: 'EUR' } });
      expect(issued.status).toBe(409);
      expect(issued.body.error.message).toBe(
        `Sovereign ${OMANTEL} is ${phase}: vouchers are issued only for a ready Sovereign`,
      );
      const redeemed = await request(server)
        .post(`${BASE}/vouchers/redeem`)
        .set('Authorization', asTenant)
        .send({
          code: voucher.code,
          sovereign: OMANTEL,
          organization: { name: 'Late Tenant', slug: 'late-tenant' },
        });
      expect(redeemed.status).toBe(409);
      expect(redeemed.body).toEqual({
        error: {
          name: 'VoucherRejectedError',
          reason: 'sovereign-not-ready',
          statusCode: 409,
          message: `Sovereign ${OMANTEL} is ${phase}: vouchers are redeemed only for a ready Sovereign`,
        },
        request: { method: 'POST', url: '/v1/vouchers/redeem' },
        response: { statusCode: 409 },
      });
    }
    const orgs = await request(server)
      .get(`${BASE}/organizations/records`)
      .set('Authorization', asService);
    expect(orgs.body.items).toEqual([]);
  });

  it('tells a decommissioner what a decommission affects: tenants and open vouchers', async () => {
    const { server } = await startVouchers();
    const [first] = await issue(server, {
      credit: { amount: 10, currency: 'EUR' },
      count: 2,
    });
    expect(
      (
        await request(server)
          .post(`${BASE}/vouchers/redeem`)
          .set('Authorization', asTenant)
          .send({
            code: first.code,
            sovereign: OMANTEL,
            organization: { name: 'Tariq Trading', slug: 'tariq-trading' },
          })
      ).status,
    ).toBe(201);
    const impact = await request(server)
      .get(`${BASE}/sovereigns/omantel-omani-works/decommission-impact`)
      .set('Authorization', asAdmin);
    expect(impact.status).toBe(200);
    expect(impact.body).toEqual({
      sovereign: OMANTEL,
      phase: 'ready',
      organizations: ['tariq-trading'],
      openVouchers: 2,
    });
    const unknown = await request(server)
      .get(`${BASE}/sovereigns/nowhere-example-com/decommission-impact`)
      .set('Authorization', asAdmin);
    expect(unknown.status).toBe(404);
    const asScaffolder = await request(server)
      .get(`${BASE}/sovereigns/omantel-omani-works/decommission-impact`)
      .set('Authorization', asService);
    expect(asScaffolder.body.organizations).toEqual(['tariq-trading']);
  });

  it('issues codes once, lists them masked, shows redemptions and publishes catalog records', async () => {
    const { server, published } = await startVouchers();
    const issued = await request(server)
      .post(VOUCHERS)
      .set('Authorization', asAdmin)
      .send({
        credit: { amount: 100, currency: 'omr' },
        description: 'Muscat launch',
        count: 3,
        maxRedemptions: 1,
        expiresAt: '2099-01-01T00:00:00Z',
      });
    expect(issued.status).toBe(201);
    expect(issued.body.vouchers).toHaveLength(3);
    const [first] = issued.body.vouchers;
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      code: expect.stringMatching(/^([0-9A-Z]{4}-){4}[0-9A-Z]$/),
      codeMasked: expect.stringMatching(
        /^••••-••••-••••-•[0-9A-Z]{3}-[0-9A-Z]$/,
      ),
      sovereign: OMANTEL,
      credit: { amount: 100, currency: 'OMR' },
      description: 'Muscat launch',
      state: 'active',
      maxRedemptions: 1,
      timesRedeemed: 0,
      expiresAt: '2099-01-01T00:00:00.000Z',
      issuedBy: ADMIN,
      createdAt: expect.any(String),
    });

    const list = await request(server)
      .get(VOUCHERS)
      .set('Authorization', asAdmin);
    expect(list.status).toBe(200);
    expect(list.body.vouchers).toHaveLength(3);
    expect(JSON.stringify(list.body)).not.toContain(first.code);
    expect(list.body.vouchers[0]).toMatchObject({ redemptions: 0 });
    expect(list.body.vouchers[0].code).toBeUndefined();

    const redeemed = await request(server)
      .post(`${BASE}/vouchers/redeem`)
      .set('Authorization', asTenant)
      .send({
        code: first.code.toLowerCase(),
        sovereign: OMANTEL,
        organization: { name: 'Tariq Trading', slug: 'tariq-trading' },
      });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.redemption).toEqual({
      id: expect.any(String),
      voucherId: first.id,
      customer: TENANT,
      organization: 'group:omantel-omani-works/tariq-trading',
      credit: { amount: 100, currency: 'OMR' },
      redeemedAt: expect.any(String),
    });

    const one = await request(server)
      .get(`${VOUCHERS}/${first.id}`)
      .set('Authorization', asAdmin);
    expect(one.body).toMatchObject({
      id: first.id,
      state: 'exhausted',
      timesRedeemed: 1,
      redemptions: [
        {
          customer: TENANT,
          organization: 'group:omantel-omani-works/tariq-trading',
          credit: { amount: 100, currency: 'OMR' },
          redeemedAt: redeemed.body.redemption.redeemedAt,
        },
      ],
    });

    const records = await request(server)
      .get(`${BASE}/vouchers/records`)
      .set('Authorization', asService);
    expect(records.status).toBe(200);
    expect(records.body.items).toHaveLength(3);
    const orgs = await request(server)
      .get(`${BASE}/organizations/records`)
      .set('Authorization', asService);
    expect(orgs.body.items).toEqual([
      {
        sovereign: OMANTEL,
        slug: 'tariq-trading',
        name: 'Tariq Trading',
        owner: TENANT,
        createdAt: expect.any(String),
        // Its credit, from the ledger the redemption wrote.
        credit: [{ amount: 100, currency: 'OMR' }],
      },
    ]);
    expect(
      (
        await request(server)
          .get(`${BASE}/vouchers/records`)
          .set('Authorization', asAdmin)
      ).status,
    ).toBe(403);

    const topics = published.map(p => p.topic);
    expect(topics.filter(t => t === 'catalyst.voucher')).toHaveLength(4);
    expect(topics.filter(t => t === 'catalyst.organization')).toHaveLength(1);
    expect(JSON.stringify(published)).not.toContain(first.code);
  });

  it('scopes administration to the franchise admins of the Sovereign', async () => {
    const { server } = await startVouchers();
    const denied = await request(server)
      .post(VOUCHERS)
      .set('Authorization', asOutsider)
      .send({ credit: { amount: 5, currency: 'OMR' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(OMANTEL);
    expect(
      (await request(server).get(VOUCHERS).set('Authorization', asOutsider))
        .status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .post(VOUCHERS)
          .set('Authorization', asService)
          .send({ credit: { amount: 5, currency: 'OMR' } })
      ).status,
    ).toBe(403);

    const admin = await request(server)
      .get(`${BASE}/vouchers/administered`)
      .set('Authorization', asAdmin);
    expect(admin.body).toEqual({ sovereigns: [OMANTEL] });
    const outsider = await request(server)
      .get(`${BASE}/vouchers/administered`)
      .set('Authorization', asOutsider);
    expect(outsider.body).toEqual({
      sovereigns: ['sovereign:default/acme-example-com'],
    });
    const unknown = await request(server)
      .get(`${BASE}/sovereigns/nowhere-example-com/vouchers`)
      .set('Authorization', asAdmin);
    expect(unknown.status).toBe(404);
    // The entity-ref form of the path parameter works too.
    const byRef = await request(server)
      .get(`${BASE}/sovereigns/${encodeURIComponent(OMANTEL)}/vouchers`)
      .set('Authorization', asAdmin);
    expect(byRef.status).toBe(200);
  });

  it('validates issue requests and refuses existing vanity codes, revoked ones included', async () => {
    const { server } = await startVouchers();
    const bad = async (body: object, text: string) => {
      const res = await request(server)
        .post(VOUCHERS)
        .set('Authorization', asAdmin)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(text);
    };
    await bad({ credit: { amount: 0, currency: 'OMR' } }, 'credit.amount');
    await bad(
      { credit: { amount: 1.0005, currency: 'OMR' } },
      '3 decimal places',
    );
    await bad({ credit: { amount: 1, currency: 'XYZ' } }, 'ISO 4217');
    await bad(
      { credit: { amount: 1, currency: 'OMR' }, code: 'LAUNCH-1', count: 2 },
      'vanity code names one voucher',
    );
    await bad({ credit: { amount: 1, currency: 'OMR' }, count: 501 }, 'count');
    await bad(
      {
        credit: { amount: 1, currency: 'OMR' },
        expiresAt: '2000-01-01T00:00:00Z',
      },
      'expiresAt: must be in the future',
    );
    await bad({ credit: { amount: 1, currency: 'OMR' }, code: 'A' }, 'code:');
    await bad(
      { credit: { amount: 1, currency: 'OMR' }, secret: 'x' },
      "'secret'",
    );

    const [vanity] = await issue(server, {
      credit: { amount: 100, currency: 'OMR' },
      code: 'omantel-launch-100',
      maxRedemptions: 0,
    });
    expect(vanity.code).toBe('OMANTEL-LAUNCH-100');
    const again = await request(server)
      .post(VOUCHERS)
      .set('Authorization', asAdmin)
      .send({
        credit: { amount: 5, currency: 'OMR' },
        code: 'Omantel-Launch-100',
      });
    expect(again.status).toBe(409);

    const revoked = await request(server)
      .delete(`${VOUCHERS}/${vanity.id}`)
      .set('Authorization', asAdmin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.voucher.state).toBe('revoked');
    expect(
      (
        await request(server)
          .delete(`${VOUCHERS}/${vanity.id}`)
          .set('Authorization', asAdmin)
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .post(VOUCHERS)
          .set('Authorization', asAdmin)
          .send({
            credit: { amount: 5, currency: 'OMR' },
            code: 'OMANTEL-LAUNCH-100',
          })
      ).status,
    ).toBe(409);
    const list = await request(server)
      .get(VOUCHERS)
      .set('Authorization', asAdmin);
    expect(list.body.vouchers).toEqual([]);
  });

  it('changes a voucher with PATCH and keeps the maximum at or above the redemptions made', async () => {
    const { server } = await startVouchers();
    const [voucher] = await issue(server, {
      credit: { amount: 10, currency: 'OMR' },
      maxRedemptions: 3,
    });
    await request(server)
      .post(`${BASE}/vouchers/redeem`)
      .set('Authorization', asTenant)
      .send({
        code: voucher.code,
        sovereign: 'omantel-omani-works',
        organization: { name: 'T', slug: 'tariq-co' },
      })
      .expect(201);
    const patch = (body: object) =>
      request(server)
        .patch(`${VOUCHERS}/${voucher.id}`)
        .set('Authorization', asAdmin)
        .send(body);
    expect((await patch({})).status).toBe(400);
    const low = await patch({ maxRedemptions: 0 });
    expect(low.status).toBe(200);
    const tooLow = await patch({ maxRedemptions: 1, description: 'x' });
    expect(tooLow.status).toBe(200);
    expect(tooLow.body.voucher).toMatchObject({
      state: 'exhausted',
      maxRedemptions: 1,
    });
    const off = await patch({ active: false, maxRedemptions: 5 });
    expect(off.body.voucher.state).toBe('deactivated');
    await request(server)
      .post(VOUCHERS.replace('omantel-omani-works', 'acme-example-com'))
      .set('Authorization', asAdmin)
      .send({ credit: { amount: 1, currency: 'OMR' } })
      .expect(403);
  });

  it('previews without a token, revealing only validity, credit and expiry', async () => {
    const { server } = await startVouchers();
    const [voucher] = await issue(server, {
      credit: { amount: 25.5, currency: 'OMR' },
      expiresAt: '2099-06-01T00:00:00Z',
      description: 'internal campaign notes',
    });
    const ok = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: voucher.code.replace(/-/g, '').toLowerCase() });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      valid: true,
      credit: { amount: 25.5, currency: 'OMR' },
      expiresAt: '2099-06-01T00:00:00.000Z',
    });

    const typo =
      voucher.code.slice(0, 2) +
      (voucher.code[2] === 'A' ? 'B' : 'A') +
      voucher.code.slice(3);
    const typoRes = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: typo });
    expect(typoRes.status).toBe(400);
    expect(typoRes.body).toMatchObject(refusal('bad-check-character', 400));
    expect(typoRes.body.error.message).toBe(
      'This code has a typo: its check character does not match. Please check every character',
    );

    const unknown = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: 'NOT-A-CODE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject(refusal('unknown', 404));
    expect(unknown.body.error.message).toBe('This voucher code is not valid');

    await request(server)
      .delete(`${VOUCHERS}/${voucher.id}`)
      .set('Authorization', asAdmin)
      .expect(200);
    const revoked = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: voucher.code });
    expect(revoked.status).toBe(404);
    expect(revoked.body).toEqual(unknown.body);

    const malformed = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: 'a b' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject(refusal('bad-format', 400));
  });

  it('answers 410 with the reason at the expiry boundary', async () => {
    const clock = { now: new Date('2026-11-25T10:00:00Z') };
    const { server } = await startVouchers({ clock });
    const [voucher] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
      expiresAt: '2026-11-26T00:00:00Z',
    });
    clock.now = new Date('2026-11-26T00:00:00Z');
    const res = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: voucher.code });
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject(refusal('expired', 410));
    expect(res.body.error.message).toBe('This voucher has expired');
  });

  it('counts previews per client behind the configured proxy hops; a forged X-Forwarded-For entry does not help', async () => {
    const { server } = await startVouchers({
      trustProxy: 1,
      rateLimits: new VoucherRateLimits({
        previewClient: limiter(2),
        previewCode: limiter(1000),
        redeemCustomer: limiter(1000),
      }),
    });
    const preview = (forwardedFor: string) =>
      request(server)
        .post(`${BASE}/vouchers/preview`)
        .set('X-Forwarded-For', forwardedFor)
        .send({ code: 'GUESS-CODE' });
    expect((await preview('198.51.100.1')).status).toBe(404);
    expect((await preview('198.51.100.1')).status).toBe(404);
    expect((await preview('198.51.100.1')).status).toBe(429);
    // The proxy appends the real address; what the client sent before it is not trusted.
    expect((await preview('203.0.113.66, 198.51.100.1')).status).toBe(429);
    // Another client behind the same proxy has its own budget.
    expect((await preview('198.51.100.2')).status).toBe(404);
    // IPv6 clients share the budget of their /64.
    expect((await preview('2001:db8:5:6::1')).status).toBe(404);
    expect((await preview('2001:db8:5:6::2')).status).toBe(404);
    expect((await preview('2001:db8:5:6:ffff::3')).status).toBe(429);
  });

  it('rate-limits previews per client and per code, revealing nothing once limited', async () => {
    const { server } = await startVouchers({
      rateLimits: new VoucherRateLimits({
        previewClient: limiter(5),
        previewCode: limiter(1000),
        redeemCustomer: limiter(1000),
      }),
    });
    const [voucher] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    for (let i = 0; i < 5; i++) {
      await request(server)
        .post(`${BASE}/vouchers/preview`)
        .send({ code: `GUESS-${i}` })
        .expect(404);
    }
    const limited = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: voucher.code });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body).toEqual({
      error: {
        name: 'VoucherRejectedError',
        reason: 'rate-limited',
        statusCode: 429,
        message: 'Too many voucher checks; try again later',
      },
      request: { method: 'POST', url: expect.any(String) },
      response: { statusCode: 429 },
    });

    const perCode = await startVouchers({
      rateLimits: new VoucherRateLimits({
        previewClient: limiter(1000),
        previewCode: limiter(2),
        redeemCustomer: limiter(1000),
      }),
    });
    const [other] = await issue(perCode.server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    const preview = (code: string) =>
      request(perCode.server).post(`${BASE}/vouchers/preview`).send({ code });
    expect((await preview(other.code)).status).toBe(200);
    expect((await preview(other.code.toLowerCase())).status).toBe(200);
    expect((await preview(other.code)).status).toBe(429);
    expect((await preview('SOMETHING-ELSE')).status).toBe(404);
  });

  it('fails closed: a broken limiter answers 429, never the voucher', async () => {
    const broken = {
      consume: async () => {
        throw new Error('store unreachable');
      },
    } as unknown as RateLimiterAbstract;
    const { server } = await startVouchers({
      rateLimits: new VoucherRateLimits({
        previewClient: broken,
        previewCode: broken,
        redeemCustomer: broken,
      }),
    });
    const [voucher] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    const res = await request(server)
      .post(`${BASE}/vouchers/preview`)
      .send({ code: voucher.code });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject(refusal('rate-limited', 429));
    expect(res.body.credit).toBeUndefined();
    const redeem = await request(server)
      .post(`${BASE}/vouchers/redeem`)
      .set('Authorization', asTenant)
      .send({
        code: voucher.code,
        sovereign: OMANTEL,
        organization: { name: 'T', slug: 'tariq-co' },
      });
    expect(redeem.status).toBe(429);
  });

  it('answers the shared VouchersClient, which reads its refusals as values and typed errors', async () => {
    const { server } = await startVouchers();
    const [voucher] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    const { port } = server.address() as AddressInfo;
    const client = (authorization?: string) =>
      new VouchersClient({
        discoveryApi: {
          getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        },
        fetchApi: {
          fetch: (input, init) =>
            fetch(input, {
              ...init,
              headers: {
                ...(init?.headers as Record<string, string>),
                ...(authorization ? { Authorization: authorization } : {}),
              },
            }),
        },
      });

    // Signed out: a preview is an answer, whatever the code.
    expect(await client().previewVoucher(voucher.code)).toEqual({
      valid: true,
      credit: { amount: 1, currency: 'OMR' },
      expiresAt: null,
    });
    expect(await client().previewVoucher('NOT-A-CODE')).toEqual({
      valid: false,
      reason: 'unknown',
    });

    const redeem = (slug: string) =>
      client(asTenant).redeemVoucher({
        code: voucher.code,
        sovereign: OMANTEL,
        organization: { name: 'Org', slug },
      });
    expect(await redeem('client-org')).toMatchObject({
      customer: TENANT,
      organization: 'group:omantel-omani-works/client-org',
    });
    const exhausted = await redeem('client-org-two').catch(e => e);
    expect(exhausted).toBeInstanceOf(VoucherRedeemRejectedError);
    expect(exhausted).toMatchObject({
      name: 'ConflictError',
      reason: 'exhausted',
      status: 410,
      message: 'This voucher has reached its redemption limit',
    });
    expect(remoteErrorOf(exhausted)).toEqual({
      status: 410,
      name: 'VoucherRejectedError',
      message: 'This voucher has reached its redemption limit',
    });
    expect(exhausted.message).not.toContain(voucher.code);

    // A refusal that is not a voucher rule keeps its Backstage type and the router's words.
    const outsider = await client(asOutsider)
      .listVouchers(OMANTEL)
      .catch(e => e);
    expect(outsider.name).toBe('NotAllowedError');
    expect(remoteErrorOf(outsider)).toMatchObject({
      status: 403,
      name: 'NotAllowedError',
    });
    expect(outsider.message).toMatch(
      /^Vouchers GET \/v1\/sovereigns\/omantel-omani-works\/vouchers answered 403 NotAllowedError: /,
    );
  });

  it('names the reason of every refused redemption', async () => {
    const { server } = await startVouchers();
    const [single] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    const [multi] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
      maxRedemptions: 0,
    });
    const [revoked] = await issue(server, {
      credit: { amount: 1, currency: 'OMR' },
    });
    await request(server)
      .delete(`${VOUCHERS}/${revoked.id}`)
      .set('Authorization', asAdmin)
      .expect(200);
    const redeem = (auth: string, body: object) =>
      request(server)
        .post(`${BASE}/vouchers/redeem`)
        .set('Authorization', auth)
        .send(body);
    const body = (code: string, slug: string, extra: object = {}) => ({
      code,
      sovereign: OMANTEL,
      organization: { name: 'Org', slug },
      ...extra,
    });
    const expectReason = async (
      res: request.Response,
      status: number,
      reason: string,
    ) => {
      expect(res.status).toBe(status);
      expect(res.body).toEqual({
        ...refusal(reason, status),
        request: { method: 'POST', url: expect.any(String) },
      });
    };

    await redeem(asTenant, body(single.code, 'first-org')).expect(201);
    await expectReason(
      await redeem(asAdmin, body(single.code, 'second-org')),
      410,
      'exhausted',
    );
    await redeem(asTenant, body(multi.code, 'tariq-two')).expect(201);
    await expectReason(
      await redeem(asTenant, body(multi.code, 'tariq-three')),
      409,
      'already-redeemed',
    );
    await expectReason(
      await redeem(asAdmin, body(multi.code, 'tariq-two')),
      409,
      'slug-taken',
    );
    await expectReason(
      await redeem(asAdmin, body(multi.code, 'kube-system')),
      400,
      'invalid-slug',
    );
    await expectReason(
      await redeem(asAdmin, body(multi.code, 'Bad_Slug')),
      400,
      'invalid-slug',
    );
    await expectReason(
      await redeem(asAdmin, body(revoked.code, 'nadia-co')),
      410,
      'revoked',
    );
    await expectReason(
      await redeem(asAdmin, body('NO-SUCH-CODE', 'nadia-co')),
      404,
      'unknown',
    );
    const typo = `${multi.code.slice(0, -1)}${
      multi.code.endsWith('0') ? '1' : '0'
    }`;
    await expectReason(
      await redeem(asAdmin, body(typo, 'nadia-co')),
      400,
      'bad-check-character',
    );
    await expectReason(
      await redeem(asAdmin, {
        ...body(multi.code, 'nadia-co'),
        sovereign: 'sovereign:default/acme-example-com',
      }),
      409,
      'wrong-sovereign',
    );

    // Users redeem as themselves; services name the customer.
    expect(
      (await redeem(asTenant, body(multi.code, 'x-org', { customer: ADMIN })))
        .status,
    ).toBe(400);
    expect((await redeem(asService, body(multi.code, 'svc-org'))).status).toBe(
      400,
    );
    const bySvc = await redeem(
      asService,
      body(multi.code, 'svc-org', { customer: 'user:default/sami' }),
    );
    expect(bySvc.status).toBe(201);
    expect(bySvc.body.redemption.customer).toBe('user:default/sami');
  });

  it('rolls a redemption back for services only, so the code can be used again', async () => {
    const { server, published } = await startVouchers();
    const [voucher] = await issue(server, {
      credit: { amount: 3, currency: 'OMR' },
    });
    const first = await request(server)
      .post(`${BASE}/vouchers/redeem`)
      .set('Authorization', asTenant)
      .send({
        code: voucher.code,
        sovereign: OMANTEL,
        organization: { name: 'T', slug: 'tariq-co' },
      })
      .expect(201);
    const url = `${BASE}/vouchers/redemptions/${first.body.redemption.id}/rollback`;
    await request(server).post(url).set('Authorization', asTenant).expect(403);
    const rolled = await request(server)
      .post(url)
      .set('Authorization', asService);
    expect(rolled.status).toBe(200);
    expect(rolled.body.redemption.id).toBe(first.body.redemption.id);
    await request(server).post(url).set('Authorization', asService).expect(409);
    expect(published.at(-1)).toMatchObject({
      topic: 'catalyst.organization',
      eventPayload: { action: 'delete', record: { slug: 'tariq-co' } },
    });

    await request(server)
      .post(`${BASE}/vouchers/redeem`)
      .set('Authorization', asTenant)
      .send({
        code: voucher.code,
        sovereign: OMANTEL,
        organization: { name: 'T', slug: 'tariq-co' },
      })
      .expect(201);
  });
});

describe('readVoucherCodeKey', () => {
  it('reads no key when vouchers are not configured, and fails fast on a short key', () => {
    expect(readVoucherCodeKey(new ConfigReader({}))).toBeUndefined();
    expect(() =>
      readVoucherCodeKey(
        new ConfigReader({ catalyst: { vouchers: { codeKey: 'short' } } }),
      ),
    ).toThrow('at least 32');
    const key = 'k'.repeat(32);
    expect(
      readVoucherCodeKey(
        new ConfigReader({ catalyst: { vouchers: { codeKey: key } } }),
      ),
    ).toBe(key);
  });
});
