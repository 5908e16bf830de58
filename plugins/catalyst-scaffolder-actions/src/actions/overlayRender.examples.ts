import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { EXAMPLE_FQDN, exampleReleases } from './exampleSovereign';

export const examples: TemplateExample[] = [
  {
    description:
      'Render the overlay of the resolved releases (here cilium, gitea and what they depend on).',
    example: yaml.stringify({
      steps: [
        {
          id: 'overlay',
          action: 'catalyst:overlay:render',
          name: 'Render the Flux overlay',
          input: { fqdn: EXAMPLE_FQDN, releases: exampleReleases },
        },
      ],
    }),
  },
];
