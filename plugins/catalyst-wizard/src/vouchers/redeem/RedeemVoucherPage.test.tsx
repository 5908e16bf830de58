import '@testing-library/jest-dom';
import { configure, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { useAppLocation } from '@backstage/frontend-plugin-api';
import { VoucherPreview, VouchersApi, vouchersApiRef } from '../VouchersApi';
import { scaffolderTemplateRouteRef } from '../routes';
import { RedeemVoucherPage } from './RedeemVoucherPage';
import { VOUCHER_CODE_HANDOVER_KEY } from '../../fields/VoucherCode';

configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

const omantel = 'sovereign:default/omantel-omani-works';

function mockApi(preview: (code: string) => VoucherPreview) {
  return {
    listAdministeredSovereigns: jest.fn(),
    listVouchers: jest.fn(),
    getVoucher: jest.fn(),
    issueVouchers: jest.fn(),
    updateVoucher: jest.fn(),
    revokeVoucher: jest.fn(),
    previewVoucher: jest.fn(async (code: string) => preview(code)),
  } as jest.Mocked<VouchersApi>;
}

/** Shows the app's current location, so a test can see what the address bar holds. */
function LocationProbe() {
  const location = useAppLocation();
  return (
    <span data-testid="location">{`${location.pathname}${location.search}${location.hash}`}</span>
  );
}

function render(api: VouchersApi, url: string) {
  return renderInTestApp(
    <>
      <RedeemVoucherPage />
      <LocationProbe />
    </>,
    {
      apis: [[vouchersApiRef, api]],
      initialRouteEntries: [url],
      mountedRoutes: {
        '/create/templates/:namespace/:templateName':
          scaffolderTemplateRouteRef,
      },
    },
  );
}

const answers: Record<string, VoucherPreview> = {
  'OMANTEL-LAUNCH-100': {
    valid: true,
    credit: { amount: 100, currency: 'OMR' },
    expiresAt: null,
  },
  'OMANTEL-OLD-50': { valid: false, reason: 'expired' },
  'OMANTEL-FULL': { valid: false, reason: 'exhausted' },
  'NOPE-123': { valid: false, reason: 'unknown' },
  'ABCD-EFGH-JKMN-PQRS-T': { valid: false, reason: 'bad-check-character' },
};
const byCode = (code: string): VoucherPreview =>
  answers[code] ?? { valid: false, reason: 'unknown' };

describe('RedeemVoucherPage', () => {
  it('previews the code from the link (upper-cased) and hands it to the redeem template', async () => {
    const api = mockApi(byCode);
    await render(
      api,
      `/vouchers/redeem?code=omantel-launch-100&sovereign=${encodeURIComponent(
        omantel,
      )}`,
    );
    expect(
      await screen.findByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeInTheDocument();
    expect(screen.getByText(/It does not expire/)).toBeInTheDocument();
    expect(api.previewVoucher).toHaveBeenCalledWith(
      'OMANTEL-LAUNCH-100',
      omantel,
    );
    const redeem = screen.getByRole('button', { name: 'Redeem' });
    const href = new URL(redeem.getAttribute('href')!, 'http://portal');
    expect(href.pathname).toBe('/create/templates/default/redeem-voucher');
    // The code is never in the template's URL: it is handed over through this tab's session storage on click.
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      sovereign: { ref: omantel },
    });
    expect(redeem.getAttribute('href')).not.toMatch(/OMANTEL-LAUNCH-100/i);
    await userEvent.click(redeem);
    expect(window.sessionStorage.getItem(VOUCHER_CODE_HANDOVER_KEY)).toBe(
      'OMANTEL-LAUNCH-100',
    );
    window.sessionStorage.clear();
  });

  it('reads the code from the link fragment and removes it from the address bar, keeping the Sovereign', async () => {
    const api = mockApi(byCode);
    const rendered = await render(
      api,
      '/vouchers/redeem?sovereign=sovereign%3Adefault%2Fomantel-omani-works#code=omantel-launch-100',
    );
    expect(
      await screen.findByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(rendered.getByTestId('location').textContent).toBe(
        '/vouchers/redeem?sovereign=sovereign%3Adefault%2Fomantel-omani-works',
      ),
    );
  });

  it('removes the code from the address bar once it has read it', async () => {
    const api = mockApi(byCode);
    const rendered = await render(
      api,
      '/vouchers/redeem?code=omantel-launch-100',
    );
    expect(
      await screen.findByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(rendered.getByTestId('location').textContent).not.toMatch(/code=/),
    );
  });

  it('asks for a code when the link has none, and previews what is typed once typing pauses', async () => {
    const api = mockApi(byCode);
    await render(api, '/vouchers/redeem');
    expect(
      screen.getByText(/Enter the code from your voucher/),
    ).toBeInTheDocument();
    expect(api.previewVoucher).not.toHaveBeenCalled();
    await userEvent.type(
      screen.getByLabelText('Voucher code'),
      'omantel-launch-100',
    );
    expect(
      await screen.findByText(/This voucher is worth OMR\s?100\.000/),
    ).toBeInTheDocument();
    // Debounced: the code is not checked once per keystroke (a loaded machine may pause mid-typing, so the
    // exact count is not fixed), and the last check is for the whole code.
    expect(api.previewVoucher.mock.calls.length).toBeLessThan(
      'omantel-launch-100'.length / 2,
    );
    expect(api.previewVoucher).toHaveBeenLastCalledWith(
      'OMANTEL-LAUNCH-100',
      undefined,
    );
    expect(
      JSON.parse(
        new URL(
          screen.getByRole('button', { name: 'Redeem' }).getAttribute('href')!,
          'http://portal',
        ).searchParams.get('formData')!,
      ),
    ).toEqual({});
  });

  it('tells an ended voucher apart from a code that is not valid', async () => {
    const api = mockApi(byCode);
    await render(api, '/vouchers/redeem?code=OMANTEL-OLD-50');
    expect(
      await screen.findByText('This voucher can no longer be redeemed'),
    ).toBeInTheDocument();
    expect(screen.getByText('This voucher has expired.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Redeem' })).toBeNull();

    const input = screen.getByLabelText('Voucher code');
    await userEvent.clear(input);
    await userEvent.type(input, 'nope-123');
    expect(
      await screen.findByText('This code is not valid'),
    ).toBeInTheDocument();
    expect(screen.getByText(/does not match any voucher/)).toBeInTheDocument();

    await userEvent.clear(input);
    await userEvent.type(input, 'ABCD-EFGH-JKMN-PQRS-T');
    expect(
      await screen.findByText(/its last character does not match the rest/),
    ).toBeInTheDocument();
  });

  it('says when checks are rate-limited and when the check itself fails', async () => {
    const limited = mockApi(() => ({
      valid: false,
      reason: 'rate-limited',
      retryAfterSeconds: 30,
    }));
    const { unmount } = await render(limited, '/vouchers/redeem?code=ANY-CODE');
    expect(
      await screen.findByText(
        /Too many checks in a short time.*Retry in 30 seconds/,
      ),
    ).toBeInTheDocument();
    unmount();

    const broken = mockApi(() => {
      throw new Error('backend unreachable');
    });
    await render(broken, '/vouchers/redeem?code=ANY-CODE');
    expect(
      await screen.findByText(/The code could not be checked/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByText(/backend unreachable/).length).toBeGreaterThan(
        0,
      ),
    );
  });
});
