import {
  EXAMPLE_FQDN,
  exampleRegion,
  exampleRequestBase,
} from '../actions/exampleSovereign';

/**
 * A complete, valid input for the tofu actions, as catalyst:sovereign:validate hands it over. Used by the
 * actions' examples (shown on /create/actions) and run for real by their tests.
 */
export const exampleSovereignInput = {
  request: {
    org: { name: 'Omantel', email: 'platform@omantel.om' },
    ...exampleRequestBase,
    regions: [exampleRegion],
  },
  fqdn: EXAMPLE_FQDN,
  gitopsRepoUrl: 'https://github.com/openova-io/openova',
  gitopsBranch: 'main',
  overlayPath: `clusters/${EXAMPLE_FQDN}`,
};
