import { Config } from '@backstage/config';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRes,
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
 * Rate limits of the voucher endpoints (vouchers.md, known defect 3). They FAIL CLOSED: when the limiter's store
 * errors, the request is refused with 429 instead of waved through, so an outage cannot open the door to code
 * enumeration. Keys for codes are their keyed hashes, never the codes.
 */
export class VoucherRateLimits {
  static fromConfig(config: Config): VoucherRateLimits {
    const read = (key: string, fallback: number) =>
      config.getOptionalNumber(`catalyst.vouchers.rateLimits.${key}`) ??
      fallback;
    const d = DEFAULT_VOUCHER_RATE_LIMITS;
    return VoucherRateLimits.inMemory({
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

  previewClient(clientAddress: string): Promise<RateDecision> {
    return this.consume(this.limiters.previewClient, clientAddress);
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
