import { HumanDuration } from '@backstage/types';

export interface Config {
  catalyst?: {
    /** The GitOps repository Flux watches; each Sovereign's overlay is committed under clusters/<fqdn>/. */
    gitops: {
      /**
       * Clone URL: file:///… for a local bare repository, or https://… (credentials come from the Backstage
       * `integrations` config, never from this URL).
       */
      repoUrl: string;
      /** Branch Flux reconciles. Default: main. */
      branch?: string;
      /** Commit author name. Default: Catalyst. */
      authorName?: string;
      /** Commit author e-mail. */
      authorEmail: string;
      /** Push attempts when other writers keep moving the branch. Default: 5. */
      maxPushAttempts?: number;
    };
    provisioning?: {
      /**
       * TTL asked for on a pool reservation. Default: catalyst.tofu.timeout plus 30 minutes (PDM caps it at
       * pdm.maxReservationTtl).
       */
      reservationTtl?: HumanDuration;
      /** How often running provisioning tasks are checked (renewal, compensation). Default: 15 seconds. */
      keeperPollInterval?: HumanDuration;
    };
  };
}
