import { productToCents, productToAmount, exactProduct, numberToPlain, ratioRound2, roundHalfAway, exactDifferenceExceeds } from '../../src/util/decimal';

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
  it('takes an order of 200,000 lines (found by a hunt: the stack overflowed past about 120,000)', () => {
    const lines = new Array<number>(200_000).fill(1);
    expect(exactDifferenceExceeds(lines, ['200000.01'], '0.01')).toBe(false);
    expect(exactDifferenceExceeds(lines, ['200000.011'], '0.01')).toBe(true);
  });
});

describe('productToAmount', () => {
  it('is the rounded cents / 100 while the cents are a safe integer', () => {
    expect(productToAmount(44.97, '1.08')).toBe(48.57);
    expect(productToAmount('0.005', 1)).toBe(0.01);
    expect(productToAmount(-0.005, 1)).toBe(-0.01);
  });

  it("is the exact amount's nearest double past 2^53 cents, where cents / 100 rounds twice", () => {
    expect(productToCents(123456789012345.67, 1) / 100).toBe(123456789012345.69);
    expect(productToAmount(123456789012345.67, 1)).toBe(123456789012345.67);
    expect(productToAmount(123456789012345.67, '1.08')).toBe(Number('133333332133333.32')); // ...3.3236 -> .32
    expect(productToAmount(-123456789012345.67, '1.27')).toBe(-156790122045679); // -156790122045679.0009 -> .00
  });

  it('keeps finite amounts whose cents pass the largest double, where cents / 100 is Infinity', () => {
    expect(productToCents(1e307, '1.08')).toBe(Infinity);
    expect(productToAmount(1e307, '1.08')).toBe(1.08e307);
    expect(productToAmount(Number.MAX_VALUE, '1.27')).toBe(Infinity);
  });
});

describe('exactProduct', () => {
  it('multiplies decimals exactly, as plain text, whatever the shortest form of each', () => {
    expect(exactProduct(1, 1e-7)).toBe('0.0000001');
    expect(exactProduct(0.0000001, 1)).toBe('0.0000001');
    expect(exactProduct(3, '-0.5')).toBe('-1.5');
    expect(exactProduct('0.10', 3)).toBe('0.30');
    expect(exactProduct(1000, 100000)).toBe('100000000');
    expect(exactProduct(2.5, 1e21)).toBe('2500000000000000000000.0');
  });
});
