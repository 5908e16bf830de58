import { Config } from '@backstage/config';
import { Knex } from 'knex';
import { isIPv4, isIPv6 } from 'node:net';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number };

export type VoucherRateLimitSettings = {
  /** Previews per client address per minute. */
  previewPerClientPerMinute: number;
  /** Previews of one code per minute, from all clients together (stops a botnet enumerating one code). */
  previewPerCodePerMinute: number;
  /** Redemption attempts per customer per minute (stops a signed-in user guessing codes at redeem). */
  redeemPerCustomerPerMinute: number;
};

export const DEFAULT_VOUCHER_RATE_LIMITS: VoucherRateLimitSettings = {
  previewPerClientPerMinute: 30,
  previewPerCodePerMinute: 10,
  redeemPerCustomerPerMinute: 10,
};

/** Seconds a client is told to wait when the limiter itself failed. */
const FAIL_CLOSED_RETRY_SECONDS = 60;

/**
 * Rate limits of the voucher endpoints (docs/vouchers.md). They FAIL CLOSED: when the limiter's store
 * errors, the request is refused with 429 instead of waved through, so an outage cannot open the door to code
 * enumeration. Keys for codes are their keyed hashes, never the codes.
 */
export class VoucherRateLimits {
  /** The configured limits (`catalyst.vouchers.rateLimits.*`). */
  static settingsFromConfig(config: Config): VoucherRateLimitSettings {
    const read = (key: string, fallback: number) =>
      config.getOptionalNumber(`catalyst.vouchers.rateLimits.${key}`) ??
      fallback;
    const d = DEFAULT_VOUCHER_RATE_LIMITS;
    return {
      previewPerClientPerMinute: read(
        'previewPerClientPerMinute',
        d.previewPerClientPerMinute,
      ),
      previewPerCodePerMinute: read(
        'previewPerCodePerMinute',
        d.previewPerCodePerMinute,
      ),
      redeemPerCustomerPerMinute: read(
        'redeemPerCustomerPerMinute',
        d.redeemPerCustomerPerMinute,
      ),
    };
  }

  /**
   * Limits whose counters live in the plugin's database (SQLite or PostgreSQL, one table per limiter), so every
   * replica of the backend counts against the same budget. Each consume is one atomic upsert in the store.
   */
  static async inDatabase(
    knex: Knex,
    settings: VoucherRateLimitSettings,
  ): Promise<VoucherRateLimits> {
    const postgres = knex.client.dialect === 'postgresql';
    const perMinute = async (
      tableName: string,
      points: number,
    ): Promise<RateLimiterAbstract> => {
      const options = {
        storeClient: knex,
        storeType: 'knex',
        tableName,
        keyPrefix: tableName,
        points,
        duration: 60,
      };
      // The limiter creates its table asynchronously and calls back when it is ready.
      let tableReady: (error?: Error) => void = () => {};
      const created = new Promise<void>((resolve, reject) => {
        tableReady = error => (error ? reject(error) : resolve());
      });
      const limiter = postgres
        ? new RateLimiterPostgres(options, tableReady)
        : new RateLimiterSQLite(options as any, tableReady);
      await created;
      return limiter;
    };
    return new VoucherRateLimits({
      previewClient: await perMinute(
        'catalyst_rl_voucher_preview_client',
        settings.previewPerClientPerMinute,
      ),
      previewCode: await perMinute(
        'catalyst_rl_voucher_preview_code',
        settings.previewPerCodePerMinute,
      ),
      redeemCustomer: await perMinute(
        'catalyst_rl_voucher_redeem_customer',
        settings.redeemPerCustomerPerMinute,
      ),
    });
  }

  static inMemory(settings: VoucherRateLimitSettings): VoucherRateLimits {
    const perMinute = (keyPrefix: string, points: number) =>
      new RateLimiterMemory({ keyPrefix, points, duration: 60 });
    return new VoucherRateLimits({
      previewClient: perMinute(
        'voucher-preview-client',
        settings.previewPerClientPerMinute,
      ),
      previewCode: perMinute(
        'voucher-preview-code',
        settings.previewPerCodePerMinute,
      ),
      redeemCustomer: perMinute(
        'voucher-redeem-customer',
        settings.redeemPerCustomerPerMinute,
      ),
    });
  }

  constructor(
    private readonly limiters: {
      previewClient: RateLimiterAbstract;
      previewCode: RateLimiterAbstract;
      redeemCustomer: RateLimiterAbstract;
    },
  ) {}

  /** Counts a preview against the client's bucket: its IPv4 address, or the /64 of its IPv6 address. */
  previewClient(clientAddress: string): Promise<RateDecision> {
    return this.consume(
      this.limiters.previewClient,
      clientBucket(clientAddress),
    );
  }

  previewCode(codeHash: string): Promise<RateDecision> {
    return this.consume(this.limiters.previewCode, codeHash);
  }

  redeemCustomer(customer: string): Promise<RateDecision> {
    return this.consume(this.limiters.redeemCustomer, customer);
  }

  private async consume(
    limiter: RateLimiterAbstract,
    key: string,
  ): Promise<RateDecision> {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(
            1,
            Math.ceil(rejection.msBeforeNext / 1000),
          ),
        };
      }
      // The limiter's store failed: refuse (fail closed).
      return { allowed: false, retryAfterSeconds: FAIL_CLOSED_RETRY_SECONDS };
    }
  }
}

/**
 * The bucket a client address is counted in. IPv4 (also IPv4-mapped IPv6) by address; IPv6 by its /64, because one
 * subscriber usually holds a whole /64 and could otherwise rotate through 2^64 addresses.
 */
export function clientBucket(address: string): string {
  const plain = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return 'unknown';
  const [head, tail = ''] = plain.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail counts as two groups.
  const expandV4 = (groups: string[]) =>
    groups.flatMap(g => {
      if (!g.includes('.')) return [g];
      const [a, b, c, d] = g.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const h = expandV4(headGroups);
  const t = expandV4(tailGroups);
  const groups = plain.includes('::')
    ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
    : h;
  return `${groups
    .slice(0, 4)
    .map(g => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
