import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Redeem the code typed on the first page, create the Organization and commit its first App (Grafana).',
    example: yaml.stringify({
      steps: [
        {
          id: 'redeem',
          action: 'catalyst:voucher:redeem',
          name: 'Redeem the voucher',
          input: {
            code: '${{ parameters.code }}',
            sovereign: 'sovereign:default/omantel-omani-works',
            organizationName: 'Muscat Bakery',
            organizationSlug: 'muscat-bakery',
            firstApp: 'blueprint:default/bp-grafana',
          },
        },
      ],
    }),
  },
  {
    description:
      'Redeem a voucher for an Organization without a first App: only its namespace is committed.',
    example: yaml.stringify({
      steps: [
        {
          id: 'redeem',
          action: 'catalyst:voucher:redeem',
          name: 'Redeem the voucher',
          input: {
            code: '${{ parameters.code }}',
            sovereign: 'omantel-omani-works',
            organizationName: 'Sohar Logistics',
            organizationSlug: 'sohar-logistics',
          },
        },
      ],
    }),
  },
];
