import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  EXAMPLE_ENTITY_NAME,
  EXAMPLE_FQDN,
  exampleDomain,
} from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Reserve the pool subdomain of the validated request; the reservation is renewed while the task runs and released if it fails.',
    example: yaml.stringify({
      steps: [
        {
          id: 'reserve',
          action: 'catalyst:pdm:reserve',
          name: 'Reserve the domain',
          input: {
            fqdn: EXAMPLE_FQDN,
            entityName: EXAMPLE_ENTITY_NAME,
            domain: exampleDomain,
          },
        },
      ],
    }),
  },
  {
    description: 'Create the PowerDNS zone of a bring-your-own domain.',
    example: yaml.stringify({
      steps: [
        {
          id: 'reserve',
          action: 'catalyst:pdm:reserve',
          name: 'Create the BYO zone',
          input: {
            fqdn: 'omantel.om',
            entityName: 'omantel-om',
            domain: { mode: 'byo-manual', byoDomain: 'omantel.om' },
          },
        },
      ],
    }),
  },
];
