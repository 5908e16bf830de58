import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { cnpg, grafana, keycloak, sovereign } from '../__fixtures__/entities';
import { BlueprintOverviewCard } from './BlueprintOverviewCard';
import { BlueprintRelationsCard } from './BlueprintRelationsCard';
import { BlueprintSovereignsCard } from './BlueprintSovereignsCard';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

function render(element: JSX.Element, entity: Entity, entities: Entity[] = []) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [[catalogApiRef, catalogApiMock({ entities })]],
      mountedRoutes,
    },
  );
}

// The catalog adds the reverse relations; the fixtures model what it would have stored.
const keycloakInCatalog: Entity = {
  ...keycloak,
  relations: [
    ...(keycloak.relations ?? []),
    { type: 'dependencyOf', targetRef: 'blueprint:default/bp-grafana' },
    { type: 'dependencyOf', targetRef: 'blueprint:default/bp-gitea' },
    { type: 'dependencyOf', targetRef: 'sovereign:default/acme-omani-works' },
  ],
};

// Cards render through the whole test app; on a busy machine that takes seconds.
jest.setTimeout(30_000);

describe('BlueprintOverviewCard', () => {
  it('shows the family, chart, OCI reference and upstream', async () => {
    await render(<BlueprintOverviewCard />, grafana);
    expect(
      screen.getByRole('link', { name: /family-insights/ }),
    ).toHaveAttribute('href', '/catalog/default/system/family-insights');
    expect(
      screen.getByText('oci://ghcr.io/openova-io/bp-grafana:2.1.0'),
    ).toBeInTheDocument();
    expect(screen.getByText('grafana@9.9.9')).toBeInTheDocument();
    expect(screen.getByText('recommended')).toBeInTheDocument();
  });

  it('prefers the provider OCI reference and the metadata description', async () => {
    await render(<BlueprintOverviewCard />, {
      ...cnpg,
      metadata: { ...cnpg.metadata, description: 'PostgreSQL operator' },
      spec: {
        ...cnpg.spec,
        ociReference: 'oci://ghcr.io/openova-io/bp-cnpg:1.0.0@sha256:abc',
      },
    });
    expect(screen.getByText('PostgreSQL operator')).toBeInTheDocument();
    expect(
      screen.getByText('oci://ghcr.io/openova-io/bp-cnpg:1.0.0@sha256:abc'),
    ).toBeInTheDocument();
  });
});

describe('BlueprintRelationsCard', () => {
  it('links what the Blueprint depends on and which Blueprints need it', async () => {
    await render(<BlueprintRelationsCard />, keycloakInCatalog);
    const dependsOn = screen.getByRole('list', { name: 'Depends on' });
    expect(
      within(dependsOn).getByRole('link', { name: /bp-cnpg/ }),
    ).toHaveAttribute('href', '/catalog/default/blueprint/bp-cnpg');
    const neededBy = screen.getByRole('list', { name: 'Needed by' });
    expect(
      within(neededBy)
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual([
      '/catalog/default/blueprint/bp-gitea',
      '/catalog/default/blueprint/bp-grafana',
    ]);
    // The Sovereign that runs it is not a Blueprint dependency.
    expect(
      within(neededBy).queryByText(/acme-omani-works/),
    ).not.toBeInTheDocument();
  });

  it('says when there is nothing on either side', async () => {
    await render(<BlueprintRelationsCard />, { ...cnpg, relations: [] });
    expect(
      screen.getByText('This Blueprint needs no other Blueprint.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No other Blueprint depends on this one.'),
    ).toBeInTheDocument();
  });
});

describe('BlueprintSovereignsCard', () => {
  const pending: Entity = {
    ...sovereign,
    metadata: { ...sovereign.metadata, name: 'beta-omani-works' },
    // Relations not processed yet: only the resolved list names the Blueprint.
    relations: [],
    spec: {
      ...sovereign.spec,
      fqdn: 'beta.omani.works',
      phase: 'provisioning',
      blueprints: ['bp-keycloak@1.1.0'],
    },
  };
  const unrelated: Entity = {
    ...sovereign,
    metadata: { ...sovereign.metadata, name: 'gamma-omani-works' },
    relations: [],
    spec: {
      ...sovereign.spec,
      fqdn: 'gamma.omani.works',
      blueprints: ['bp-cnpg@1.0.0'],
    },
  };

  it('lists every Sovereign that runs the Blueprint, with the version it runs', async () => {
    await render(<BlueprintSovereignsCard />, keycloakInCatalog, [
      keycloakInCatalog,
      sovereign,
      pending,
      unrelated,
    ]);
    expect(
      await screen.findByText('acme.omani.works', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('beta.omani.works')).toBeInTheDocument();
    expect(screen.queryByText('gamma.omani.works')).not.toBeInTheDocument();
    expect(screen.getByText('1.1.0')).toBeInTheDocument();
    expect(screen.getByText('provisioning')).toBeInTheDocument();
  });

  it('says so when no Sovereign runs it', async () => {
    await render(<BlueprintSovereignsCard />, grafana, [grafana, unrelated]);
    expect(
      await screen.findByText(
        'No Sovereign runs this Blueprint yet.',
        {},
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
  });
});
