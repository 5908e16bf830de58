import { Entity } from '@backstage/catalog-model';

/** Catalog entities shaped as the Catalyst providers emit them, for the entity page tests. */

const apiVersion = 'catalyst.openova.io/v1alpha1';

export function blueprintEntity(
  id: string,
  opts: {
    family: string;
    dependsOn?: string[];
    version?: string;
    logoSlug?: string;
    logo?: string;
    title?: string;
  },
): Entity {
  const name = `bp-${id}`;
  const version = opts.version ?? '1.0.0';
  const dependsOn = opts.dependsOn ?? [];
  return {
    apiVersion,
    kind: 'Blueprint',
    metadata: {
      name,
      namespace: 'default',
      title: opts.title,
      tags: [`family-${opts.family}`],
      annotations: opts.logoSlug
        ? { 'catalyst.openova.io/logo-slug': opts.logoSlug }
        : {},
    },
    spec: {
      family: opts.family,
      chart: name,
      version,
      oci: `oci://ghcr.io/openova-io/${name}`,
      namespace: id,
      dependsOn: dependsOn.map(d => `bp-${d}`),
      alwaysIncluded: false,
      installable: true,
      description: `${id} for the Sovereign`,
      tier: 'recommended',
      upstream: `${id}@9.9.9`,
      ...(opts.logo ? { logo: opts.logo } : {}),
    },
    relations: [
      ...dependsOn.map(d => ({
        type: 'dependsOn',
        targetRef: `blueprint:default/bp-${d}`,
      })),
      { type: 'partOf', targetRef: `system:default/family-${opts.family}` },
    ],
  };
}

export const grafana = blueprintEntity('grafana', {
  family: 'insights',
  dependsOn: ['cnpg', 'keycloak'],
  logoSlug: 'grafana',
  version: '2.1.0',
});
export const keycloak = blueprintEntity('keycloak', {
  family: 'guardian',
  dependsOn: ['cnpg'],
});
export const cnpg = blueprintEntity('cnpg', { family: 'silo' });
export const gitea = blueprintEntity('gitea', {
  family: 'pilot',
  dependsOn: ['keycloak', 'cnpg'],
});

export const sovereign: Entity = {
  apiVersion,
  kind: 'Sovereign',
  metadata: {
    name: 'acme-omani-works',
    namespace: 'default',
    annotations: { 'catalyst.openova.io/fqdn': 'acme.omani.works' },
  },
  spec: {
    owner: 'group:default/acme-platform',
    fqdn: 'acme.omani.works',
    organization: 'Acme',
    adminEmail: 'ops@acme.example',
    phase: 'ready',
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'acme' },
    topology: {
      template: 'solo',
      airgap: false,
      haEnabled: false,
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cx33',
          workerCount: 2,
        },
      ],
    },
    components: ['grafana', 'keycloak', 'cnpg'],
    blueprints: [
      'bp-grafana@2.0.5',
      'bp-keycloak@1.0.0',
      'bp-cnpg@1.0.0',
      'bp-velero@0.4.0',
    ],
    notInstallable: ['opentofu'],
    gitops: {
      repoUrl: 'https://gitea.acme.omani.works/catalyst/gitops.git',
      branch: 'main',
      path: 'clusters/acme.omani.works',
      commitSha: '3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345',
    },
    endpoints: {
      controlPlaneIp: '203.0.113.10',
      loadBalancerIp: '203.0.113.20',
      consoleUrl: 'https://console.acme.omani.works',
    },
    tls: {
      issuer: 'letsencrypt-production',
      acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
      dnsNames: ['*.acme.omani.works', 'acme.omani.works'],
      certificateSecret: 'acme-omani-works-wildcard-tls',
      dns01: {
        zone: 'acme.omani.works',
        nameserver: 'ns1.openova.io:53',
        keyName: 'dns01.acme.omani.works',
        algorithm: 'hmac-sha256',
      },
    },
    dnsRecords: [
      {
        name: 'acme.omani.works',
        type: 'A',
        ttl: 300,
        content: '203.0.113.20',
      },
      {
        name: 'console.acme.omani.works',
        type: 'A',
        ttl: 300,
        content: '203.0.113.20',
      },
    ],
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/acme-platform' },
    { type: 'dependsOn', targetRef: 'blueprint:default/bp-grafana' },
    { type: 'dependsOn', targetRef: 'blueprint:default/bp-keycloak' },
    { type: 'dependsOn', targetRef: 'blueprint:default/bp-cnpg' },
  ],
};

export const voucher: Entity = {
  apiVersion,
  kind: 'Voucher',
  metadata: { name: 'v-launch-100', namespace: 'acme-omani-works' },
  spec: {
    sovereign: 'sovereign:default/acme-omani-works',
    owner: 'group:default/acme-platform',
    codeMasked: '••••-100',
    credit: { amount: 100, currency: 'OMR' },
    description: 'Launch campaign',
    state: 'active',
    maxRedemptions: 50,
    timesRedeemed: 12,
    expiresAt: '2027-03-31T23:59:59Z',
    issuedBy: 'user:default/franchise-admin',
  },
};
