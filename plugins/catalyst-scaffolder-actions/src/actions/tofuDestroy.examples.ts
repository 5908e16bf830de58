import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleSovereignInput } from '../tofu/exampleSovereignInput';

export const examples: TemplateExample[] = [
  {
    description:
      'Destroy every resource of a Sovereign (its own template, never a failure side effect). The Hetzner token comes from the task secrets (hetznerToken).',
    example: yaml.stringify({
      steps: [
        {
          id: 'tofu-destroy',
          action: 'catalyst:tofu:destroy',
          name: 'OpenTofu destroy',
          input: exampleSovereignInput,
        },
      ],
    }),
  },
];
