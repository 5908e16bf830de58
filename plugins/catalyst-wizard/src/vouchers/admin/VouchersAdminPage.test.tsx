import '@testing-library/jest-dom';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { readResponseError } from '@catalyst/plugin-catalyst-common';
import { Voucher, VouchersApi, vouchersApiRef } from '../VouchersApi';
import { redeemVoucherRouteRef } from '../routes';
import {
  VOUCHERS_SOVEREIGN_STORAGE_KEY,
  VouchersAdminPage,
} from './VouchersAdminPage';

// MUI tables and dialogs render slowly on small CI machines.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

const omantel = 'sovereign:default/omantel-omani-works';

const activeVoucher: Voucher = {
  id: '0b6c3a52-8f6e-4a3e-9b59-1f9cf4a0c111',
  codeMasked: '••••-••••-••••-•X7K-4',
  sovereign: omantel,
  credit: { amount: 100, currency: 'OMR' },
  description: 'Muscat launch',
  state: 'active',
  maxRedemptions: 5,
  timesRedeemed: 2,
  expiresAt: null,
  issuedBy: 'user:default/amal',
  createdAt: '2026-11-20T10:00:00.000Z',
};

function mockApi(overrides: Partial<jest.Mocked<VouchersApi>> = {}) {
  return {
    listAdministeredSovereigns: jest.fn().mockResolvedValue([omantel]),
    listVouchers: jest.fn().mockResolvedValue([]),
    getVoucher: jest.fn(),
    issueVouchers: jest.fn(),
    updateVoucher: jest.fn(),
    revokeVoucher: jest.fn().mockResolvedValue(undefined),
    previewVoucher: jest.fn(),
    ...overrides,
  } as jest.Mocked<VouchersApi>;
}

function render(api: VouchersApi) {
  return renderInTestApp(<VouchersAdminPage />, {
    apis: [[vouchersApiRef, api]],
    mountedRoutes: { '/vouchers/redeem': redeemVoucherRouteRef },
    // The portal's default currency for new vouchers (app-config catalyst.vouchers.defaultCurrency).
    config: { catalyst: { vouchers: { defaultCurrency: 'chf' } } },
  });
}

describe('VouchersAdminPage', () => {
  it('explains vouchers when the Sovereign has none yet', async () => {
    const api = mockApi();
    await render(api);
    expect(await screen.findByText('No vouchers yet')).toBeInTheDocument();
    expect(
      screen.getByText(/redeeming it creates their Organization/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Vouchers of omantel-omani-works'),
    ).toBeInTheDocument();
    expect(api.listVouchers).toHaveBeenCalledWith(omantel);
  });

  it('says so when the user administers no Sovereign', async () => {
    await render(
      mockApi({ listAdministeredSovereigns: jest.fn().mockResolvedValue([]) }),
    );
    expect(
      await screen.findByText('No Sovereign to administer'),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the vouchers cannot be listed', async () => {
    await render(
      mockApi({
        listVouchers: jest.fn().mockRejectedValue(new Error('forbidden')),
      }),
    );
    expect(
      await screen.findByText(
        /Could not list the vouchers of omantel-omani-works/,
      ),
    ).toBeInTheDocument();
  });

  it('lists vouchers with status, credit, redemptions and masked code, and revokes after confirming', async () => {
    const api = mockApi({
      listVouchers: jest
        .fn()
        .mockResolvedValueOnce([activeVoucher])
        .mockResolvedValue([{ ...activeVoucher, state: 'revoked' }]),
    });
    await render(api);
    expect(await screen.findByText('…X7K-4')).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.getByText(/OMR\s?100\.000/)).toBeInTheDocument();
    expect(screen.getByText('2/5')).toBeInTheDocument();
    expect(screen.getByText('Never')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Revoke voucher ••••-••••-••••-•X7K-4',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/cannot be undone/)).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() =>
      expect(api.revokeVoucher).toHaveBeenCalledWith(omantel, activeVoucher.id),
    );
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Revoke voucher/ }),
    ).not.toBeInTheDocument();
  });

  it('validates the issue form, issues, and shows the codes once with copy buttons', async () => {
    const api = mockApi({
      issueVouchers: jest.fn().mockResolvedValue([
        {
          ...activeVoucher,
          maxRedemptions: 1,
          code: 'ABCD-EFGH-JKMN-PQRS-4',
        },
      ]),
    });
    await render(api);
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'Issue vouchers' })
      )[0],
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Credit/)).toHaveValue('100');
    expect(within(dialog).getByLabelText(/Currency/)).toHaveValue('CHF');
    expect(within(dialog).getByLabelText('Redemptions per code')).toHaveValue(
      1,
    );

    const amount = within(dialog).getByLabelText(/Credit/);
    await userEvent.clear(amount);
    await userEvent.type(amount, '0');
    await userEvent.type(
      within(dialog).getByLabelText('Chosen code (optional)'),
      'x',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Issue' }),
    );
    expect(
      within(dialog).getByText('Enter a credit greater than 0'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/Use 3 to 64 letters, digits or hyphens/),
    ).toBeInTheDocument();
    expect(api.issueVouchers).not.toHaveBeenCalled();

    await userEvent.clear(amount);
    await userEvent.type(amount, '50');
    await userEvent.clear(
      within(dialog).getByLabelText('Chosen code (optional)'),
    );
    await userEvent.type(
      within(dialog).getByLabelText('Description'),
      'Launch',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Issue' }),
    );
    await waitFor(() =>
      expect(api.issueVouchers).toHaveBeenCalledWith(omantel, {
        credit: { amount: 50, currency: 'CHF' },
        maxRedemptions: 1,
        count: 1,
        description: 'Launch',
      }),
    );
    const codes = await screen.findByRole('dialog', { name: 'Voucher issued' });
    expect(
      within(codes).getByText('ABCD-EFGH-JKMN-PQRS-4'),
    ).toBeInTheDocument();
    expect(within(codes).getByText(/won't be shown again/)).toBeInTheDocument();
    expect(
      within(codes).getByRole('button', {
        name: 'Copy the code ABCD-EFGH-JKMN-PQRS-4',
      }),
    ).toBeInTheDocument();
    expect(
      within(codes).getByText(
        /\/vouchers\/redeem\?sovereign=sovereign%3Adefault%2Fomantel-omani-works#code=ABCD-EFGH-JKMN-PQRS-4$/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(codes).getByRole('button', { name: 'I have copied the codes' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByText('ABCD-EFGH-JKMN-PQRS-4'),
      ).not.toBeInTheDocument(),
    );
    expect(api.listVouchers).toHaveBeenCalledTimes(2);
  });

  it('reports a taken vanity code on its field', async () => {
    // The error the vouchers client throws for the router's 409.
    const conflict = await readResponseError(
      'Vouchers POST /v1/sovereigns/omantel-omani-works/vouchers',
      new Response(
        JSON.stringify({
          error: { name: 'ConflictError', message: 'code exists' },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const api = mockApi({
      issueVouchers: jest.fn().mockRejectedValue(conflict),
    });
    await render(api);
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'Issue vouchers' })
      )[0],
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Chosen code (optional)'),
      'omantel-launch-100',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Issue' }),
    );
    expect(
      await within(dialog).findByText(
        /A voucher with the code OMANTEL-LAUNCH-100 already exists/,
      ),
    ).toBeInTheDocument();
  });

  it('lets the user pick among several Sovereigns', async () => {
    const other = 'sovereign:default/zain-omani-works';
    const api = mockApi({
      listAdministeredSovereigns: jest.fn().mockResolvedValue([omantel, other]),
    });
    await render(api);
    expect(
      await screen.findByText('Vouchers of omantel-omani-works'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Sovereign' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'zain-omani-works' }),
    );
    expect(
      await screen.findByText('Vouchers of zain-omani-works'),
    ).toBeInTheDocument();
    expect(api.listVouchers).toHaveBeenLastCalledWith(other);
  });

  it('hides Revoke on a code that is used up, expired or revoked', async () => {
    await render(
      mockApi({
        listVouchers: jest
          .fn()
          .mockResolvedValue([
            { ...activeVoucher, state: 'exhausted', timesRedeemed: 5 },
          ]),
      }),
    );
    expect(await screen.findByText('Used up')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Revoke voucher/ }),
    ).not.toBeInTheDocument();
  });

  describe("with the catalog's owners", () => {
    afterEach(() => window.localStorage.clear());
    const theirs = 'sovereign:default/alpha-example-org';
    const mine = 'sovereign:default/zulu-example-org';
    const sovereign = (name: string, fqdn: string, owner: string) => ({
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'Sovereign',
      metadata: { name, namespace: 'default' },
      spec: { fqdn, owner },
    });
    const renderWithOwners = (api: VouchersApi) =>
      renderInTestApp(<VouchersAdminPage />, {
        apis: [
          [vouchersApiRef, api],
          [
            catalogApiRef,
            catalogApiMock({
              entities: [
                sovereign('alpha-example-org', 'alpha.example.org', 'team-b'),
                sovereign(
                  'zulu-example-org',
                  'zulu.example.org',
                  'group:default/team-a',
                ),
              ],
            }),
          ],
          mockApis.identity({
            userEntityRef: 'user:default/alice',
            ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
          }),
        ],
        mountedRoutes: { '/vouchers/redeem': redeemVoucherRouteRef },
      });

    it("opens on one of the user's own Sovereigns, named by FQDN, and remembers another choice", async () => {
      const api = mockApi({
        listAdministeredSovereigns: jest.fn().mockResolvedValue([theirs, mine]),
      });
      await renderWithOwners(api);
      expect(
        await screen.findByText('Vouchers of zulu.example.org'),
      ).toBeInTheDocument();
      expect(api.listVouchers).toHaveBeenLastCalledWith(mine);
      await userEvent.click(screen.getByRole('button', { name: 'Sovereign' }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'alpha.example.org' }),
      );
      expect(
        await screen.findByText('Vouchers of alpha.example.org'),
      ).toBeInTheDocument();
      expect(window.localStorage.getItem(VOUCHERS_SOVEREIGN_STORAGE_KEY)).toBe(
        theirs,
      );
    });

    it('opens on the Sovereign chosen last time', async () => {
      window.localStorage.setItem(VOUCHERS_SOVEREIGN_STORAGE_KEY, theirs);
      await renderWithOwners(
        mockApi({
          listAdministeredSovereigns: jest
            .fn()
            .mockResolvedValue([theirs, mine]),
        }),
      );
      expect(
        await screen.findByText('Vouchers of alpha.example.org'),
      ).toBeInTheDocument();
    });
  });
});
