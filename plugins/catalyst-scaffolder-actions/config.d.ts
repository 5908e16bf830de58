import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The scaffolder plugin's namespace; the Catalyst module keeps its keys under `scaffolder.catalyst`, its host
   * plugin's namespace, as Backstage's catalog modules do under `catalog.providers` (docs/configuration.md).
   */
  scaffolder?: {
    /** The `catalyst:*` actions of this module. */
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
      /** OpenTofu runs of catalyst:tofu:plan / apply / destroy. */
      tofu: {
        /** Executable: `tofu` or `terraform` (name on PATH or absolute path). Default: tofu. */
        binary?: string;
        /** Module folder (infra/hetzner, infra/sandbox); absolute, or relative to the backend's working directory. */
        modulePath: string;
        /** Folder under which each Sovereign gets its own working directory <fqdn-dashed> (0700). */
        workDir: string;
        /** `local`: terraform.tfstate in the workdir; `pg`: PostgreSQL, one schema (and lock) per Sovereign. Default: local. */
        stateBackend?: 'local' | 'pg';
        /**
         * PostgreSQL connection string for stateBackend `pg`; reaches the binary as PG_CONN_STR only.
         * The pg backend (lib/pq) requires TLS unless told otherwise: against a PostgreSQL without TLS, append
         * `?sslmode=disable` (or `&sslmode=disable` after other parameters), e.g.
         * `postgres://tofu:…@db:5432/tofu_state?sslmode=disable`; otherwise `tofu init` fails with
         * "pq: SSL is not enabled on the server". With TLS, use `sslmode=verify-full` to check the certificate.
         * In production it comes from the environment (`${TOFU_PG_CONN_STR}`), so the sslmode goes there too.
         * @visibility secret
         */
        pgConnectionString?: string;
        /** Upper bound of one command (init, plan, apply, output, destroy). Default: 30 minutes. */
        timeout?: HumanDuration;
        /** Time between SIGINT and SIGKILL when a run is cancelled or times out. Default: 30 seconds. */
        killGracePeriod?: HumanDuration;
      };
      /** TLS of every Sovereign: cert-manager ClusterIssuers solving DNS-01 with the zone's own key (docs/tls.md). */
      tls?: {
        acme?: {
          /** ACME directory of the `letsencrypt-production` ClusterIssuer. Default: Let's Encrypt production */
          productionServer?: string;
          /** ACME directory of the `letsencrypt-staging` ClusterIssuer. Default: Let's Encrypt staging */
          stagingServer?: string;
        };
        /** The ClusterIssuer the wildcard certificates use. Default: letsencrypt-production */
        issuer?: 'letsencrypt-production' | 'letsencrypt-staging';
      };
      provisioning?: {
        /**
         * TTL asked for on a pool reservation. Default: scaffolder.catalyst.tofu.timeout plus 30 minutes (PDM caps it at
         * pdm.maxReservationTtl).
         */
        reservationTtl?: HumanDuration;
        /** How often running provisioning tasks are checked (renewal, compensation). Default: 15 seconds. */
        keeperPollInterval?: HumanDuration;
      };
      /**
       * Origin new clusters PUT their kubeconfig back to (catalyst-backend's hand-back route, reachable from
       * them), written into each cluster's hand-back job. Default: catalyst-backend's external URL.
       */
      handoffBaseUrl?: string;
    };
  };
}
