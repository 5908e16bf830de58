import { SovereignRecord } from '@catalyst/plugin-catalyst-common';

/** A complete registry record, as the provisioning flow registers it; tests override what they vary. */
export function sovereignRecord(
  overrides: Partial<SovereignRecord> = {},
): SovereignRecord {
  return {
    name: 'omantel-omani-works',
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
    components: ['cilium', 'flux', 'gitea'],
    blueprints: ['bp-cilium@1.1.1', 'bp-flux@1.1.2', 'bp-gitea@1.1.2'],
    notInstallable: [],
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
    phase: 'ready',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:30:00.000Z',
    ...overrides,
  };
}
