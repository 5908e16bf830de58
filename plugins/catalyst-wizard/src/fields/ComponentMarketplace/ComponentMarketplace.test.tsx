import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { defaultSelection } from '@catalyst/plugin-catalyst-common';
import {
  StatefulField,
  catalogData,
  mockCatalystApi,
  renderField,
  runValidator,
} from '../__testUtils__/renderField';
import { ComponentMarketplace } from './ComponentMarketplace';
import { componentMarketplaceValidation } from './validation';

describe('ComponentMarketplace', () => {
  it('seeds the default selection and shows the counters and tabs', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField component={ComponentMarketplace} onValue={onValue} />,
      mockCatalystApi(),
    );
    await waitFor(() => expect(onValue).toHaveBeenCalled());
    const seeded = onValue.mock.calls[0][0] as string[];
    expect(seeded).toEqual(defaultSelection(catalogData.components));
    expect(seeded).toHaveLength(44);
    expect(await screen.findByText('Selected (44) of 63')).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Choose your stack (20)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Always included (24)' }),
    ).toBeInTheDocument();
  });

  it('adds dependencies visibly and links cards to the Blueprint page', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ComponentMarketplace}
        initial={defaultSelection(catalogData.components)}
        onValue={onValue}
      />,
      mockCatalystApi(),
    );
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Add Specter' }),
    );
    const selection = onValue.mock.calls.at(-1)![0] as string[];
    for (const id of [
      'kserve',
      'knative',
      'axon',
      'neo4j',
      'vllm',
      'milvus',
      'bge',
      'langfuse',
      'librechat',
      'ferretdb',
    ]) {
      expect(selection).toContain(id);
    }
    expect(screen.getByRole('status')).toHaveTextContent(
      /Added Specter; also added .* and \d+ more/,
    );
    const bgeCard = screen.getByTestId('component-card-bge');
    expect(within(bgeCard).getByText('added for Specter')).toBeInTheDocument();
    expect(within(bgeCard).getByRole('link', { name: 'BGE' })).toHaveAttribute(
      'href',
      '/catalog/default/blueprint/bp-bge',
    );
  });

  it('refuses to remove a component another selected component needs, with the reason', async () => {
    const onValue = jest.fn();
    const api = mockCatalystApi();
    await renderField(
      <StatefulField
        component={ComponentMarketplace}
        initial={defaultSelection(catalogData.components)}
        onValue={onValue}
      />,
      api,
    );
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Add LibreChat' }),
    );
    onValue.mockClear();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Remove FerretDB' }),
    );
    expect(onValue).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'FerretDB is needed by LibreChat',
    );
  });

  it('filters by search text and family chip, and resets to defaults', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ComponentMarketplace}
        initial={defaultSelection(catalogData.components)}
        onValue={onValue}
      />,
      mockCatalystApi(),
    );
    await userEvent.type(
      await screen.findByLabelText('Search components'),
      'clickhouse',
    );
    expect(screen.getByTestId('component-card-clickhouse')).toBeInTheDocument();
    expect(
      screen.queryByTestId('component-card-grafana'),
    ).not.toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Search components'));
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Family filter' })).getByRole(
        'button',
        { name: 'RELAY' },
      ),
    );
    expect(screen.getByTestId('component-card-matrix')).toBeInTheDocument();
    expect(
      screen.queryByTestId('component-card-grafana'),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Add all RELAY' }),
    );
    expect(onValue.mock.calls.at(-1)![0]).toContain('matrix');
    await userEvent.click(
      screen.getByRole('button', { name: 'Reset to defaults' }),
    );
    expect(onValue.mock.calls.at(-1)![0]).toEqual(
      defaultSelection(catalogData.components),
    );
  });

  it('validator rejects a selection without the always-included components or dependencies', async () => {
    expect(
      await runValidator(
        componentMarketplaceValidation,
        defaultSelection(catalogData.components),
      ),
    ).toEqual([]);
    const withoutFlux = defaultSelection(catalogData.components).filter(
      id => id !== 'flux',
    );
    expect(
      await runValidator(componentMarketplaceValidation, withoutFlux),
    ).toEqual(['Always-included components missing: flux']);
    const librechatOnly = [
      ...defaultSelection(catalogData.components),
      'librechat',
    ];
    const errors = await runValidator(
      componentMarketplaceValidation,
      librechatOnly,
    );
    expect(errors[0]).toMatch(/^Missing dependencies: .*ferretdb/);
    expect(
      await runValidator(componentMarketplaceValidation, ['nope']),
    ).toEqual(['Unknown component: "nope"']);
  });
});
