import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { EventParams } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalystVoucherCreatePermission,
  catalystVoucherReadPermission,
} from '@catalyst/plugin-catalyst-common';
import { SovereignDirectory } from './SovereignDirectory';
import { VoucherChangePublisher } from './VoucherChangePublisher';
import { hashVoucherCode } from './voucherCode';
import { VoucherRateLimits } from './VoucherRateLimits';
import { VoucherService } from './VoucherService';
import { VoucherStore } from './VoucherStore';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)',
  );
}

const KEY = 'service-test-code-key-0123456789abcdef';
const OMANTEL = 'sovereign:default/omantel-omani-works';
const ADMIN = 'user:default/nadia';
const OUTSIDER = 'user:default/mallory';
const TENANT = 'user:default/tariq';

describe.each(databases.eachSupportedId())('VoucherService on %p', id => {
  async function setUp(limits?: Partial<Record<string, number>>) {
    const knex = await databases.init(id);
    const clock = { now: new Date('2026-11-25T10:00:00Z') };
    const store = await VoucherStore.create(mockServices.database({ knex }), {
      now: () => clock.now,
    });
    const phases: Record<string, string> = {
      'omantel-omani-works': 'ready',
      'acme-example-com': 'ready',
    };
    const sovereigns: SovereignDirectory = {
      get: async name =>
        phases[name]
          ? { name, owner: 'group:default/x', phase: phases[name] }
          : undefined,
      list: async () =>
        Object.keys(phases).map(name => ({ name, owner: 'group:default/x' })),
    };
    const published: EventParams[] = [];
    const events = {
      publish: async (params: EventParams) => {
        published.push(params);
      },
      subscribe: async () => {},
    };
    const logged: string[] = [];
    const logger = mockServices.logger.mock({
      info: (message: string) => {
        logged.push(message);
      },
    });
    // Nadia administers Omantel only; everyone else administers nothing.
    const permissions = mockServices.permissions.mock({
      authorize: async (requests: any[], options: any) =>
        requests.map(r => ({
          result:
            options.credentials.principal.userEntityRef === ADMIN &&
            r.resourceRef === OMANTEL
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    });
    const service = new VoucherService({
      store,
      sovereigns,
      publisher: new VoucherChangePublisher(events as any, logger),
      rateLimits: VoucherRateLimits.inMemory({
        previewPerClientPerMinute: 1000,
        previewPerCodePerMinute: 1000,
        redeemPerCustomerPerMinute: 1000,
        ...limits,
      }),
      codeKey: KEY,
      permissions,
      logger,
      now: () => clock.now,
    });
    const admin = await service.admin(
      mockCredentials.user(ADMIN),
      'omantel-omani-works',
      catalystVoucherCreatePermission,
    );
    return { service, store, phases, published, logged, admin, clock };
  }

  it('decides who administers a Sovereign: unknown is not found, others are not allowed', async () => {
    const { service, admin } = await setUp();
    expect(admin).toMatchObject({ sovereign: OMANTEL, phase: 'ready' });
    await expect(
      service.admin(
        mockCredentials.user(ADMIN),
        'nowhere-example-com',
        catalystVoucherReadPermission,
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service.admin(
        mockCredentials.user(OUTSIDER),
        OMANTEL,
        catalystVoucherReadPermission,
      ),
    ).rejects.toThrow(NotAllowedError);
    expect(await service.administered(mockCredentials.user(ADMIN))).toEqual([
      OMANTEL,
    ]);
    expect(await service.administered(mockCredentials.user(OUTSIDER))).toEqual(
      [],
    );
  });

  it('issues vouchers whose codes are stored only as keyed hashes and never logged', async () => {
    const { service, store, admin, published, logged } = await setUp();
    const issued = await service.issue(admin, {
      credit: { amount: 12.5, currency: 'EUR' },
      count: 3,
    });
    expect(issued).toHaveLength(3);
    expect(new Set(issued.map(v => v.code)).size).toBe(3);
    for (const voucher of issued) {
      expect(voucher).not.toHaveProperty('redemptions');
      const preview = await store.preview(hashVoucherCode(KEY, voucher.code));
      expect(preview).toMatchObject({
        state: 'active',
        credit: { amount: 12.5, currency: 'EUR' },
      });
      expect(JSON.stringify(published)).not.toContain(voucher.code);
      expect(logged.join('\n')).not.toContain(voucher.code);
    }
    expect(published).toHaveLength(3);
    expect(logged).toContain(`${ADMIN} issued 3 voucher(s) for ${OMANTEL}`);
  });

  it('refuses a past expiry, a vanity code for many vouchers, and a Sovereign that is not ready', async () => {
    const { service, admin, phases } = await setUp();
    const credit = { amount: 1, currency: 'EUR' };
    await expect(
      service.issue(admin, { credit, expiresAt: '2026-11-25T09:59:59Z' }),
    ).rejects.toThrow(new InputError('expiresAt: must be in the future'));
    await expect(
      service.issue(admin, { credit, code: 'OMANTEL-LAUNCH', count: 2 }),
    ).rejects.toThrow(/a vanity code names one voucher/);
    const [vanity] = await service.issue(admin, {
      credit,
      code: 'omantel-launch',
    });
    expect(vanity.code).toBe('OMANTEL-LAUNCH');
    expect(() => service.assertIssuable(admin)).not.toThrow();
    phases['omantel-omani-works'] = 'provisioning';
    const notReady = await service.admin(
      mockCredentials.user(ADMIN),
      OMANTEL,
      catalystVoucherCreatePermission,
    );
    expect(() => service.assertIssuable(notReady)).toThrow(ConflictError);
  });

  it('previews: a malformed code, an unknown one, a valid one, and the per-code limit', async () => {
    const { service, admin } = await setUp({ previewPerCodePerMinute: 2 });
    const [voucher] = await service.issue(admin, {
      credit: { amount: 5, currency: 'OMR' },
    });
    expect(await service.preview('10.0.0.1', undefined)).toEqual({
      kind: 'rejected',
      reason: 'bad-format',
    });
    expect(await service.preview('10.0.0.1', { code: '!!' })).toEqual({
      kind: 'rejected',
      reason: 'bad-format',
    });
    expect(await service.preview('10.0.0.1', { code: 'NO-SUCH-CODE' })).toEqual(
      { kind: 'rejected', reason: 'unknown' },
    );
    expect(
      await service.preview('10.0.0.1', { code: voucher.code }),
    ).toMatchObject({ kind: 'valid', credit: { amount: 5, currency: 'OMR' } });
    expect(
      await service.preview('10.0.0.2', {
        code: voucher.code,
        sovereign: 'acme-example-com',
      }),
    ).toEqual({ kind: 'rejected', reason: 'unknown' });
    const limited = await service.preview('10.0.0.3', { code: voucher.code });
    expect(limited).toMatchObject({ kind: 'rate-limited' });
  });

  it('names the customer: users redeem for themselves, services must name one', async () => {
    const { service } = await setUp();
    const user = mockCredentials.user(TENANT).principal;
    const backend = mockCredentials.service('plugin:scaffolder').principal;
    expect(service.customerOf(user, undefined)).toBe(TENANT);
    expect(service.customerOf(user, TENANT)).toBe(TENANT);
    expect(() => service.customerOf(user, OUTSIDER)).toThrow(
      /signed-in users redeem for themselves/,
    );
    expect(() => service.customerOf(backend, undefined)).toThrow(
      /must name the customer/,
    );
    expect(service.customerOf(backend, TENANT)).toBe(TENANT);
  });

  it('redeems in order: slug, Sovereign, readiness, then once per customer; a rollback restores it', async () => {
    const { service, admin, phases, published } = await setUp();
    const [voucher] = await service.issue(admin, {
      credit: { amount: 5, currency: 'OMR' },
      maxRedemptions: 2,
    });
    const tenant = mockCredentials.user(TENANT).principal;
    const body = {
      code: voucher.code,
      sovereign: OMANTEL,
      organization: { name: 'Tariq Trading', slug: 'tariq-trading' },
    };
    expect(
      await service.redeem(tenant, {
        ...body,
        organization: { name: 'Bad', slug: 'Bad_Slug' },
      }),
    ).toMatchObject({ kind: 'rejected', reason: 'invalid-slug' });
    await expect(
      service.redeem(tenant, { ...body, sovereign: 'nowhere-example-com' }),
    ).rejects.toThrow(NotFoundError);
    phases['omantel-omani-works'] = 'failed';
    expect(await service.redeem(tenant, body)).toEqual({
      kind: 'rejected',
      reason: 'sovereign-not-ready',
      message: `Sovereign ${OMANTEL} is failed: vouchers are redeemed only for a ready Sovereign`,
    });
    phases['omantel-omani-works'] = 'ready';
    published.length = 0;
    const redeemed = await service.redeem(tenant, body);
    expect(redeemed).toMatchObject({
      kind: 'redeemed',
      redemption: { organization: 'group:omantel-omani-works/tariq-trading' },
    });
    expect(published.map(p => p.topic)).toHaveLength(2);
    expect(
      await service.redeem(tenant, {
        ...body,
        organization: { name: 'Again', slug: 'tariq-again' },
      }),
    ).toMatchObject({ kind: 'rejected', reason: 'already-redeemed' });
    if (redeemed.kind !== 'redeemed') throw new Error('not redeemed');
    const rolledBack = await service.rollback(redeemed.redemption.id);
    expect(rolledBack.id).toBe(redeemed.redemption.id);
    expect((await service.redeem(tenant, body)).kind).toBe('redeemed');
  });

  it('limits redemption attempts per customer', async () => {
    const { service } = await setUp({ redeemPerCustomerPerMinute: 1 });
    const tenant = mockCredentials.user(TENANT).principal;
    const body = {
      code: 'NO-SUCH-CODE',
      sovereign: OMANTEL,
      organization: { name: 'Tariq Trading', slug: 'tariq-trading' },
    };
    expect(await service.redeem(tenant, body)).toMatchObject({
      kind: 'rejected',
    });
    expect(await service.redeem(tenant, body)).toMatchObject({
      kind: 'rate-limited',
    });
  });
});
