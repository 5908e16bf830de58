import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Catalyst backend plugin (`/api/catalyst`). */
  catalyst?: {
    /** The byo-manual delegation watcher (docs/pdm.md §7): asks PDM whether dns-pending Sovereigns are delegated. */
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
    /** Phase 1 (docs/phase1.md): the kubeconfig handoff and the platform watcher. */
    platform?: {
      /**
       * Secret the AES-256-GCM key for stored kubeconfigs is derived from (at least 32 characters). Without it
       * the handoff routes are not mounted and nothing is watched. Changing it makes stored kubeconfigs unreadable.
       * @visibility secret
       */
      kubeconfigKey?: string;
      /** How often the watcher looks for bootstrapping Sovereigns. @default { seconds: 10 } */
      pollInterval?: HumanDuration | string;
      /** How long one watch run lasts before the next run relists. @default { minutes: 1 } */
      sessionLength?: HumanDuration | string;
      /** How long a Sovereign may bootstrap before what is not ready counts as timed out. @default { minutes: 30 } */
      readyTimeout?: HumanDuration | string;
      /** Lifetime of a handoff secret; also how long a bootstrapping Sovereign waits for its kubeconfig. @default { hours: 2 } */
      handoffTtl?: HumanDuration | string;
    };
    permissions?: {
      /**
       * Groups (full entity refs) whose members administer every Sovereign, e.g. may download any kubeconfig.
       * @default ['group:default/platform-team']
       */
      adminGroups?: string[];
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
