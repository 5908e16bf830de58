import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Issue one single-use voucher worth 100 OMR and show its code in the output text.',
    example: yaml.stringify({
      steps: [
        {
          id: 'issue',
          action: 'catalyst:voucher:issue',
          name: 'Issue the voucher',
          input: {
            sovereign: 'sovereign:default/omantel-omani-works',
            credit: { amount: 100, currency: 'OMR' },
            count: 1,
            maxRedemptions: 1,
          },
        },
      ],
      output: {
        text: [
          {
            title: 'Voucher code (shown once)',
            content: '${{ steps.issue.output.codesMarkdown }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Issue a batch of 50 launch vouchers of 25 OMR that expire at the end of 2030.',
    example: yaml.stringify({
      steps: [
        {
          id: 'issue',
          action: 'catalyst:voucher:issue',
          name: 'Issue the launch vouchers',
          input: {
            sovereign: 'omantel-omani-works',
            credit: { amount: 25, currency: 'OMR' },
            count: 50,
            maxRedemptions: 1,
            expiresAt: '2030-12-31',
            description: 'Launch campaign',
          },
        },
      ],
    }),
  },
];
