import { TestDatabases } from '@backstage/backend-test-utils';
import { clientBucket, VoucherRateLimits } from './VoucherRateLimits';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

if (
  process.env.CATALYST_TEST_REQUIRE_POSTGRES &&
  !databases.supports('POSTGRES_15')
) {
  throw new Error(
    'CATALYST_TEST_REQUIRE_POSTGRES is set but POSTGRES_15 is not available',
  );
}

const settings = {
  previewPerClientPerMinute: 3,
  previewPerCodePerMinute: 2,
  redeemPerCustomerPerMinute: 2,
};

describe('clientBucket', () => {
  it('counts IPv4 per address and IPv6 per /64', () => {
    expect(clientBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe(
      '2001:db8:1:2::/64',
    );
    expect(clientBucket('2001:0db8:0001:0002:0:0:0:9')).toBe(
      '2001:db8:1:2::/64',
    );
    expect(clientBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientBucket('not an address')).toBe('unknown');
  });
});

describe.each(databases.eachSupportedId())(
  'VoucherRateLimits in the database on %p',
  databaseId => {
    it('shares one budget between replicas and buckets IPv6 by /64', async () => {
      const knex = await databases.init(databaseId);
      // Two backend replicas on one database.
      const a = await VoucherRateLimits.inDatabase(knex, settings);
      const b = await VoucherRateLimits.inDatabase(knex, settings);

      expect(await a.previewClient('2001:db8:1:2::1')).toEqual({
        allowed: true,
      });
      expect(await b.previewClient('2001:db8:1:2::2')).toEqual({
        allowed: true,
      });
      expect(await a.previewClient('2001:db8:1:2:ffff::3')).toEqual({
        allowed: true,
      });
      const refused = await b.previewClient('2001:db8:1:2::4');
      expect(refused.allowed).toBe(false);
      expect(
        refused.allowed === false && refused.retryAfterSeconds,
      ).toBeGreaterThan(0);
      // Another /64 and an IPv4 client have their own budgets.
      expect(await a.previewClient('2001:db8:1:3::1')).toEqual({
        allowed: true,
      });
      expect(await b.previewClient('203.0.113.9')).toEqual({ allowed: true });

      expect(await a.previewCode('hash-1')).toEqual({ allowed: true });
      expect(await b.previewCode('hash-1')).toEqual({ allowed: true });
      expect((await a.previewCode('hash-1')).allowed).toBe(false);
      expect(await b.redeemCustomer('user:default/alice')).toEqual({
        allowed: true,
      });
    });

    it('fails closed when the store errors', async () => {
      const knex = await databases.init(databaseId);
      const limits = await VoucherRateLimits.inDatabase(knex, settings);
      await knex.schema.dropTable('catalyst_rl_voucher_preview_client');
      expect(await limits.previewClient('203.0.113.10')).toEqual({
        allowed: false,
        retryAfterSeconds: 60,
      });
    });
  },
);
