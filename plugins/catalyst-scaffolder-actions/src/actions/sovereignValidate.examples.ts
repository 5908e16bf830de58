import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleParameters } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Re-validate the wizard parameters on the server. Tokens come from the task secrets (hetznerToken, registrarToken), never from the parameters.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'catalyst:sovereign:validate',
          name: 'Validate the request',
          input: { parameters: exampleParameters },
        },
      ],
    }),
  },
];
