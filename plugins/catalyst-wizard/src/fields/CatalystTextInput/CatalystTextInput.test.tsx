import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
} from '../__testUtils__/renderField';
import { CatalystTextInput } from './CatalystTextInput';
import { catalystTextInputValidation } from './validation';

const ui = (rule: string) => ({ 'ui:options': { rule } });

describe('CatalystTextInput', () => {
  it('shows the rule violation next to the field while typing and clears it when fixed', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={CatalystTextInput}
        onValue={onValue}
        extra={{ schema: { title: 'Admin email' }, uiSchema: ui('orgEmail') }}
      />,
      mockCatalystApi(),
    );
    const input = screen.getByLabelText('Admin email');
    await userEvent.type(input, 'ops@bank');
    expect(
      screen.getByText(
        '“ops@bank” is not an email address (expected name@domain.tld)',
      ),
    ).toBeInTheDocument();
    await userEvent.type(input, '.om');
    expect(
      screen.queryByText(/is not an email address/),
    ).not.toBeInTheDocument();
    expect(onValue).toHaveBeenLastCalledWith('ops@bank.om');
  });

  it('validators: org name non-blank, email pattern, Hetzner project ID only when Hetzner is used', async () => {
    const v = (value: string, rule: string, formData = {}) =>
      runValidator(
        catalystTextInputValidation as any,
        value,
        formData,
        mockCatalystApi(),
        ui(rule),
      );
    expect(await v('   ', 'orgName')).toEqual(['Enter your organisation name']);
    expect(await v('Omantel', 'orgName')).toEqual([]);
    expect(await v('', 'orgEmail')).toEqual(['Enter the admin email address']);
    expect(await v('a@b.co', 'orgEmail')).toEqual([]);
    const hetzner = { regions: [{ provider: 'hetzner' }] };
    const aws = { regions: [{ provider: 'aws' }] };
    expect(await v('', 'hetznerProjectId', hetzner)).toEqual([
      'Enter the Hetzner project ID (Hetzner Console → your project)',
    ]);
    expect(await v('', 'hetznerProjectId', aws)).toEqual([]);
  });
});
