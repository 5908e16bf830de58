import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Mark a Sovereign as being decommissioned.',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommissioning',
          action: 'catalyst:sovereign:phase',
          name: 'Decommissioning',
          input: {
            sovereign: 'sovereign:default/omantel-omani-works',
            phase: 'decommissioning',
            message: 'Decommission requested',
          },
        },
      ],
    }),
  },
];
