import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Wait until the Sovereign's platform is ready (the backend watcher decides ready, degraded or failed).",
    example: yaml.stringify({
      steps: [
        {
          id: 'await-ready',
          action: 'catalyst:sovereign:await-ready',
          name: 'Wait for the platform',
          input: { entityName: 'omantel-omani-works' },
        },
      ],
    }),
  },
];
