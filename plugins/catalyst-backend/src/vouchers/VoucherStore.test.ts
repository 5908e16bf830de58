import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { voucherRecordSchema } from '@catalyst/plugin-catalyst-common';
import { OrganizationStore } from '../organizations/OrganizationStore';
import {
  generateVoucherCode,
  hashVoucherCode,
  maskVoucherCode,
} from './voucherCode';
import { VOUCHER_SLOTS, VoucherIssueInput, VoucherStore } from './VoucherStore';

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
if (process.env.CI && !databases.supports('POSTGRES_15')) {
  throw new Error('CI must provide PostgreSQL 15 for the voucher store tests');
}

const KEY = 'test-voucher-code-key-0123456789abcdef';
const SOVEREIGN = 'sovereign:default/omantel-omani-works';
const OTHER_SOVEREIGN = 'sovereign:default/acme-example-com';
const ADMIN = 'user:default/franchise-admin';

function issueInput(
  code: string,
  overrides: Partial<VoucherIssueInput> = {},
): VoucherIssueInput {
  return {
    sovereign: SOVEREIGN,
    creditMinor: 100_000,
    currency: 'OMR',
    description: 'Launch campaign',
    expiresAt: null,
    maxRedemptions: 1,
    issuedBy: ADMIN,
    codes: [
      {
        hash: hashVoucherCode(KEY, code),
        masked: maskVoucherCode(code),
        kind: 'vanity',
      },
    ],
    ...overrides,
  };
}

function redeemInput(code: string, customer: string, slug: string) {
  return {
    codeHash: hashVoucherCode(KEY, code),
    sovereign: SOVEREIGN,
    customer,
    organization: { slug, name: `Org ${slug}` },
    organizationRef: `group:omantel-omani-works/${slug}`,
  };
}

describe.each(databases.eachSupportedId())('VoucherStore on %p', databaseId => {
  async function createStore(
    clock = { now: new Date('2026-11-25T10:00:00Z') },
  ) {
    const knex = await databases.init(databaseId);
    const store = await VoucherStore.create(mockServices.database({ knex }), {
      now: () => clock.now,
    });
    return { store, knex, clock, organizations: new OrganizationStore(knex) };
  }

  it('issues, lists newest first, and serves valid catalog records without the code', async () => {
    const { store, clock } = await createStore();
    const [first] = await store.issue(issueInput('OMANTEL-LAUNCH-100'));
    clock.now = new Date('2026-11-25T11:00:00Z');
    const generated = generateVoucherCode();
    const [second] = await store.issue(
      issueInput(generated, {
        creditMinor: 1_500,
        maxRedemptions: 0,
        expiresAt: '2026-12-31T23:59:59.000Z',
      }),
    );
    expect(first).toMatchObject({
      sovereign: SOVEREIGN,
      codeMasked: '•••••••-•••••H-100',
      credit: { amount: 100, currency: 'OMR' },
      state: 'active',
      maxRedemptions: 1,
      timesRedeemed: 0,
      issuedBy: ADMIN,
      createdAt: '2026-11-25T10:00:00.000Z',
    });
    expect(second.credit).toEqual({ amount: 1.5, currency: 'OMR' });

    const list = await store.list(SOVEREIGN);
    expect(list.map(v => v.id)).toEqual([second.id, first.id]);
    expect(await store.list(OTHER_SOVEREIGN)).toEqual([]);

    const records = await store.records();
    expect(records).toHaveLength(2);
    for (const record of records.filter(r => r.id === first.id)) {
      expect(voucherRecordSchema.parse(record)).toEqual(record);
    }
    expect(JSON.stringify(records)).not.toContain('LAUNCH');
    expect(JSON.stringify(records)).not.toContain(generated.slice(0, 9));
  });

  it('refuses to issue a code that exists, even after it was revoked (never resurrected)', async () => {
    const { store } = await createStore();
    const [voucher] = await store.issue(issueInput('SMOKE-TEST'));
    await expect(store.issue(issueInput('SMOKE-TEST'))).rejects.toThrow(
      ConflictError,
    );
    await store.revoke(SOVEREIGN, voucher.id, ADMIN);
    await expect(
      store.issue(issueInput('SMOKE-TEST', { sovereign: OTHER_SOVEREIGN })),
    ).rejects.toThrow(ConflictError);
    const revoked = await store.get(SOVEREIGN, voucher.id);
    expect(revoked).toMatchObject({ state: 'revoked', timesRedeemed: 0 });
    expect(await store.list(SOVEREIGN)).toEqual([]);
    await expect(store.revoke(SOVEREIGN, voucher.id, ADMIN)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('redeems once per customer, grants the credit on the ledger and creates the Organization', async () => {
    const { store, organizations } = await createStore();
    await store.issue(issueInput('MULTI-USE', { maxRedemptions: 0 }));

    const first = await store.redeem(
      redeemInput('MULTI-USE', 'user:default/alice', 'alice-co'),
    );
    expect(first).toMatchObject({
      ok: true,
      redemption: {
        customer: 'user:default/alice',
        organization: 'group:omantel-omani-works/alice-co',
        credit: { amount: 100, currency: 'OMR' },
        redeemedAt: '2026-11-25T10:00:00.000Z',
      },
      voucher: { timesRedeemed: 1, state: 'active' },
    });
    expect(
      await store.redeem(
        redeemInput('MULTI-USE', 'user:default/alice', 'alice-two'),
      ),
    ).toEqual({ ok: false, reason: 'already-redeemed' });
    expect(
      await store.redeem(
        redeemInput('MULTI-USE', 'user:default/bob', 'alice-co'),
      ),
    ).toEqual({ ok: false, reason: 'slug-taken' });
    expect(await store.balance('user:default/alice')).toEqual([
      { amount: 100, currency: 'OMR' },
    ]);
    expect(await organizations.get(SOVEREIGN, 'alice-co')).toMatchObject({
      name: 'Org alice-co',
      owner: 'user:default/alice',
      credit: [{ amount: 100, currency: 'OMR' }],
    });
    // An Organization created with a first App records it; its page shows it with its credit.
    const withApp = await store.redeem({
      ...redeemInput('MULTI-USE', 'user:default/carol', 'carol-co'),
      organization: {
        slug: 'carol-co',
        name: 'Carol Co',
        firstApp: 'bp-grafana',
      },
    });
    expect(withApp).toMatchObject({
      ok: true,
      organization: {
        firstApp: 'bp-grafana',
        credit: [{ amount: 100, currency: 'OMR' }],
      },
    });
    expect(
      (await organizations.list()).find(o => o.slug === 'carol-co'),
    ).toEqual({
      sovereign: SOVEREIGN,
      slug: 'carol-co',
      name: 'Carol Co',
      owner: 'user:default/carol',
      createdAt: '2026-11-25T10:00:00.000Z',
      firstApp: 'bp-grafana',
      credit: [{ amount: 100, currency: 'OMR' }],
    });
    expect(
      await store.redeem({
        ...redeemInput('MULTI-USE', 'user:default/bob', 'bob-co'),
        sovereign: OTHER_SOVEREIGN,
      }),
    ).toEqual({ ok: false, reason: 'wrong-sovereign' });
    expect(
      await store.redeem(
        redeemInput('NO-SUCH-CODE', 'user:default/bob', 'bob-co'),
      ),
    ).toEqual({ ok: false, reason: 'unknown' });
  });

  it('revokes every open voucher of a decommissioned Sovereign once, and counts what it affects', async () => {
    const { store } = await createStore();
    await store.issue(issueInput('CAMPAIGN-A', { maxRedemptions: 0 }));
    const [used] = await store.issue(issueInput('CAMPAIGN-B'));
    const [revoked] = await store.issue(issueInput('CAMPAIGN-C'));
    await store.issue(
      issueInput('ELSEWHERE-1', { sovereign: OTHER_SOVEREIGN }),
    );
    await store.revoke(SOVEREIGN, revoked.id, ADMIN);
    expect(
      await store.redeem(
        redeemInput('CAMPAIGN-B', 'user:default/alice', 'a-co'),
      ),
    ).toMatchObject({ ok: true });
    expect(await store.impact(SOVEREIGN)).toEqual({
      organizations: ['a-co'],
      openVouchers: 2,
    });

    const gone = await store.revokeAll(
      SOVEREIGN,
      'sovereign:default/x#decommissioning',
    );
    expect(gone.map(v => v.state).sort()).toEqual(['revoked', 'revoked']);
    expect(gone.map(v => v.id)).toContain(used.id);
    expect(await store.revokeAll(SOVEREIGN, 'again')).toEqual([]);
    expect(await store.impact(SOVEREIGN)).toEqual({
      organizations: ['a-co'],
      openVouchers: 0,
    });
    expect(
      await store.redeem(redeemInput('CAMPAIGN-A', 'user:default/bob', 'b-co')),
    ).toEqual({ ok: false, reason: 'revoked' });
    expect(await store.list(OTHER_SOVEREIGN)).toHaveLength(1);
  });

  it('names every state a redemption can meet, and previews hide revoked codes', async () => {
    const { store } = await createStore();
    const [inactive] = await store.issue(issueInput('INACTIVE-1'));
    await store.patch(SOVEREIGN, inactive.id, { active: false });
    const [revoked] = await store.issue(issueInput('REVOKED-1'));
    await store.revoke(SOVEREIGN, revoked.id, ADMIN);
    await store.issue(issueInput('SINGLE-1'));
    await store.redeem(
      redeemInput('SINGLE-1', 'user:default/alice', 'alice-co'),
    );

    const attempt = (code: string) =>
      store.redeem(redeemInput(code, 'user:default/bob', 'bob-co'));
    expect(await attempt('INACTIVE-1')).toEqual({
      ok: false,
      reason: 'inactive',
    });
    expect(await attempt('REVOKED-1')).toEqual({
      ok: false,
      reason: 'revoked',
    });
    expect(await attempt('SINGLE-1')).toEqual({
      ok: false,
      reason: 'exhausted',
    });

    const preview = (code: string, sovereign?: string) =>
      store.preview(hashVoucherCode(KEY, code), sovereign);
    expect(await preview('INACTIVE-1')).toEqual({ state: 'deactivated' });
    expect(await preview('REVOKED-1')).toEqual({ state: 'unknown' });
    expect(await preview('NOPE-NOPE')).toEqual({ state: 'unknown' });
    expect(await preview('SINGLE-1')).toEqual({ state: 'exhausted' });
    await store.issue(issueInput('FRESH-1'));
    expect(await preview('FRESH-1')).toEqual({
      state: 'active',
      credit: { amount: 100, currency: 'OMR' },
      expiresAt: null,
    });
    expect(await preview('FRESH-1', OTHER_SOVEREIGN)).toEqual({
      state: 'unknown',
    });
  });

  it('stops accepting a code exactly at its expiry instant', async () => {
    const { store, clock } = await createStore();
    await store.issue(
      issueInput('EXPIRING-1', {
        maxRedemptions: 0,
        expiresAt: '2026-11-30T00:00:00.000Z',
      }),
    );
    clock.now = new Date('2026-11-29T23:59:59.999Z');
    expect(
      await store.redeem(redeemInput('EXPIRING-1', 'user:default/a', 'org-a')),
    ).toMatchObject({ ok: true });
    clock.now = new Date('2026-11-30T00:00:00.000Z');
    expect(
      await store.redeem(redeemInput('EXPIRING-1', 'user:default/b', 'org-b')),
    ).toEqual({ ok: false, reason: 'expired' });
    expect(await store.preview(hashVoucherCode(KEY, 'EXPIRING-1'))).toEqual({
      state: 'expired',
    });
  });

  it('refuses a maximum below the redemptions already made, but allows 0 (unlimited)', async () => {
    const { store } = await createStore();
    const [voucher] = await store.issue(
      issueInput('CAP-1', { maxRedemptions: 5 }),
    );
    await store.redeem(redeemInput('CAP-1', 'user:default/a', 'org-a'));
    await store.redeem(redeemInput('CAP-1', 'user:default/b', 'org-b'));
    await expect(
      store.patch(SOVEREIGN, voucher.id, { maxRedemptions: 1 }),
    ).rejects.toThrow(/cannot be lower than the 2 redemption/);
    expect(
      await store.patch(SOVEREIGN, voucher.id, { maxRedemptions: 2 }),
    ).toMatchObject({ state: 'exhausted', maxRedemptions: 2 });
    expect(
      await store.patch(SOVEREIGN, voucher.id, {
        maxRedemptions: 0,
        description: 'Open campaign',
      }),
    ).toMatchObject({ state: 'active', description: 'Open campaign' });
    await expect(
      store.patch(OTHER_SOVEREIGN, voucher.id, { active: false }),
    ).rejects.toThrow(NotFoundError);
  });

  it('rolls a redemption back: count and credit restored, Organization removed, code usable again', async () => {
    const { store, organizations } = await createStore();
    await store.issue(issueInput('ROLLBACK-1'));
    const result = await store.redeem(
      redeemInput('ROLLBACK-1', 'user:default/alice', 'alice-co'),
    );
    if (!result.ok) throw new Error(result.reason);

    const rolledBack = await store.rollback(result.redemption.id);
    expect(rolledBack.voucher).toMatchObject({
      timesRedeemed: 0,
      state: 'active',
    });
    expect(rolledBack.organization).toMatchObject({ slug: 'alice-co' });
    expect(await organizations.get(SOVEREIGN, 'alice-co')).toBeUndefined();
    expect(await store.balance('user:default/alice')).toEqual([
      { amount: 0, currency: 'OMR' },
    ]);
    await expect(store.rollback(result.redemption.id)).rejects.toThrow(
      ConflictError,
    );
    await expect(
      store.rollback('00000000-0000-0000-0000-000000000000'),
    ).rejects.toThrow(NotFoundError);

    const again = await store.redeem(
      redeemInput('ROLLBACK-1', 'user:default/alice', 'alice-co'),
    );
    expect(again).toMatchObject({ ok: true, voucher: { timesRedeemed: 1 } });
    const detail = await store.get(SOVEREIGN, rolledBack.voucher.id);
    expect(detail?.redemptionLog).toHaveLength(1);
  });

  it('gives a single-use voucher to exactly one of 200 simultaneous redemptions', async () => {
    const { store, knex } = await createStore();
    const [voucher] = await store.issue(issueInput('RACE-SINGLE'));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.redeem(
          redeemInput('RACE-SINGLE', `user:default/customer-${i}`, `org-${i}`),
        ),
      ),
    );
    expect(results.filter(r => r.ok)).toHaveLength(1);
    expect(
      results.filter(r => !r.ok).every(r => !r.ok && r.reason === 'exhausted'),
    ).toBe(true);
    expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
      timesRedeemed: 1,
      state: 'exhausted',
    });
    const ledger = await knex('catalyst_credit_ledger').count({ n: '*' });
    expect(Number(ledger[0].n)).toBe(1);
    const orgs = await knex('catalyst_organizations').count({ n: '*' });
    expect(Number(orgs[0].n)).toBe(1);
  });

  it('keeps a capped voucher exact and refuses the same tenant twice under concurrency', async () => {
    const { store, knex } = await createStore();
    const [voucher] = await store.issue(
      issueInput('RACE-CAPPED', { maxRedemptions: 7 }),
    );
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        store.redeem(
          // Every customer tries twice at the same time.
          redeemInput(
            'RACE-CAPPED',
            `user:default/customer-${i % 30}`,
            `org-${i}`,
          ),
        ),
      ),
    );
    const wins = results.filter(r => r.ok);
    expect(wins).toHaveLength(7);
    const winners = new Set(wins.map(r => r.ok && r.redemption.customer));
    expect(winners.size).toBe(7);
    expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
      timesRedeemed: 7,
    });
    const ledger = await knex('catalyst_credit_ledger').sum({
      s: 'amount_minor',
    });
    expect(Number(ledger[0].s)).toBe(7 * 100_000);
  });

  it('spreads an unlimited campaign over its slots and counts every redemption once', async () => {
    const { store, knex } = await createStore();
    const [voucher] = await store.issue(
      issueInput('CAMPAIGN-OPEN', { maxRedemptions: 0 }),
    );
    const slots = await knex('catalyst_voucher_slots').where({
      voucher_id: voucher.id,
    });
    expect(slots).toHaveLength(VOUCHER_SLOTS);
    expect(slots.every(s => s.capacity === null)).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        store.redeem(
          redeemInput('CAMPAIGN-OPEN', `user:default/c-${i}`, `org-${i}`),
        ),
      ),
    );
    expect(results.filter(r => r.ok)).toHaveLength(80);
    expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
      timesRedeemed: 80,
      redemptions: 80,
      state: 'active',
    });
  });

  it('re-splits the slots when the cap changes, and stays exact under concurrency', async () => {
    const { store, knex } = await createStore();
    const [voucher] = await store.issue(
      issueInput('CAMPAIGN-RESIZE', { maxRedemptions: 3 }),
    );
    const redeemMany = (from: number, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          store.redeem(
            redeemInput(
              'CAMPAIGN-RESIZE',
              `user:default/c-${from + i}`,
              `org-${from + i}`,
            ),
          ),
        ),
      );
    expect((await redeemMany(0, 2)).filter(r => r.ok)).toHaveLength(2);

    // 3 -> 40: slots are added up to the new count, the cap they add up to is exact.
    await store.patch(SOVEREIGN, voucher.id, { maxRedemptions: 40 });
    const slots = await knex('catalyst_voucher_slots').where({
      voucher_id: voucher.id,
    });
    expect(slots).toHaveLength(VOUCHER_SLOTS);
    expect(slots.reduce((sum, slot) => sum + Number(slot.capacity), 0)).toBe(
      40,
    );
    expect(slots.every(s => Number(s.used) <= Number(s.capacity))).toBe(true);
    const second = await redeemMany(100, 60);
    expect(second.filter(r => r.ok)).toHaveLength(38);
    expect(
      second.filter(r => !r.ok).every(r => !r.ok && r.reason === 'exhausted'),
    ).toBe(true);
    expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
      timesRedeemed: 40,
      state: 'exhausted',
    });

    // Unlimited, then capped again just above the count.
    await store.patch(SOVEREIGN, voucher.id, { maxRedemptions: 0 });
    expect((await redeemMany(200, 5)).filter(r => r.ok)).toHaveLength(5);
    await store.patch(SOVEREIGN, voucher.id, { maxRedemptions: 47 });
    expect((await redeemMany(300, 10)).filter(r => r.ok)).toHaveLength(2);
    expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
      timesRedeemed: 47,
      maxRedemptions: 47,
      state: 'exhausted',
    });
  });

  it('applies a cap set while a campaign is being redeemed, without a deadlock', async () => {
    const { store } = await createStore();
    for (let round = 0; round < 5; round++) {
      const code = `CAMPAIGN-LIVE-${round}`;
      const [voucher] = await store.issue(
        issueInput(code, { maxRedemptions: 0 }),
      );
      const redemptions = Array.from({ length: 30 }, (_, i) =>
        store.redeem(
          redeemInput(code, `user:default/l-${round}-${i}`, `l-${round}-${i}`),
        ),
      );
      const patched = store
        .patch(SOVEREIGN, voucher.id, { maxRedemptions: 20 })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      const results = await Promise.all(redemptions);
      const refused = await patched;
      // Only refused when more than 20 were already made at that moment.
      expect(refused === undefined || refused instanceof ConflictError).toBe(
        true,
      );
      const granted = results.filter(r => r.ok).length;
      expect(granted).toBe(refused ? 30 : 20);
      expect(
        results
          .filter(r => !r.ok)
          .every(r => !r.ok && r.reason === 'exhausted'),
      ).toBe(true);
      expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
        timesRedeemed: granted,
      });
    }
  });

  it('closes the slots of a deactivated voucher and opens them again when it is switched on', async () => {
    const { store } = await createStore();
    const [voucher] = await store.issue(
      issueInput('CAMPAIGN-SWITCH', { maxRedemptions: 0 }),
    );
    await store.patch(SOVEREIGN, voucher.id, { active: false });
    expect(
      await store.redeem(
        redeemInput('CAMPAIGN-SWITCH', 'user:default/a', 'org-a'),
      ),
    ).toEqual({ ok: false, reason: 'inactive' });
    await store.patch(SOVEREIGN, voucher.id, { active: true });
    expect(
      await store.redeem(
        redeemInput('CAMPAIGN-SWITCH', 'user:default/a', 'org-a'),
      ),
    ).toMatchObject({ ok: true, voucher: { timesRedeemed: 1 } });
  });

  it('gives vouchers issued before the slots theirs, with the redemptions already made', async () => {
    const knex = await databases.init(databaseId);
    const directory = resolvePackagePath(
      '@catalyst/plugin-catalyst-backend',
      'migrations',
    );
    // Every migration before the one that adds the slots.
    for (;;) {
      const [, pending] = await knex.migrate.list({ directory });
      if (pending.length <= 1) break;
      await knex.migrate.up({ directory });
    }
    const at = '2026-11-25T09:00:00.000Z';
    const old = (id: string, max: number, used: number, active = true) => ({
      id,
      sovereign: SOVEREIGN,
      code_hash: hashVoucherCode(KEY, id),
      code_kind: 'vanity',
      code_masked: maskVoucherCode(id),
      credit_minor: 100_000,
      currency: 'OMR',
      description: '',
      active,
      max_redemptions: max,
      times_redeemed: used,
      expires_at: null,
      issued_by: ADMIN,
      created_at: at,
      updated_at: at,
    });
    await knex('catalyst_vouchers').insert([
      old('OLD-CAPPED', 100, 60),
      old('OLD-OPEN', 0, 5),
      old('OLD-OFF', 10, 1, false),
    ]);
    const store = await VoucherStore.create(mockServices.database({ knex }));
    expect(await store.get(SOVEREIGN, 'OLD-CAPPED')).toMatchObject({
      timesRedeemed: 60,
      state: 'active',
    });
    expect(await store.get(SOVEREIGN, 'OLD-OPEN')).toMatchObject({
      timesRedeemed: 5,
    });
    const capped = await knex('catalyst_voucher_slots').where({
      voucher_id: 'OLD-CAPPED',
    });
    expect(capped).toHaveLength(VOUCHER_SLOTS);
    expect(capped.reduce((sum, s) => sum + Number(s.capacity), 0)).toBe(100);
    expect(
      await store.redeem(redeemInput('OLD-OFF', 'user:default/a', 'org-a')),
    ).toEqual({ ok: false, reason: 'inactive' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.redeem(
          redeemInput('OLD-CAPPED', `user:default/o-${i}`, `o-${i}`),
        ),
      ),
    );
    expect(results.filter(r => r.ok)).toHaveLength(40);
    expect(await store.get(SOVEREIGN, 'OLD-CAPPED')).toMatchObject({
      timesRedeemed: 100,
      state: 'exhausted',
    });
  });

  it('never lets a redemption slip past a concurrent revocation', async () => {
    const { store, knex } = await createStore();
    for (let round = 0; round < 10; round++) {
      const code = `RACE-REVOKE-${round}`;
      const [voucher] = await store.issue(
        issueInput(code, { maxRedemptions: 0 }),
      );
      const [revoked, ...redemptions] = await Promise.all([
        store.revoke(SOVEREIGN, voucher.id, ADMIN),
        ...Array.from({ length: 10 }, (_, i) =>
          store.redeem(
            redeemInput(
              code,
              `user:default/c-${round}-${i}`,
              `org-${round}-${i}`,
            ),
          ),
        ),
      ]);
      expect(revoked.state).toBe('revoked');
      const granted = redemptions.filter(r => r.ok).length;
      const refusals = redemptions.flatMap(r => (r.ok ? [] : [r.reason]));
      expect(refusals).toEqual(refusals.map(() => 'revoked'));
      const row = await knex('catalyst_vouchers')
        .where({ id: voucher.id })
        .first();
      expect(await store.get(SOVEREIGN, voucher.id)).toMatchObject({
        timesRedeemed: granted,
        redemptions: granted,
      });
      const ledger = await knex('catalyst_credit_ledger')
        .where('reason', `voucher:${voucher.id}`)
        .count({ n: '*' });
      expect(Number(ledger[0].n)).toBe(granted);
      // Every grant happened before the revocation was recorded.
      const grantTimes = redemptions.flatMap(r =>
        r.ok ? [r.redemption.redeemedAt] : [],
      );
      expect(grantTimes.filter(t => t > row.revoked_at)).toEqual([]);
    }
  });
});
