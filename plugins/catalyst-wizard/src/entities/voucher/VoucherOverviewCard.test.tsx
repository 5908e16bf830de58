import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { voucher } from '../__fixtures__/entities';
import { VoucherOverviewCard } from './VoucherOverviewCard';
import {
  describeExpiry,
  describeRedemptions,
  formatVoucherCredit,
  maskVoucherCode,
} from './voucherFormat';

describe('VoucherOverviewCard', () => {
  it('shows state, credit, expiry and redemptions with the code masked', async () => {
    await renderInTestApp(
      <EntityProvider entity={voucher}>
        <VoucherOverviewCard />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByText('••••-100')).toBeInTheDocument();
    expect(screen.getByText('active')).toBeInTheDocument();
    expect(screen.getByText(/OMR\s?100\.000/)).toBeInTheDocument();
    expect(screen.getByText('12 of 50')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /acme-omani-works/ }),
    ).toHaveAttribute('href', '/catalog/default/sovereign/acme-omani-works');
    expect(
      screen.getByRole('progressbar', { name: 'Redemptions used' }),
    ).toHaveAttribute('aria-valuenow', '24');
  });
});

describe('voucher formatting', () => {
  it('formats major units with the decimals of the currency', () => {
    expect(formatVoucherCredit({ amount: 25, currency: 'EUR' }, 'en-US')).toBe(
      '€25.00',
    );
    expect(
      formatVoucherCredit({ amount: 12.5, currency: 'OMR' }, 'en-US'),
    ).toBe('OMR\u00a012.500');
    expect(formatVoucherCredit({ amount: 500, currency: 'JPY' }, 'en-US')).toBe(
      '¥500',
    );
    expect(formatVoucherCredit(undefined)).toBe('—');
  });

  it('never shows more than the last four characters of a code', () => {
    expect(maskVoucherCode('OMANTEL-LAUNCH-100')).toBe('••••-100');
    expect(maskVoucherCode('••••-100')).toBe('••••-100');
  });

  it('describes redemptions and expiry', () => {
    expect(describeRedemptions(3, 0)).toBe('3 (unlimited)');
    const now = new Date('2026-11-20T00:00:00Z');
    expect(describeExpiry(null, now)).toEqual({
      label: 'never expires',
      expired: false,
    });
    expect(describeExpiry('2026-11-19T00:00:00Z', now).expired).toBe(true);
    expect(describeExpiry('2026-11-23T00:00:00Z', now).label).toMatch(
      /in 3 days/,
    );
  });
});
