export interface Config {
  /** Catalyst backend plugin (`/api/catalyst`). */
  catalyst?: {
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
