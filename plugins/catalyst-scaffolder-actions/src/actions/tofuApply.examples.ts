import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { exampleSovereignInput } from '../tofu/exampleSovereignInput';

export const examples: TemplateExample[] = [
  {
    description:
      "Provision the Sovereign's machines, network and load balancer and return their addresses. The Hetzner token comes from the task secrets (hetznerToken).",
    example: yaml.stringify({
      steps: [
        {
          id: 'tofu-apply',
          action: 'catalyst:tofu:apply',
          name: 'OpenTofu apply',
          input: exampleSovereignInput,
        },
      ],
    }),
  },
];
