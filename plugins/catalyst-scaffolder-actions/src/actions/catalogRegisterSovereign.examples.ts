import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  EXAMPLE_FQDN,
  exampleRegion,
  exampleRequestBase,
} from './exampleSovereign';

export const exampleRequest = {
  org: {
    name: 'Omantel',
    email: 'platform@omantel.om',
    industry: 'Telecommunications',
    size: '2,000–10,000',
    headquarters: 'Muscat, Oman',
    compliance: ['ISO 27001'],
  },
  ...exampleRequestBase,
  regions: [{ ...exampleRegion, airgap: false }],
  components: ['cilium', 'flux', 'gitea'],
};

export const examples: TemplateExample[] = [
  {
    description:
      'Register the Sovereign as provisioning right after validation, so its entity appears at once.',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'catalyst:catalog:register-sovereign',
          name: 'Register the Sovereign',
          input: {
            request: exampleRequest,
            phase: 'provisioning',
            message: 'Provisioning started',
            owner: 'group:default/platform',
          },
        },
      ],
    }),
  },
  {
    description:
      'Mark it ready with the GitOps commit and the load balancer IP.',
    example: yaml.stringify({
      steps: [
        {
          id: 'register-ready',
          action: 'catalyst:catalog:register-sovereign',
          name: 'Sovereign ready',
          input: {
            request: exampleRequest,
            phase: 'ready',
            message:
              'Machines, DNS and overlay are in place; Flux is reconciling',
            gitops: {
              repoUrl: 'https://github.com/openova-io/gitops',
              branch: 'main',
              path: `clusters/${EXAMPLE_FQDN}`,
              commitSha: '3f2c1e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e',
            },
            outputs: {
              loadBalancerIp: '203.0.113.10',
              controlPlaneIp: '203.0.113.11',
            },
          },
        },
      ],
    }),
  },
];
