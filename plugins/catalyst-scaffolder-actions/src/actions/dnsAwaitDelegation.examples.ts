import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record that a byo-manual domain waits for the customer to delegate it to the Catalyst nameservers.',
    example: yaml.stringify({
      steps: [
        {
          id: 'await-delegation',
          action: 'catalyst:dns:await-delegation',
          name: 'Wait for the NS delegation',
          input: {
            entityName: 'omantel-om',
            fqdn: 'omantel.om',
            nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
          },
        },
      ],
    }),
  },
];
