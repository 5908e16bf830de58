import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Delegate a bring-your-own domain to the Catalyst nameservers. The token is the Secret field registrarToken.',
    example: yaml.stringify({
      steps: [
        {
          id: 'set-ns',
          action: 'catalyst:registrar:set-ns',
          name: 'Set the nameservers at the registrar',
          input: {
            domain: 'omantel.om',
            registrar: 'cloudflare',
            nameservers: ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io'],
          },
        },
      ],
    }),
  },
];
