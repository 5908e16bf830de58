import {
  checkSymbol,
  CROCKFORD_ALPHABET,
  generateVoucherCode,
  hashVoucherCode,
  maskVoucherCode,
  parseVanityCode,
  parseVoucherCode,
  VOUCHER_CODE_PATTERN,
} from './voucherCode';

describe('generated voucher codes', () => {
  it('are 16 Crockford symbols plus a check symbol, grouped, inside the one format rule', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateVoucherCode();
      expect(code).toMatch(
        /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/,
      );
      expect(code).toMatch(VOUCHER_CODE_PATTERN);
      expect(parseVoucherCode(code)).toEqual({
        ok: true,
        kind: 'generated',
        canonical: code,
      });
    }
  });

  it('carry 80 random bits: every bit of the random source reaches the code', () => {
    const zero = generateVoucherCode(size => Buffer.alloc(size));
    expect(zero.slice(0, 19)).toBe('0000-0000-0000-0000');
    const seen = new Set<string>();
    for (let bit = 0; bit < 80; bit++) {
      const bytes = Buffer.alloc(10);
      bytes[Math.floor(bit / 8)] = 1 << bit % 8;
      const code = generateVoucherCode(() => bytes);
      expect(code).not.toBe(zero);
      seen.add(code);
    }
    expect(seen.size).toBe(80);
  });

  it('are read case-insensitively, with any grouping and with Crockford look-alikes folded', () => {
    const code = generateVoucherCode(() => Buffer.from('0123456789', 'utf8'));
    const typed = ` ${code.toLowerCase().replace(/-/g, '')} `;
    expect(parseVoucherCode(typed)).toEqual({
      ok: true,
      kind: 'generated',
      canonical: code,
    });
    const withZeroAndOne = `0000-1111-0000-1111-${checkSymbol(
      '0000111100001111',
    )}`;
    expect(
      parseVoucherCode(withZeroAndOne.replace(/0/g, 'O').replace(/1/g, 'l')),
    ).toEqual({
      ok: true,
      kind: 'generated',
      canonical: withZeroAndOne,
    });
  });

  it('reject every single-character substitution by the check character', () => {
    for (let sample = 0; sample < 20; sample++) {
      const code = generateVoucherCode();
      for (let i = 0; i < code.length; i++) {
        if (code[i] === '-') continue;
        for (const replacement of `${CROCKFORD_ALPHABET}U`) {
          if (replacement === code[i]) continue;
          const typo = code.slice(0, i) + replacement + code.slice(i + 1);
          expect(parseVoucherCode(typo)).toEqual({
            ok: false,
            reason: 'bad-check-character',
          });
        }
      }
    }
  });

  it('reject every adjacent transposition of different symbols', () => {
    for (let sample = 0; sample < 20; sample++) {
      const compact = generateVoucherCode().replace(/-/g, '');
      for (let i = 0; i + 1 < compact.length; i++) {
        if (compact[i] === compact[i + 1]) continue;
        const swapped =
          compact.slice(0, i) +
          compact[i + 1] +
          compact[i] +
          compact.slice(i + 2);
        expect(parseVoucherCode(swapped)).toEqual({
          ok: false,
          reason: 'bad-check-character',
        });
      }
    }
  });
});

describe('vanity codes', () => {
  it('follow the one format rule, upper-cased', () => {
    expect(parseVanityCode(' omantel-launch-100 ')).toEqual({
      ok: true,
      canonical: 'OMANTEL-LAUNCH-100',
    });
    expect(parseVoucherCode('Omantel-Launch-100')).toEqual({
      ok: true,
      kind: 'vanity',
      canonical: 'OMANTEL-LAUNCH-100',
    });
    for (const bad of ['AB', '-ABC', 'A B C', 'ÄBC', 'A'.repeat(65), 'ABC_D']) {
      expect(parseVanityCode(bad).ok).toBe(false);
      expect(parseVoucherCode(bad)).toEqual({
        ok: false,
        reason: 'bad-format',
      });
    }
  });

  it('may not take the generated shape, so the two kinds never mix', () => {
    const result = parseVanityCode('omantel-launch-2026');
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('reserved for generated codes'),
    });
  });
});

describe('hashing and masking', () => {
  it('hashes with the server key, so the same code under another key does not match', () => {
    const a = hashVoucherCode('key-one-key-one-key-one-key-one!', 'SMOKE-TEST');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(
      hashVoucherCode('key-one-key-one-key-one-key-one!', 'SMOKE-TEST'),
    ).toBe(a);
    expect(
      hashVoucherCode('key-two-key-two-key-two-key-two!', 'SMOKE-TEST'),
    ).not.toBe(a);
  });

  it('shows only the last four letters or digits', () => {
    expect(maskVoucherCode('ABCD-EFGH-JKMN-PQRS-T')).toBe(
      '••••-••••-••••-•QRS-T',
    );
    expect(maskVoucherCode('OMANTEL-LAUNCH-100')).toBe('•••••••-•••••H-100');
  });
});
