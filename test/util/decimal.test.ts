import { productToCents, numberToPlain, ratioRound2, roundHalfAway, exactDifferenceExceeds } from '../../src/util/decimal';

describe('productToCents', () => {
  it('rounds half away from zero on the exact decimal product', () => {
    expect(productToCents(1.005, '1.0')).toBe(101); // a double says 1.00499..
    expect(productToCents(44.97, '1.08')).toBe(4857); // 48.5676
    expect(productToCents(2, 19.99, '1.08')).toBe(4318); // 43.1784
    expect(productToCents(2.5, '1.27')).toBe(318); // 3.175 exactly -> 3.18
    expect(productToCents(-2.5, '1.27')).toBe(-318);
    expect(productToCents(1000, '0.0067')).toBe(670);
    expect(productToCents(0.5, '0.012')).toBe(1); // 0.006 -> 0.01
    expect(productToCents(0.4, '0.012')).toBe(0); // 0.0048 -> 0.00
  });
  it('falls back to exact big integers when digits would overflow a double', () => {
    expect(productToCents(123456789.123456, 3, '0.0067')).toBe(248148146); // 2481481.4613821 -> 2481481.46
  });
});

describe('numberToPlain', () => {
  it('writes exponent forms as plain decimals', () => {
    expect(numberToPlain(1e-7)).toBe('0.0000001');
    expect(numberToPlain(1.5e21)).toBe('1500000000000000000000');
    expect(numberToPlain(19.99)).toBe('19.99');
  });
  it('rejects non-finite numbers', () => {
    expect(() => numberToPlain(Infinity)).toThrow('expected a finite number, got Infinity');
  });
});

describe('ratioRound2', () => {
  it('is null over zero and rounds ties away from zero', () => {
    expect(ratioRound2(1, 0)).toBeNull();
    expect(ratioRound2(100, 3)).toBe(33.33);
    expect(ratioRound2(1, 8)).toBe(0.13); // 0.125
    expect(ratioRound2(200, 3)).toBe(66.67);
  });
});

describe('roundHalfAway', () => {
  it('rounds .5 away from zero on both sides', () => {
    expect(roundHalfAway(2.5)).toBe(3);
    expect(roundHalfAway(-2.5)).toBe(-3);
    expect(roundHalfAway(-2.4)).toBe(-2);
  });
});

describe('exactDifferenceExceeds', () => {
  it('decides the 0.01 boundary exactly', () => {
    expect(exactDifferenceExceeds([10.01], [10], '0.01')).toBe(false);
    expect(exactDifferenceExceeds([10.011], [10], '0.01')).toBe(true);
    expect(exactDifferenceExceeds([10], ['10.02'], '0.01')).toBe(true);
  });
});
