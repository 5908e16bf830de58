import type { Dns01Setup } from '@catalyst/plugin-catalyst-common';
import { InputError } from '@backstage/errors';
import { validateCrdObject } from './validateCrdObject';
import {
  Certificate,
  ClusterIssuer,
} from '@kubernetes-models/cert-manager/cert-manager.io/v1';

/**
 * The overlay's TLS from the backend's settings and a step's `dns01` + `email` inputs: both or neither. Shared by
 * catalyst:overlay:render and by catalyst:gitops:commit when a recovered task renders the overlay again, so the
 * two always render the same objects.
 */
export function overlayTlsFor(
  settings: Omit<OverlayTls, 'email' | 'dns01'> | undefined,
  dns01: Dns01Setup | undefined,
  email: string | undefined,
): OverlayTls | undefined {
  if ((dns01 === undefined) !== (email === undefined)) {
    throw new InputError(
      'dns01 and email go together: both are needed for the certificate issuers',
    );
  }
  if (!dns01 || !email) return undefined;
  if (!settings) {
    throw new InputError(
      'dns01 was given but this backend has no scaffolder.catalyst.tls settings',
    );
  }
  return { ...settings, email, dns01 };
}

/** The two Let's Encrypt ClusterIssuers every Sovereign gets. */
export const TLS_ISSUERS = [
  'letsencrypt-production',
  'letsencrypt-staging',
] as const;
export type TlsIssuerName = (typeof TLS_ISSUERS)[number];

/** Where the TSIG secret lives on the cluster: cloud-init creates it from the provisioning inputs, never git. */
export const DNS01_TSIG_SECRET = Object.freeze({
  namespace: 'cert-manager',
  name: 'catalyst-dns01-tsig',
  key: 'secret',
});

/** The public DNS-01 facts PDM hands out for a Sovereign zone (never the key's secret). */
export type { Dns01Setup };

/** TLS of one Sovereign's overlay: ACME account, servers, the issuer the certificates use, and DNS-01. */
export interface OverlayTls {
  /** ACME account e-mail (the Sovereign's admin e-mail). */
  email: string;
  /** ACME directory URLs of the two issuers. */
  servers: Record<TlsIssuerName, string>;
  /** The ClusterIssuer the wildcard certificates use. */
  issuer: TlsIssuerName;
  dns01: Dns01Setup;
}

/**
 * Releases whose ingresses serve the wildcard certificate: the namespace the certificate's Secret must be in
 * (an Ingress only reads Secrets of its own namespace) and the HelmRelease values that point the ingress at it.
 */
const TLS_CONSUMERS: Record<
  string,
  {
    namespace: string;
    values: (fqdn: string, secretName: string) => Record<string, unknown>;
  }
> = {
  // Console, admin, marketplace and API of the Catalyst platform.
  'catalyst-platform': {
    namespace: 'catalyst-system',
    values: (fqdn, secretName) => ({
      ingress: {
        tls: [
          {
            secretName,
            hosts: [`console.${fqdn}`, `admin.${fqdn}`, `api.${fqdn}`, fqdn],
          },
        ],
      },
    }),
  },
  gitea: {
    namespace: 'gitea',
    values: (fqdn, secretName) => ({
      ingress: { tls: [{ secretName, hosts: [`gitea.${fqdn}`] }] },
    }),
  },
  harbor: {
    namespace: 'harbor',
    values: (fqdn, secretName) => ({
      harbor: {
        externalURL: `https://harbor.${fqdn}`,
        expose: {
          type: 'ingress',
          tls: {
            enabled: true,
            certSource: 'secret',
            secret: { secretName },
          },
          ingress: { hosts: { core: `harbor.${fqdn}` } },
        },
      },
    }),
  },
};

/** Name of the wildcard certificate's Secret in every namespace that serves it. */
export function wildcardSecretName(fqdn: string): string {
  return `${fqdn.replace(/\./g, '-')}-wildcard-tls`.slice(0, 253);
}

const ALGORITHMS: Record<string, string> = {
  'hmac-md5': 'HMACMD5',
  'hmac-sha1': 'HMACSHA1',
  'hmac-sha256': 'HMACSHA256',
  'hmac-sha512': 'HMACSHA512',
};

/** Checks the TLS input against the Sovereign it is for; throws InputError naming the field. */
export function checkOverlayTls(tls: OverlayTls, fqdn: string): void {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(tls.email)) {
    throw new InputError(
      `tls.email "${tls.email}" is not an e-mail address for the ACME account`,
    );
  }
  for (const issuer of TLS_ISSUERS) {
    if (!/^https:\/\/\S+$/.test(tls.servers?.[issuer] ?? '')) {
      throw new InputError(
        `tls.servers.${issuer} must be the https:// URL of an ACME directory`,
      );
    }
  }
  if (!TLS_ISSUERS.includes(tls.issuer)) {
    throw new InputError(
      `tls.issuer must be one of ${TLS_ISSUERS.join(', ')}, got "${
        tls.issuer
      }"`,
    );
  }
  const zone = tls.dns01?.zone?.replace(/\.$/, '');
  if (zone !== fqdn) {
    throw new InputError(
      `dns01.zone "${tls.dns01?.zone}" is not the Sovereign's zone ${fqdn}`,
    );
  }
  if (!/^\S+:\d{1,5}$/.test(tls.dns01.nameserver ?? '')) {
    throw new InputError(
      `dns01.nameserver "${tls.dns01.nameserver}" must be host:port`,
    );
  }
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(tls.dns01.keyName ?? '')) {
    throw new InputError(
      `dns01.keyName "${tls.dns01.keyName}" is not a TSIG key name`,
    );
  }
  if (!ALGORITHMS[tls.dns01.algorithm]) {
    throw new InputError(
      `dns01.algorithm "${
        tls.dns01.algorithm
      }" is not supported; use one of ${Object.keys(ALGORITHMS).join(', ')}`,
    );
  }
}

/** The two ClusterIssuers: Let's Encrypt production and staging, both solving DNS-01 over RFC 2136. */
export function clusterIssuers(
  tls: OverlayTls,
  labels: Record<string, string>,
): object[] {
  return TLS_ISSUERS.map(name => {
    const issuer = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name, labels },
      spec: {
        acme: {
          server: tls.servers[name],
          email: tls.email,
          privateKeySecretRef: { name: `${name}-account` },
          solvers: [
            {
              selector: { dnsZones: [tls.dns01.zone] },
              dns01: {
                rfc2136: {
                  nameserver: tls.dns01.nameserver,
                  tsigKeyName: tls.dns01.keyName,
                  tsigAlgorithm: ALGORITHMS[tls.dns01.algorithm],
                  tsigSecretSecretRef: {
                    name: DNS01_TSIG_SECRET.name,
                    key: DNS01_TSIG_SECRET.key,
                  },
                },
              },
            },
          ],
        },
      },
    };
    validateCrdObject(
      'cert-manager',
      `ClusterIssuer ${name}`,
      () => new ClusterIssuer(issuer as any),
    );
    return issuer;
  });
}

/** Namespaces of the overlay's releases that serve the wildcard certificate. */
export function tlsNamespaces(releaseShortNames: string[]): string[] {
  return releaseShortNames
    .filter(name => TLS_CONSUMERS[name])
    .map(name => TLS_CONSUMERS[name].namespace)
    .sort();
}

/** One wildcard Certificate (`*.<fqdn>` and `<fqdn>`) per namespace that serves it. */
export function wildcardCertificates(
  tls: OverlayTls,
  fqdn: string,
  namespaces: string[],
  labels: Record<string, string>,
): object[] {
  return namespaces.map(namespace => {
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'sovereign-wildcard', namespace, labels },
      spec: {
        secretName: wildcardSecretName(fqdn),
        commonName: fqdn,
        dnsNames: [`*.${fqdn}`, fqdn],
        issuerRef: {
          group: 'cert-manager.io',
          kind: 'ClusterIssuer',
          name: tls.issuer,
        },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    };
    validateCrdObject(
      'cert-manager',
      `Certificate ${namespace}/sovereign-wildcard`,
      () => new Certificate(certificate as any),
    );
    return certificate;
  });
}

/** The HelmRelease values that point a release's ingress at the wildcard certificate; {} when it has none. */
export function tlsReleaseValues(
  releaseShortName: string,
  fqdn: string,
): Record<string, unknown> {
  const consumer = TLS_CONSUMERS[releaseShortName];
  return consumer ? consumer.values(fqdn, wildcardSecretName(fqdn)) : {};
}
