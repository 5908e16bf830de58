import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  catalogData,
  mockCatalystApi,
  renderField,
  runValidator,
} from '../__testUtils__/renderField';
import { markTopologyChanged } from '../topologyChange';
import type { RegionValue } from '../wizardForm';
import { RegionSizing } from './RegionSizing';
import { regionSizingValidation } from './validation';

const hetzner = (cloudRegion: string, airgap = false): RegionValue => ({
  provider: 'hetzner',
  cloudRegion,
  controlPlaneSize: 'cpx32',
  workerSize: 'cpx32',
  workerCount: 0,
  airgap,
});

describe('RegionSizing', () => {
  it('seeds one card per region from the HQ hint, with the AIR-GAP card last', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={RegionSizing}
        onValue={onValue}
        formData={{
          orgHeadquarters: 'Paris, France',
          topology: { template: 'triangle', airgap: true, haEnabled: false },
        }}
      />,
      mockCatalystApi(),
    );
    await waitFor(() => expect(onValue).toHaveBeenCalled());
    const regions = onValue.mock.calls[0][0] as RegionValue[];
    expect(
      regions.map(r => [
        r.provider,
        r.cloudRegion,
        r.controlPlaneSize,
        r.airgap,
      ]),
    ).toEqual([
      ['huawei', 'eu-west-204', 'c7n.xlarge.2', false],
      ['huawei', 'eu-west-101', 'c7n.xlarge.2', false],
      ['huawei', 'ap-southeast-1', 'c7n.xlarge.2', false],
      ['huawei', 'eu-west-204', 'c7n.xlarge.2', true],
    ]);
    expect(
      await screen.findByRole('group', { name: /AIR-GAP/ }),
    ).toBeInTheDocument();
  });

  it('refuses a worker count outside 0–50 with the range instead of clamping it, shows the worker size only above 0 and updates the cost', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={RegionSizing}
        initial={[hetzner('fsn1')]}
        onValue={onValue}
        formData={{
          topology: { template: 'solo', airgap: false, haEnabled: false },
        }}
      />,
      mockCatalystApi(),
    );
    const card = await screen.findByRole('group', {
      name: 'Region 1 — All Components',
    });
    expect(
      within(card).queryByLabelText('Worker size'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('cost-total')).toHaveTextContent(
      '€0.02/hr · €16.94/mo',
    );
    const workers = within(card).getByLabelText('Worker nodes');
    fireEvent.change(workers, { target: { value: '75' } });
    expect(onValue.mock.calls.at(-1)![0][0].workerCount).toBe(75);
    expect(
      within(card).getByText(
        '75 worker nodes is above the maximum of 50; worker nodes go from 0 to 50',
      ),
    ).toBeInTheDocument();
    fireEvent.change(workers, { target: { value: '-3' } });
    expect(workers).toHaveValue(-3);
    expect(onValue.mock.calls.at(-1)![0][0].workerCount).toBe(-3);
    expect(
      within(card).getByText(
        '-3 worker nodes is below the minimum of 0; worker nodes go from 0 to 50',
      ),
    ).toBeInTheDocument();
    fireEvent.change(workers, { target: { value: '2.7' } });
    expect(
      within(card).getByText(
        '2.7 is not a whole number; worker nodes go from 0 to 50',
      ),
    ).toBeInTheDocument();
    // No min/max on the input: the browser adds no pop-up of its own.
    expect(workers).not.toHaveAttribute('min');
    expect(workers).not.toHaveAttribute('max');
    fireEvent.change(workers, { target: { value: '2' } });
    expect(onValue.mock.calls.at(-1)![0][0].workerCount).toBe(2);
    expect(within(card).queryByText(/worker nodes go from/)).toBeNull();
    expect(within(card).getByLabelText('Worker size')).toBeInTheDocument();
    // cpx32 is 0.0232 €/hr: 3 nodes = 0.0696 €/hr, ×730 = 50.81 €/mo
    expect(screen.getByTestId('cost-total')).toHaveTextContent(
      '€0.07/hr · €50.81/mo',
    );
  });

  it('re-seeds a card when its provider changes', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={RegionSizing}
        initial={[hetzner('fsn1')]}
        onValue={onValue}
        formData={{
          topology: { template: 'solo', airgap: false, haEnabled: false },
        }}
      />,
      mockCatalystApi(),
    );
    const card = await screen.findByRole('group', {
      name: 'Region 1 — All Components',
    });
    await userEvent.click(within(card).getByLabelText('Provider'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Amazon Web Services' }),
    );
    const region = onValue.mock.calls.at(-1)![0][0] as RegionValue;
    expect(region).toEqual({
      provider: 'aws',
      cloudRegion: catalogData.nodeSizes.providers.aws.regions[0].id,
      controlPlaneSize: 'm6i.xlarge',
      workerSize: 'm6i.xlarge',
      workerCount: 0,
      airgap: false,
    });
  });

  it('starts over after a topology change', async () => {
    const onValue = jest.fn();
    markTopologyChanged();
    await renderField(
      <StatefulField
        component={RegionSizing}
        initial={[{ ...hetzner('hel1'), workerCount: 4 }, hetzner('ash')]}
        onValue={onValue}
        formData={{
          topology: { template: 'dual', airgap: false, haEnabled: false },
        }}
      />,
      mockCatalystApi(),
    );
    await waitFor(() => expect(onValue).toHaveBeenCalled());
    expect(onValue.mock.calls[0][0]).toEqual([
      hetzner('fsn1'),
      hetzner('nbg1'),
    ]);
  });

  it('validator names the card and the problem', async () => {
    const formData = {
      topology: { template: 'dual', airgap: false, haEnabled: false },
    };
    expect(
      await runValidator(
        regionSizingValidation,
        [hetzner('fsn1'), hetzner('nbg1')],
        formData,
      ),
    ).toEqual([]);
    expect(
      await runValidator(
        regionSizingValidation,
        [
          hetzner('fsn1'),
          { ...hetzner('us-east-1'), workerCount: 3, workerSize: '' },
        ],
        formData,
      ),
    ).toEqual([
      'Region 2 — MGMT + DMZ + RTZ: us-east-1 is not a Hetzner Cloud region',
      'Region 2 — MGMT + DMZ + RTZ: Choose a worker size',
    ]);
    expect(
      await runValidator(regionSizingValidation, [hetzner('fsn1')], formData),
    ).toEqual(['The topology needs 2 region cards, found 1']);
  });
});
