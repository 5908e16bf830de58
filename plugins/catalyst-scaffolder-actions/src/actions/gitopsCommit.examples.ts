import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { EXAMPLE_FQDN } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit the overlay rendered by catalyst:overlay:render to the configured GitOps branch.',
    example: yaml.stringify({
      steps: [
        {
          id: 'gitops',
          action: 'catalyst:gitops:commit',
          name: 'Commit the overlay',
          input: { fqdn: EXAMPLE_FQDN },
        },
      ],
    }),
  },
  {
    description: 'Remove the overlay of a decommissioned Sovereign.',
    example: yaml.stringify({
      steps: [
        {
          id: 'gitops-remove',
          action: 'catalyst:gitops:commit',
          name: 'Remove the overlay',
          input: { fqdn: EXAMPLE_FQDN, mode: 'remove' },
        },
      ],
    }),
  },
];
