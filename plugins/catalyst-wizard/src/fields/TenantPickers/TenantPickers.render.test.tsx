import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { StatefulField } from '../__testUtils__/renderField';
import { FirstAppPicker } from './FirstAppPicker';
import { TenantSovereignPicker } from './TenantSovereignPicker';

const sovereign = (
  name: string,
  spec: { fqdn: string; phase: string; blueprints?: string[] },
): Entity => ({
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Sovereign',
  metadata: { name, namespace: 'default' },
  spec,
});

const blueprint = (
  name: string,
  title: string,
  spec: { installable: boolean; alwaysIncluded: boolean },
): Entity => ({
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Blueprint',
  metadata: { name, namespace: 'default', title },
  spec,
});

const entities = [
  sovereign('omantel-omani-works', {
    fqdn: 'omantel.omani.works',
    phase: 'ready',
    blueprints: ['bp-grafana@1.0.0', 'bp-cilium@1.0.0'],
  }),
  sovereign('late-omani-works', {
    fqdn: 'late.omani.works',
    phase: 'provisioning',
  }),
  blueprint('bp-grafana', 'Grafana', {
    installable: true,
    alwaysIncluded: false,
  }),
  blueprint('bp-cilium', 'Cilium', { installable: true, alwaysIncluded: true }),
  blueprint('bp-harbor', 'Harbor', {
    installable: true,
    alwaysIncluded: false,
  }),
];

const render = (element: JSX.Element) =>
  renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      {element}
    </TestApiProvider>,
  );

describe('TenantSovereignPicker', () => {
  it('offers the ready Sovereigns by FQDN and keeps the entity ref', async () => {
    const onValue = jest.fn();
    await render(
      <StatefulField
        component={TenantSovereignPicker}
        onValue={onValue}
        extra={{ schema: { title: 'Sovereign' } }}
      />,
    );
    const select = await screen.findByLabelText(/Sovereign/);
    await waitFor(() =>
      expect(
        screen.getByRole('option', { name: 'omantel.omani.works' }),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('option', { name: 'late.omani.works' }),
    ).not.toBeInTheDocument();
    await userEvent.selectOptions(
      select,
      'sovereign:default/omantel-omani-works',
    );
    expect(onValue).toHaveBeenLastCalledWith({
      ref: 'sovereign:default/omantel-omani-works',
      fqdn: 'omantel.omani.works',
    });
  });
});

describe('FirstAppPicker', () => {
  it('offers the Apps the chosen Sovereign runs that a tenant installs', async () => {
    const onValue = jest.fn();
    await render(
      <StatefulField
        component={FirstAppPicker}
        onValue={onValue}
        formData={{ sovereign: 'sovereign:default/omantel-omani-works' }}
        extra={{ schema: { title: 'First App' } }}
      />,
    );
    await waitFor(() =>
      expect(
        screen.getByRole('option', { name: 'Grafana' }),
      ).toBeInTheDocument(),
    );
    // Cilium is part of every Sovereign; Harbor is not run by this one.
    expect(
      screen.queryByRole('option', { name: 'Cilium' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('option', { name: 'Harbor' }),
    ).not.toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByLabelText(/First App/),
      'blueprint:default/bp-grafana',
    );
    expect(onValue).toHaveBeenLastCalledWith({
      ref: 'blueprint:default/bp-grafana',
      title: 'Grafana',
    });
  });

  it('asks for the Sovereign first', async () => {
    await render(<StatefulField component={FirstAppPicker} />);
    expect(screen.getByText(/Choose the Sovereign first/)).toBeInTheDocument();
  });
});
