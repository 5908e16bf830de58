import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  StatefulField,
  mockCatalystApi,
  renderField,
  runValidator,
  secretsProbe,
} from '../__testUtils__/renderField';
import {
  VOUCHER_CODE_ENTERED,
  VOUCHER_CODE_HANDOVER_KEY,
  VoucherCode,
  voucherCodeValidation,
} from './VoucherCode';

describe('VoucherCode', () => {
  afterEach(() => window.sessionStorage.clear());

  it('keeps the typed code in the task secrets, upper-cased, and only a marker in the form', async () => {
    const onValue = jest.fn();
    await renderField(
      <StatefulField component={VoucherCode} onValue={onValue} />,
      mockCatalystApi(),
    );
    await userEvent.type(screen.getByLabelText('Voucher code'), 'abcd-efgh');
    expect(secretsProbe.current.voucherCode).toBe('ABCD-EFGH');
    expect(onValue).toHaveBeenLastCalledWith(VOUCHER_CODE_ENTERED);
    expect(JSON.stringify(onValue.mock.calls)).not.toMatch(/ABCD|abcd/);
  });

  it('takes a code the redeem page handed over once and removes it from the session storage', async () => {
    window.sessionStorage.setItem(VOUCHER_CODE_HANDOVER_KEY, 'wxyz-1234');
    const onValue = jest.fn();
    await renderField(
      <StatefulField component={VoucherCode} onValue={onValue} />,
      mockCatalystApi(),
    );
    await waitFor(() =>
      expect(secretsProbe.current.voucherCode).toBe('WXYZ-1234'),
    );
    expect(onValue).toHaveBeenLastCalledWith(VOUCHER_CODE_ENTERED);
    expect(window.sessionStorage.getItem(VOUCHER_CODE_HANDOVER_KEY)).toBeNull();
    // Not asked for again: the field says the checked code is there, without showing it.
    expect(screen.queryByLabelText('Voucher code')).toBeNull();
    expect(screen.getByTestId('voucher-code-checked')).toHaveTextContent(
      'was checked on the redeem page',
    );
    expect(document.body.textContent).not.toContain('WXYZ-1234');
    // Another code can still be typed.
    await userEvent.click(
      screen.getByRole('button', { name: 'Use another code' }),
    );
    expect(onValue).toHaveBeenLastCalledWith('');
    await userEvent.type(screen.getByLabelText('Voucher code'), 'abcd');
    expect(secretsProbe.current.voucherCode).toBe('ABCD');
  });

  it('refuses to leave the step without a code', async () => {
    expect(await runValidator(voucherCodeValidation, '')).toEqual([
      'Enter the code from your voucher',
    ]);
    expect(
      await runValidator(voucherCodeValidation, VOUCHER_CODE_ENTERED),
    ).toEqual([]);
  });
});
