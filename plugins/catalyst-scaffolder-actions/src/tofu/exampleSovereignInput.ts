import {
  EXAMPLE_FQDN,
  EXAMPLE_HETZNER_PROJECT_ID,
  EXAMPLE_SSH_PUBLIC_KEY,
  exampleDomain,
  exampleRegion,
  exampleTopology,
} from '../actions/exampleSovereign';

/**
 * A complete, valid input for the tofu actions, as catalyst:sovereign:validate hands it over. Used by the
 * actions' examples (shown on /create/actions) and run for real by their tests.
 */
export const exampleSovereignInput = {
  request: {
    org: { name: 'Omantel', email: 'platform@omantel.om' },
    topology: exampleTopology,
    regions: [exampleRegion],
    domain: exampleDomain,
    sshPublicKey: EXAMPLE_SSH_PUBLIC_KEY,
    hetznerProjectId: EXAMPLE_HETZNER_PROJECT_ID,
    fqdn: EXAMPLE_FQDN,
  },
  fqdn: EXAMPLE_FQDN,
  gitopsRepoUrl: 'https://github.com/openova-io/openova',
  gitopsBranch: 'main',
  overlayPath: `clusters/${EXAMPLE_FQDN}`,
};
