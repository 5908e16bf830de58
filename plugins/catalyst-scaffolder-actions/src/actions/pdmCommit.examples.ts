import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { EXAMPLE_FQDN, exampleDomain } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit the reservation with the load balancer IP as soon as OpenTofu has created it.',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'catalyst:pdm:commit',
          name: 'Commit the domain',
          input: {
            fqdn: EXAMPLE_FQDN,
            domain: exampleDomain,
            reservationToken: '8d3c1f7e-0d59-4a0e-9f61-2a4f7c5b9e10',
            loadBalancerIp: '203.0.113.10',
          },
        },
      ],
    }),
  },
];
