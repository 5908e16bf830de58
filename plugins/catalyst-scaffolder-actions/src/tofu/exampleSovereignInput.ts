/**
 * A complete, valid input for the tofu actions, as catalyst:sovereign:validate hands it over. Used by the
 * actions' examples (shown on /create/actions) and run for real by their tests.
 */
export const exampleSovereignInput = {
  request: {
    org: { name: 'Omantel', email: 'platform@omantel.om' },
    topology: { template: 'solo', airgap: false, haEnabled: false },
    regions: [
      {
        provider: 'hetzner',
        cloudRegion: 'fsn1',
        controlPlaneSize: 'cpx52',
        workerSize: 'cpx32',
        workerCount: 2,
      },
    ],
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
    sshPublicKey:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl catalyst@omantel.omani.works',
    hetznerProjectId: 'proj_abc123',
    fqdn: 'omantel.omani.works',
  },
  fqdn: 'omantel.omani.works',
  gitopsRepoUrl: 'https://github.com/openova-io/openova',
  gitopsBranch: 'main',
  overlayPath: 'clusters/omantel.omani.works',
};
