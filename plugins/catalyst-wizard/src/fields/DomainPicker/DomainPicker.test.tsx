import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
  secretsProbe,
} from '../__testUtils__/renderField';
import { DomainPicker } from './DomainPicker';
import {
  domainPickerValidation,
  forgetRegistrarTokens,
  setRegistrarTokenValidated,
} from './validation';

const pool = (subdomain: string) => ({
  mode: 'pool' as const,
  poolDomain: 'omani.works',
  subdomain,
  byoDomain: '',
  registrar: '',
});

describe('DomainPicker', () => {
  beforeEach(() => forgetRegistrarTokens());

  it('takes the pool list from PDM and checks availability debounced, explaining reserved and taken names', async () => {
    const api = mockCatalystApi({
      checkSubdomain: jest.fn(async (_pool: string, sub: string) =>
        sub === 'taken'
          ? { available: false, reason: 'active-state' }
          : { available: true, fqdn: `${sub}.omani.works` },
      ),
    });
    const onValue = jest.fn();
    await renderField(
      <StatefulField component={DomainPicker} onValue={onValue} />,
      api,
    );
    await waitFor(() =>
      expect(onValue).toHaveBeenCalledWith(
        expect.objectContaining({ poolDomain: 'omani.works' }),
      ),
    );
    const input = screen.getByLabelText('Subdomain');
    await userEvent.type(input, 'Vault');
    expect(
      await screen.findByText(
        '“vault” is reserved by the platform; choose another name',
      ),
    ).toBeInTheDocument();
    expect(api.checkSubdomain).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, 'taken');
    expect(
      await screen.findByText(
        'taken.omani.works is already taken by an existing Sovereign',
      ),
    ).toBeInTheDocument();
    // One request for the whole word, not one per keystroke.
    expect(api.checkSubdomain).toHaveBeenCalledTimes(1);
    await userEvent.clear(input);
    await userEvent.type(input, 'acme bank');
    expect(
      await screen.findByText('✓ acmebank.omani.works is available'),
    ).toBeInTheDocument();
    expect(onValue).toHaveBeenLastCalledWith(pool('acmebank'));
  });

  it('shows the NS records with copy buttons in manual mode', async () => {
    const writeText = jest.fn();
    Object.assign(window.navigator, { clipboard: { writeText } });
    await renderField(
      <StatefulField component={DomainPicker} initial={pool('')} />,
      mockCatalystApi(),
    );
    await userEvent.click(
      await screen.findByRole('radio', {
        name: 'My own domain (I set NS records)',
      }),
    );
    await userEvent.type(screen.getByLabelText('Your domain'), 'bank');
    expect(
      screen.getByText(
        'The domain must have at least two labels, e.g. example.com',
      ),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Your domain'), '.example.com');
    for (const ns of ['ns1.openova.io', 'ns2.openova.io', 'ns3.openova.io']) {
      expect(screen.getByText(`NS ${ns}`)).toBeInTheDocument();
    }
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy ns2.openova.io' }),
    );
    expect(writeText).toHaveBeenCalledWith('ns2.openova.io');
  });

  it('checks the registrar token through PDM and keeps it in the secrets only', async () => {
    const api = mockCatalystApi({
      validateRegistrarToken: jest
        .fn()
        .mockResolvedValueOnce({
          valid: false,
          status: 401,
          error: 'invalid-token',
        })
        .mockResolvedValueOnce({ valid: true }),
    });
    const onValue = jest.fn();
    await renderField(
      <StatefulField
        component={DomainPicker}
        onValue={onValue}
        initial={{
          mode: 'byo-api',
          poolDomain: '',
          subdomain: '',
          byoDomain: 'bank.example.com',
          registrar: '',
        }}
      />,
      api,
    );
    await userEvent.click(await screen.findByLabelText('Registrar'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Dynadot' }),
    );
    expect(
      screen.getByText(/key:secret from the Dynadot account API page/),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('Registrar API token'),
      'key:secret',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Check registrar token' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The registrar rejected the token (HTTP 401)',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Check registrar token' }),
    );
    expect(await screen.findByText('✓ Token accepted')).toBeInTheDocument();
    expect(api.validateRegistrarToken).toHaveBeenLastCalledWith(
      'dynadot',
      'bank.example.com',
      'key:secret',
    );
    expect(secretsProbe.current.registrarToken).toBe('key:secret');
    expect(JSON.stringify(onValue.mock.calls)).not.toContain('key:secret');
  });

  it('validator re-checks availability and the registrar token', async () => {
    const api = mockCatalystApi({
      checkSubdomain: jest
        .fn()
        .mockResolvedValue({ available: false, reason: 'reserved-state' }),
    });
    expect(
      await runValidator(domainPickerValidation, pool('acme'), {}, api),
    ).toEqual([
      'acme.omani.works is being reserved by another provisioning run right now',
    ]);
    expect(
      await runValidator(domainPickerValidation, pool('9lives'), {}, api),
    ).toEqual(['The subdomain must start with a letter, not a digit']);
    const byoApi = {
      mode: 'byo-api' as const,
      poolDomain: '',
      subdomain: '',
      byoDomain: 'bank.example.com',
      registrar: 'cloudflare',
    };
    expect(await runValidator(domainPickerValidation, byoApi, {}, api)).toEqual(
      ['Validate the registrar token'],
    );
    act(() =>
      setRegistrarTokenValidated('cloudflare', 'bank.example.com', true),
    );
    expect(await runValidator(domainPickerValidation, byoApi, {}, api)).toEqual(
      [],
    );
  });
});
