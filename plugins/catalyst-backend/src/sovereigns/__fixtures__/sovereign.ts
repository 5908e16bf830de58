import {
  SovereignRecordUpsert,
  SovereignRequestRecord,
} from '@catalyst/plugin-catalyst-common';

/** The normalised request of `omantel.omani.works` as catalyst:sovereign:validate outputs it. */
export function omantelRequest(): SovereignRequestRecord {
  return {
    org: {
      name: 'Omantel',
      email: 'platform@omantel.om',
      industry: 'Telecommunications',
      size: '2,000–10,000',
      headquarters: 'Muscat, Oman',
      compliance: ['ISO 27001'],
    },
    topology: { template: 'solo', airgap: false, haEnabled: false },
    regions: [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx42',
        workerSize: 'cpx32',
        workerCount: 2,
        airgap: false,
      },
    ],
    components: ['cilium', 'flux', 'gitea', 'opentofu'],
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
    fqdn: 'omantel.omani.works',
    sshPublicKey:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM5k8+3AZ+v7oQFxIwhT7Jz5V0XRpKKoMDfidZQela0K platform@omantel.om',
    hetznerProjectId: 'proj_omantel',
  };
}

/** A complete, realistic upsert body for `omantel.omani.works`. */
export function omantelUpsert(
  overrides: Partial<SovereignRecordUpsert> = {},
): SovereignRecordUpsert {
  return {
    fqdn: 'omantel.omani.works',
    organization: 'Omantel',
    owner: 'group:default/omantel-platform',
    adminEmail: 'platform@omantel.om',
    topology: {
      template: 'solo',
      airgap: false,
      haEnabled: false,
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx42',
          workerSize: 'cpx32',
          workerCount: 2,
        },
      ],
    },
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
    components: ['cilium', 'flux', 'gitea', 'opentofu'],
    blueprints: ['bp-cilium@1.1.1', 'bp-flux@1.1.2', 'bp-gitea@1.1.2'],
    notInstallable: ['opentofu'],
    gitops: {
      repoUrl: 'https://gitea.example.com/catalyst/gitops.git',
      branch: 'main',
      path: 'clusters/omantel.omani.works',
      commitSha: '4f2a9c1e0b7d',
    },
    outputs: { loadBalancerIp: '203.0.113.10', controlPlaneIp: '203.0.113.11' },
    dnsRecords: [{ name: '@', type: 'A', content: '203.0.113.10', ttl: 300 }],
    tls: {
      issuer: 'letsencrypt-production',
      acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
      dnsNames: ['*.omantel.omani.works', 'omantel.omani.works'],
      certificateSecret: 'omantel-omani-works-wildcard-tls',
      dns01: {
        zone: 'omantel.omani.works',
        nameserver: 'ns1.openova.io:53',
        keyName: 'dns01.omantel.omani.works',
        algorithm: 'hmac-sha256',
      },
    },
    taskId: 'task-8d41',
    ...overrides,
  };
}
