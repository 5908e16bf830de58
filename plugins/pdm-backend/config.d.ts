import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Pool-domain manager: Sovereign domain allocation and PowerDNS zones. */
  pdm?: {
    powerdns: {
      /** PowerDNS API base URL, e.g. http://powerdns.openova-system.svc.cluster.local:8081 */
      baseUrl: string;
      /**
       * PowerDNS API key, sent as X-API-Key.
       * @visibility secret
       */
      apiKey: string;
      /** PowerDNS server id. Default: localhost */
      serverId?: string;
      /**
       * Optional Authorization header value for an ingress in front of the API.
       * @visibility secret
       */
      authorization?: string;
      /** Per-request timeout. Default: 30 seconds */
      timeout?: HumanDuration | string;
    };
    /** Nameservers of every zone PDM creates. Default: ns1/ns2/ns3.openova.io */
    nameservers?: string[];
    /** Pool domains PDM allocates from. Default: openova.io, omani.works */
    poolDomains?: string[];
    /** How long a reservation lives without a commit. Default: 10 minutes */
    reservationTtl?: HumanDuration | string;
    /** Upper bound for `ttlSeconds` on reserve and renew. Default: 3 hours */
    maxReservationTtl?: HumanDuration | string;
    /** How often the sweeper removes expired reservations. Default: 30 seconds */
    sweeperInterval?: HumanDuration | string;
    /** Delegation check (`GET /v1/delegation/{fqdn}`). */
    delegation?: {
      /** Recursive resolvers as host:port, used to find the parent's nameservers. Default: the system resolvers */
      resolvers?: string[];
      /** Port of the parent's authoritative servers. Default: 53 */
      authoritativePort?: number;
      /** Per-query timeout. Default: 5 seconds */
      timeout?: HumanDuration | string;
    };
    /**
     * DNS-01 for the Sovereigns' certificates: every Sovereign zone gets its own TSIG key that may update that
     * zone only (docs/tls.md). PowerDNS itself needs `dnsupdate=yes` and an empty `allow-dnsupdate-from=`.
     */
    dns01?: {
      /** host:port a Sovereign's cert-manager sends its RFC 2136 updates to. Default: the first nameserver, port 53 */
      nameserver?: string;
      /**
       * Networks PowerDNS accepts updates from for Sovereign zones (zone metadata ALLOW-DNSUPDATE-FROM); the
       * zone's key is what authorizes an update. Default: 0.0.0.0/0 and ::/0
       */
      allowUpdateFrom?: string[];
    };
    /** Registrar adapters for bring-your-own domains. */
    registrars?: {
      [registrarId: string]: {
        /** Upstream API base URL (sandboxes and tests point elsewhere). */
        baseUrl?: string;
        /** Per-request timeout: milliseconds, or a duration such as `15s`. Default: 30 seconds */
        timeout?: number | HumanDuration | string;
        /** Longest Retry-After wait that is retried once. Default: 5 seconds */
        maxRetryAfter?: number | HumanDuration | string;
      };
    };
  };
}
