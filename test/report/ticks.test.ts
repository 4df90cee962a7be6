import fc from 'fast-check';
import { niceTicks, tickLabel, labelValue, markLabel, exactLabel } from '../../src/report/ticks';

describe('niceTicks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten from 0 to the first tick at or above the max', () => {
    expect(niceTicks(2304)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(2304, 5)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(1250)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(niceTicks(9)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(1_300_997.3)).toEqual([0, 500_000, 1_000_000, 1_500_000]);
    expect(niceTicks(29_000, 3)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('has no floating-point noise in small steps', () => {
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0.07)).toEqual([0, 0.02, 0.04, 0.06, 0.08]);
  });

  it('gives a 0..1 scale when there is nothing above zero', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(-5)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });

  it('always covers the max with evenly spaced ticks whose labels state them exactly', () => {
    fc.assert(fc.property(fc.double({ min: 1e-4, max: 1e10, noNaN: true }), fc.integer({ min: 2, max: 6 }), (max, target) => {
      const ticks = niceTicks(max, target);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(max * (1 - 1e-12));
      expect(ticks.length).toBeLessThanOrEqual(target * 2 + 2);
      const step = ticks[1]!;
      ticks.forEach((t, i) => expect(Math.abs(t - i * step)).toBeLessThanOrEqual(step * 1e-9));
      for (const t of ticks) expect(labelValue(tickLabel(t))).toBe(t);
    }), { numRuns: 500 });
  });
});

describe('tickLabel', () => {
  it('states the value exactly, with k, M or B for thousands, millions and billions', () => {
    expect([0, 500, 1000, 1250, 1500, 2500, 10_000, 750_000, 1_250_000, 2_000_000_000].map((v) => tickLabel(v)))
      .toEqual(['0', '500', '1k', '1.25k', '1.5k', '2.5k', '10k', '750k', '1.25M', '2B']);
  });

  it('never rounds: 1,250 is not 1.3k', () => {
    expect(tickLabel(1250)).not.toBe('1.3k');
    expect(tickLabel(0.025)).toBe('0.025');
    expect(tickLabel(0.1 + 0.2)).toBe('0.3');
  });

  it('puts the suffix after the number', () => {
    expect(tickLabel(7.5, '%')).toBe('7.5%');
  });
});

describe('labelValue', () => {
  it('reads an axis label back', () => {
    expect(['0', '1.25k', '2.5M', '2B', '7.5%', '0.025'].map(labelValue)).toEqual([0, 1250, 2_500_000, 2_000_000_000, 7.5, 0.025]);
  });

  it('says what it expected when the text is no axis label', () => {
    expect(() => labelValue('1.3 thousand')).toThrow('expected an axis label such as 1.25k, 2.5M or 7.5%, got "1.3 thousand"');
  });
});

describe('markLabel', () => {
  it('prints values below 10,000 as they are and larger ones with 3 significant digits', () => {
    expect([0, 76.2, 625, 2345, 9999.99, 10_000, 12_345.67, 183_412, 999_999, 1_312_457, 1_300_997.3, 2_000_000_000].map(markLabel))
      .toEqual(['0', '76.2', '625', '2,345', '9,999.99', '10.0k', '12.3k', '183k', '1.00M', '1.31M', '1.30M', '2.00B']);
  });
});

describe('exactLabel', () => {
  it('prints the value with separators and its cents', () => {
    expect(exactLabel(1_312_457.25)).toBe('1,312,457.25');
    expect(exactLabel(12)).toBe('12');
  });
});
