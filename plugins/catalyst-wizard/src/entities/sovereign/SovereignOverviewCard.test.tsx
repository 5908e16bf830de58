import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { sovereign } from '../__fixtures__/entities';
import { nodeSizeCatalog, registryApis } from '../__fixtures__/apis';
import { SovereignOverviewCard, consoleUrlOf } from './SovereignOverviewCard';
import { SovereignDnsRecordsCard } from './SovereignDnsRecordsCard';
import { SovereignGitOpsCard } from './SovereignGitOpsCard';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

function render(
  element: JSX.Element,
  entity: Entity,
  nodeSizes: unknown = nodeSizeCatalog(),
) {
  const { apis } = registryApis({
    '/v1/catalog-data': {
      status: 200,
      body: { nodeSizes, components: {}, bootstrapKit: {} },
    },
  });
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis,
      mountedRoutes,
    },
  );
}

// Cards render through the whole test app; on a busy machine that takes seconds.
jest.setTimeout(30_000);

describe('SovereignOverviewCard', () => {
  it('shows the console link, phase, owner, regions with node sizes and the monthly cost', async () => {
    await render(<SovereignOverviewCard />, sovereign);

    expect(
      screen.getByRole('link', {
        name: /^https:\/\/console\.acme\.omani\.works/,
      }),
    ).toHaveAttribute('href', 'https://console.acme.omani.works');
    expect(screen.getByText('ready')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /acme-platform/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/acme-platform',
    );

    const regions = screen.getByRole('table', { name: 'Regions' });
    expect(within(regions).getByText('fsn1')).toBeInTheDocument();
    expect(
      await within(regions).findByText(
        'cpx32 (4 vCPU, 8 GB)',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      within(regions).getByText('2 × cx33 (4 vCPU, 8 GB)'),
    ).toBeInTheDocument();

    // cpx32 0.0232 €/h + 2 × cx33 0.0104 €/h = 0.044 €/h; × 730 h = 32.12 €/month.
    const cost = await screen.findByTestId(
      'sovereign-monthly-cost',
      {},
      { timeout: 15_000 },
    );
    expect(cost.textContent).toMatch(/32\.12/);
    expect(cost.textContent).toMatch(/€/);
    expect(within(regions).getByText(/0\.04.*\/hr/)).toBeInTheDocument();
    expect(screen.getByText(/opentofu/)).toBeInTheDocument();
  });

  it('triples the control plane when HA is on', async () => {
    const ha: Entity = {
      ...sovereign,
      spec: {
        ...sovereign.spec,
        topology: { ...(sovereign.spec as any).topology, haEnabled: true },
      },
    };
    await render(<SovereignOverviewCard />, ha);
    // 3 × 0.0232 + 2 × 0.0104 = 0.0904 €/h; × 730 = 65.99 €/month.
    const cost = await screen.findByTestId(
      'sovereign-monthly-cost',
      {},
      { timeout: 15_000 },
    );
    expect(cost.textContent).toMatch(/65\.99/);
  });

  it('names a size the catalog cannot price instead of guessing', async () => {
    const retired: Entity = {
      ...sovereign,
      spec: {
        ...sovereign.spec,
        topology: {
          ...(sovereign.spec as any).topology,
          regions: [
            {
              provider: 'hetzner',
              cloudRegion: 'nbg1',
              controlPlaneSize: 'cx11',
              workerSize: '',
              workerCount: 0,
            },
          ],
        },
      },
    };
    await render(<SovereignOverviewCard />, retired);
    expect(
      await screen.findByText(
        /no price for hetzner\/cx11/,
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });

  it('derives the console URL from the FQDN when none was recorded', () => {
    expect(consoleUrlOf({ fqdn: 'a.example.org' })).toBe(
      'https://console.a.example.org',
    );
    expect(
      consoleUrlOf({
        fqdn: 'a.example.org',
        // eslint-disable-next-line no-script-url
        endpoints: { consoleUrl: 'javascript:alert(1)' },
      }),
    ).toBe('https://console.a.example.org');
  });
});

describe('SovereignDnsRecordsCard', () => {
  it('lists the published records', async () => {
    await render(<SovereignDnsRecordsCard />, sovereign);
    expect(screen.getByText('console.acme.omani.works')).toBeInTheDocument();
    expect(screen.getAllByText('203.0.113.20')).toHaveLength(2);
  });

  it('says so when nothing is published', async () => {
    await render(<SovereignDnsRecordsCard />, {
      ...sovereign,
      spec: { ...sovereign.spec, dnsRecords: [] },
    });
    expect(
      screen.getByText(/No DNS records have been published/),
    ).toBeInTheDocument();
  });
});

describe('SovereignGitOpsCard', () => {
  it('links the overlay folder and the commit on the Sovereign Gitea', async () => {
    await render(<SovereignGitOpsCard />, sovereign);
    expect(
      screen.getByRole('link', { name: /^clusters\/acme\.omani\.works/ }),
    ).toHaveAttribute(
      'href',
      'https://gitea.acme.omani.works/catalyst/gitops/src/branch/main/clusters/acme.omani.works',
    );
    expect(screen.getByRole('link', { name: /^3f9c2a1b7d4e/ })).toHaveAttribute(
      'href',
      'https://gitea.acme.omani.works/catalyst/gitops/commit/3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345',
    );
  });
});
