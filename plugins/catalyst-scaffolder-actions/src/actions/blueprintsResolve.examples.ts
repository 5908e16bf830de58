import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { EXAMPLE_ENTITY_NAME, exampleParameters } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Resolve the default component selection into Blueprint releases and record the additions on the Sovereign.',
    example: yaml.stringify({
      steps: [
        {
          id: 'blueprints',
          action: 'catalyst:blueprints:resolve',
          name: 'Resolve Blueprints',
          input: {
            components: exampleParameters.components,
            entityName: EXAMPLE_ENTITY_NAME,
          },
        },
      ],
    }),
  },
];
