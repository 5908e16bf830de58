import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
  secretsProbe,
} from '../__testUtils__/renderField';
import { consumeTopologyChange } from '../topologyChange';
import { TopologyPicker } from './TopologyPicker';
import { topologyPickerValidation } from './validation';

describe('TopologyPicker', () => {
  it('shows a card for all six topologies, including triangle, with their region counts', async () => {
    await renderField(
      <StatefulField component={TopologyPicker} />,
      mockCatalystApi(),
    );
    for (const name of [
      'CITADEL',
      'TRIANGLE',
      'DUAL',
      'ZONED',
      'COMPACT',
      'SOLO',
    ]) {
      expect(screen.getByRole('radio', { name })).toBeInTheDocument();
    }
    // Cluster counts come from the regions each topology provisions (one k3s cluster per region).
    expect(screen.getByRole('radio', { name: 'TRIANGLE' })).toHaveTextContent(
      '3 regions · 3 clusters (one per region)',
    );
    expect(screen.getByRole('radio', { name: 'DUAL' })).toHaveTextContent(
      '2 regions · 2 clusters (one per region)',
    );
    expect(screen.getByRole('radio', { name: 'SOLO' })).toHaveTextContent(
      '1 region · 1 cluster',
    );
    expect(screen.queryByText(/vClusters|1 clusters/)).toBeNull();
    // Nothing is refused before the user tried to go on.
    expect(screen.queryByText('Choose a topology')).toBeNull();
  });

  it('stores template, HA and air-gap, and clears provider tokens when the topology changes', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={TopologyPicker}
        initial={{ template: 'zoned', airgap: false, haEnabled: false }}
        onValue={onValue}
      />,
      mockCatalystApi(),
      { hetznerToken: 'x'.repeat(64) },
    );
    consumeTopologyChange();
    await userEvent.click(screen.getByRole('radio', { name: 'TRIANGLE' }));
    expect(onValue).toHaveBeenLastCalledWith({
      template: 'triangle',
      airgap: false,
      haEnabled: false,
    });
    expect(consumeTopologyChange()).toBe(true);
    expect(secretsProbe.current.hetznerToken).toBe('');

    await userEvent.click(
      screen.getByRole('checkbox', { name: /High availability/ }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: /AIR-GAP/ }));
    expect(onValue).toHaveBeenLastCalledWith({
      template: 'triangle',
      airgap: true,
      haEnabled: true,
    });
    // HA and air-gap keep the region cards; only a new template re-seeds them.
    expect(consumeTopologyChange()).toBe(false);
  });

  it('validator blocks Next without a known topology', async () => {
    expect(
      await runValidator(topologyPickerValidation, undefined as any),
    ).toEqual(['Choose a topology']);
    expect(
      await runValidator(topologyPickerValidation, {
        template: 'hexagon',
        airgap: false,
        haEnabled: false,
      }),
    ).toEqual(['Unknown topology "hexagon"']);
    expect(
      await runValidator(topologyPickerValidation, {
        template: 'solo',
        airgap: false,
        haEnabled: false,
      }),
    ).toEqual([]);
  });
});
