import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { EXAMPLE_ENTITY_NAME, exampleDomain } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description: 'Release the pool allocation of a request.',
    example: yaml.stringify({
      steps: [
        {
          id: 'release',
          action: 'catalyst:pdm:release',
          name: 'Release the domain',
          input: { domain: exampleDomain },
        },
      ],
    }),
  },
  {
    description:
      'Release the domain of a registered Sovereign (decommission): the domain is read from the registry.',
    example: yaml.stringify({
      steps: [
        {
          id: 'release',
          action: 'catalyst:pdm:release',
          name: 'Release the domain',
          input: { entityName: EXAMPLE_ENTITY_NAME },
        },
      ],
    }),
  },
];
