import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleSovereignInput } from '../tofu/exampleSovereignInput';

export const examples: TemplateExample[] = [
  {
    description:
      'Preview what provisioning the Sovereign would create. The Hetzner token comes from the task secrets (hetznerToken).',
    example: yaml.stringify({
      steps: [
        {
          id: 'tofu-plan',
          action: 'catalyst:tofu:plan',
          name: 'OpenTofu plan',
          input: exampleSovereignInput,
        },
      ],
    }),
  },
];
