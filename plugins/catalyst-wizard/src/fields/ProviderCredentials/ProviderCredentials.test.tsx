import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
  secretsProbe,
} from '../__testUtils__/renderField';
import { ProviderCredentials } from './ProviderCredentials';
import { providerCredentialsValidation, tokenInputError } from './validation';

const regions = (...providers: string[]) =>
  providers.map(provider => ({
    provider,
    cloudRegion: 'x',
    controlPlaneSize: 'y',
    workerSize: 'y',
    workerCount: 0,
    airgap: false,
  }));

describe('ProviderCredentials', () => {
  it('keeps the token in the secrets, never in the form value, and validates it', async () => {
    const api = mockCatalystApi({
      validateCredential: jest.fn().mockResolvedValue({ valid: true }),
    });
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ProviderCredentials}
        onValue={onValue}
        formData={{ regions: regions('hetzner') }}
      />,
      api,
    );
    const input = await screen.findByLabelText('Hetzner Cloud API token');
    await userEvent.type(input, 'short');
    expect(
      screen.getByText('Too short: 5 of at least 64 characters'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Validate Hetzner Cloud token' }),
    ).toBeDisabled();
    const token = 'a'.repeat(64);
    await userEvent.clear(input);
    await userEvent.type(input, token);
    await userEvent.click(
      screen.getByRole('button', { name: 'Validate Hetzner Cloud token' }),
    );
    await waitFor(() =>
      expect(onValue).toHaveBeenLastCalledWith({
        hetzner: { validated: true, length: 64 },
      }),
    );
    expect(api.validateCredential).toHaveBeenCalledWith('hetzner', token);
    expect(secretsProbe.current.hetznerToken).toBe(token);
    expect(JSON.stringify(onValue.mock.calls)).not.toContain(token);
    expect(screen.getByText('✓ Valid')).toBeInTheDocument();
  });

  it('explains a rejected token with status, reason and retry', async () => {
    const api = mockCatalystApi({
      validateCredential: jest
        .fn()
        .mockResolvedValueOnce({
          valid: false,
          kind: 'rejected',
          status: 200,
          reason: 'Hetzner answered 401',
        })
        .mockResolvedValueOnce({ valid: true }),
    });
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={ProviderCredentials}
        onValue={onValue}
        formData={{ regions: regions('hetzner') }}
      />,
      api,
    );
    await userEvent.type(
      await screen.findByLabelText('Hetzner Cloud API token'),
      'b'.repeat(70),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Validate Hetzner Cloud token' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Not valid (HTTP 200): The provider rejected the token. It needs Read & Write access.',
    );
    expect(alert).toHaveTextContent('Hetzner answered 401');
    expect(alert).toHaveTextContent('The token is never stored.');
    expect(alert).not.toHaveTextContent('bbbb');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(onValue).toHaveBeenLastCalledWith({
        hetzner: { validated: true, length: 70 },
      }),
    );
  });

  it('shows one section per provider in use and applies the 64-character rule to Hetzner only', async () => {
    await renderField(
      <StatefulField
        component={ProviderCredentials}
        formData={{ regions: regions('hetzner', 'aws', 'hetzner') }}
      />,
      mockCatalystApi(),
    );
    expect(
      await screen.findByLabelText('Hetzner Cloud API token'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Amazon Web Services API token'),
    ).toBeInTheDocument();
    expect(tokenInputError('aws', 'AKIAEXAMPLE:secret')).toBeUndefined();
    expect(tokenInputError('hetzner', 'x'.repeat(63))).toBe(
      'Too short: 63 of at least 64 characters',
    );
  });

  it('validator requires every provider in use to be validated', async () => {
    const formData = { regions: regions('hetzner', 'aws') };
    expect(
      await runValidator(
        providerCredentialsValidation,
        { hetzner: { validated: true, length: 64 } },
        formData,
      ),
    ).toEqual(['Validate the Amazon Web Services credential']);
    expect(
      await runValidator(
        providerCredentialsValidation,
        {
          hetzner: { validated: true, length: 64 },
          aws: { validated: true, length: 40 },
        },
        formData,
      ),
    ).toEqual([]);
  });
});
