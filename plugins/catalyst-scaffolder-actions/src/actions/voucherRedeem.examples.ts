import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** A template with the one redeem step, taking `input`. */
const redeemStep = (input: Record<string, string>) =>
  yaml.stringify({
    steps: [
      {
        id: 'redeem',
        action: 'catalyst:voucher:redeem',
        name: 'Redeem the voucher',
        input: { code: '${{ parameters.code }}', ...input },
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'Redeem the code typed on the first page, create the Organization and commit its first App (Grafana).',
    example: redeemStep({
      sovereign: 'sovereign:default/omantel-omani-works',
      organizationName: 'Muscat Bakery',
      organizationSlug: 'muscat-bakery',
      firstApp: 'blueprint:default/bp-grafana',
    }),
  },
  {
    description:
      'Redeem a voucher for an Organization without a first App: only its namespace is committed.',
    example: redeemStep({
      sovereign: 'omantel-omani-works',
      organizationName: 'Sohar Logistics',
      organizationSlug: 'sohar-logistics',
    }),
  },
];
