import {
  expiryFromDate,
  issueFormDefaults,
  issueFormDefaultsFor,
  validateIssueForm,
} from './issueForm';

const now = new Date('2026-11-20T12:00:00Z');

describe('issueFormDefaultsFor', () => {
  it("starts with the portal's configured currency, upper-cased, and falls back to EUR", () => {
    expect(issueFormDefaultsFor('chf').currency).toBe('CHF');
    expect(issueFormDefaultsFor(undefined).currency).toBe('EUR');
    expect(issueFormDefaultsFor('euro').currency).toBe('EUR');
    expect(issueFormDefaultsFor('CHF').amount).toBe('100');
  });
});

describe('validateIssueForm', () => {
  it('turns the defaults into one single-use 100 EUR voucher', () => {
    expect(validateIssueForm(issueFormDefaults, now)).toEqual({
      errors: {},
      request: {
        credit: { amount: 100, currency: 'EUR' },
        maxRedemptions: 1,
        count: 1,
      },
    });
  });

  it('sends a vanity code upper-cased instead of a count, with expiry and description', () => {
    const { request } = validateIssueForm(
      {
        ...issueFormDefaults,
        amount: '25.5',
        currency: 'omr',
        code: ' omantel-launch-100 ',
        description: ' Launch week ',
        maxRedemptions: '0',
        expiresOn: '2027-01-31',
      },
      now,
    );
    expect(request).toEqual({
      credit: { amount: 25.5, currency: 'OMR' },
      maxRedemptions: 0,
      description: 'Launch week',
      expiresAt: expiryFromDate('2027-01-31'),
      code: 'OMANTEL-LAUNCH-100',
    });
    expect(new Date(request!.expiresAt!).getDate()).toBe(31);
  });

  it('names every problem next to its field', () => {
    const { errors, request } = validateIssueForm(
      {
        amount: '0',
        currency: 'ZZ',
        expiresOn: '2026-11-19',
        count: '101',
        maxRedemptions: '-1',
        description: 'x'.repeat(501),
        code: '-BAD',
      },
      now,
    );
    expect(request).toBeUndefined();
    expect(errors).toEqual({
      amount: 'Enter a credit greater than 0',
      currency: 'Enter a three-letter ISO 4217 currency code, e.g. EUR',
      expiresOn: 'The expiry date must be in the future',
      count: 'Enter a whole number from 1 to 100',
      maxRedemptions:
        'Enter a whole number: 0 means unlimited, 1 means single use',
      description: 'At most 500 characters (now 501)',
      code: 'Use 3 to 64 letters, digits or hyphens, starting with a letter or digit',
    });
  });

  it('refuses more decimals than the currency has, and vanity codes shaped like generated ones', () => {
    const { errors } = validateIssueForm(
      {
        ...issueFormDefaults,
        currency: 'OMR',
        amount: '1.0001',
        count: '3',
        code: 'ABCD-EFGH-JKMN-PQRS-T',
      },
      now,
    );
    expect(errors.amount).toBe('OMR has 3 decimal places at most');
    expect(errors.count).toBe(
      'A chosen code is one voucher: set the count to 1',
    );
    expect(errors.code).toMatch(/reserved|kept for generated codes/);
  });
});
