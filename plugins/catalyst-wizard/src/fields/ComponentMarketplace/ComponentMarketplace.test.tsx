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
    expect(seeded).toHaveLength(32);
    // Nothing without a published Blueprint is pre-selected, not even a mandatory component.
    for (const id of ['opentofu', 'axon', 'ferretdb', 'opensearch']) {
      expect(seeded).not.toContain(id);
    }
    expect(await screen.findByText('Selected (32) of 63')).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Choose your stack (13)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Always included (19)' }),
    ).toBeInTheDocument();
  });

  it('says the CORTEX suite rule before it applies, and names the real reason on each added card', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ComponentMarketplace}
        initial={defaultSelection(catalogData.components)}
        onValue={onValue}
      />,
      mockCatalystApi(),
    );
    expect(await screen.findByTestId('suite-note-vllm')).toHaveTextContent(
      /^Brings the CORTEX suite: 4 components, \+€0\.00\/monthAdds Knative, BGE, LangFuse with vLLM\. Not installable yet, so left out: .*LibreChat\. The estimate prices machines; the suite runs on the control planes sized on the Provider page\.$/,
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Add vLLM' }));
    const selection = onValue.mock.calls.at(-1)![0] as string[];
    for (const id of ['vllm', 'knative', 'bge', 'langfuse']) {
      expect(selection).toContain(id);
    }
    for (const id of ['librechat', 'ferretdb', 'axon', 'neo4j', 'milvus']) {
      expect(selection).not.toContain(id);
    }
    expect(screen.getByRole('status')).toHaveTextContent(
      /^Added vLLM; also added .* \(the CORTEX suite\)\. Left out, not installable yet: .*LibreChat/,
    );
    const bgeCard = screen.getByTestId('component-card-bge');
    expect(within(bgeCard).getByText('CORTEX suite')).toBeInTheDocument();
    expect(within(bgeCard).getByRole('link', { name: 'BGE' })).toHaveAttribute(
      'href',
      '/catalog/default/blueprint/bp-bge',
    );
  });

  it('shows what is not installable, never selectable, and names the missing dependency', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ComponentMarketplace}
        initial={defaultSelection(catalogData.components)}
        onValue={onValue}
      />,
      mockCatalystApi(),
    );
    const librechat = await screen.findByTestId('component-card-librechat');
    expect(
      within(librechat).getByTestId('not-installable-librechat'),
    ).toHaveTextContent(
      'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    );
    expect(
      within(librechat).getByRole('checkbox', { name: 'Add LibreChat' }),
    ).toBeDisabled();
    const opentofu = screen.getByTestId('component-card-opentofu');
    expect(
      within(opentofu).getByText('Not installable yet'),
    ).toBeInTheDocument();
    expect(onValue).not.toHaveBeenCalledWith(
      expect.arrayContaining(['librechat']),
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
    expect(errors[0]).toBe(
      'LibreChat needs FerretDB, which is not installable yet (no published Blueprint)',
    );
    expect(
      await runValidator(componentMarketplaceValidation, ['nope']),
    ).toEqual(['Unknown component: "nope"']);
  });
});
