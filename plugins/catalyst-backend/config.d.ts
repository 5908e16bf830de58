import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Catalyst backend plugin (`/api/catalyst`). */
  catalyst?: {
    /** The byo-manual delegation watcher (pdm.md §7): asks PDM whether dns-pending Sovereigns are delegated. */
    delegation?: {
      /**
       * How often the watcher looks at every dns-pending byo-manual Sovereign, e.g. `60s` or `{ seconds: 60 }`.
       * @default { seconds: 60 }
       */
      pollInterval?: HumanDuration | string;
      /**
       * How long a Sovereign may stay dns-pending before it fails with reason delegation-timeout.
       * @default { hours: 48 }
       */
      timeout?: HumanDuration | string;
    };
    vouchers?: {
      /**
       * Key of the HMAC-SHA256 under which voucher codes are stored (at least 32 characters). Without it the
       * voucher routes are not mounted. Changing it makes every issued code unusable.
       * @visibility secret
       */
      codeKey?: string;
      rateLimits?: {
        /** Voucher previews per client address per minute. @default 30 */
        previewPerClientPerMinute?: number;
        /** Previews of one code per minute, all clients together. @default 10 */
        previewPerCodePerMinute?: number;
        /** Redemption attempts per customer per minute. @default 10 */
        redeemPerCustomerPerMinute?: number;
      };
    };
    providers?: {
      hetzner?: {
        /**
         * Base URL of the Hetzner Cloud API used by the credential check.
         * @default https://api.hetzner.cloud/v1
         */
        apiBaseUrl?: string;
        /**
         * How long the credential check waits for Hetzner, in milliseconds.
         * @default 10000
         */
        credentialCheckTimeoutMs?: number;
      };
    };
  };
}
