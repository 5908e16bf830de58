import '@testing-library/jest-dom';
import { configure, screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { VouchersApi, vouchersApiRef } from './VouchersApi';
import { catalystVouchersPlugin } from './plugin';

configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);

const api = {
  listAdministeredSovereigns: jest
    .fn()
    .mockResolvedValue(['sovereign:default/omantel-omani-works']),
  listVouchers: jest.fn().mockResolvedValue([]),
  getVoucher: jest.fn(),
  issueVouchers: jest.fn(),
  updateVoucher: jest.fn(),
  revokeVoucher: jest.fn(),
  previewVoucher: jest.fn().mockResolvedValue({
    valid: false,
    reason: 'unknown',
  }),
} as jest.Mocked<VouchersApi>;

describe('catalystVouchersPlugin', () => {
  it('routes /vouchers to the admin page', async () => {
    renderTestApp({
      features: [catalystVouchersPlugin],
      apis: [[vouchersApiRef, api]],
      initialRouteEntries: ['/vouchers'],
    });
    expect(await screen.findByText('No vouchers yet')).toBeInTheDocument();
  });

  it('routes /vouchers/redeem to the redeem page, not the admin page', async () => {
    renderTestApp({
      features: [catalystVouchersPlugin],
      apis: [[vouchersApiRef, api]],
      initialRouteEntries: ['/vouchers/redeem?code=NOPE-123'],
    });
    expect(
      await screen.findByText('This code is not valid'),
    ).toBeInTheDocument();
    expect(api.previewVoucher).toHaveBeenCalledWith('NOPE-123', undefined);
    expect(screen.queryByText('No vouchers yet')).not.toBeInTheDocument();
  });
});
