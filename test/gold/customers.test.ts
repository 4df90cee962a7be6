import { applyDateDeltas, dateSetsOf, K, type DateSets } from '../../src/gold/customers';

const d = (day: number) => `2026-01-${String(day).padStart(2, '0')}`;
const sets = (days: number[]): DateSets => dateSetsOf(days.map((x) => [d(x), 1]));

describe('dateSetsOf', () => {
  it(`keeps every date up to ${K}, else the ${K} earliest and latest`, () => {
    expect(sets([3, 1, 2])).toEqual({ f: [[d(1), 1], [d(2), 1], [d(3), 1]], l: [[d(1), 1], [d(2), 1], [d(3), 1]], all: true });
    expect(sets([1, 2, 3, 4, 5, 6, 7])).toEqual({ f: [1, 2, 3, 4].map((x) => [d(x), 1]), l: [4, 5, 6, 7].map((x) => [d(x), 1]), all: false });
  });
});

describe('applyDateDeltas', () => {
  it('takes a cancelled first date away and keeps the next one (the case a single min cannot follow)', () => {
    const after = applyDateDeltas(sets([1, 2, 3, 4, 5, 6, 7]), new Map([[d(1), -1]]), 6);
    expect(after).toEqual({ f: [2, 3, 4].map((x) => [d(x), 1]), l: [4, 5, 6, 7].map((x) => [d(x), 1]), all: false });
  });

  it('adds an earlier date, a later date, and a date inside the kept earliest ones', () => {
    const after = applyDateDeltas(sets([10, 11, 12, 13, 14, 15, 16]), new Map([[d(2), 1], [d(20), 2], [d(11), 1]]), 10);
    expect(after).toEqual({ f: [[d(2), 1], [d(10), 1], [d(11), 2], [d(12), 1]], l: [[d(14), 1], [d(15), 1], [d(16), 1], [d(20), 2]], all: false });
  });

  it('does not add a date between the kept earliest and latest ones (it might not be the next)', () => {
    const after = applyDateDeltas(sets([1, 2, 3, 4, 20, 21, 22, 23]), new Map([[d(10), 1]]), 9) as DateSets;
    expect(after.f.map(([x]) => x)).toEqual([d(1), d(2), d(3), d(4)]);
    expect(after.l.map(([x]) => x)).toEqual([d(20), d(21), d(22), d(23)]);
  });

  it('asks for a recompute when every kept earliest date is gone but orders remain', () => {
    expect(applyDateDeltas(sets([1, 2, 3, 4, 5, 6, 7, 8, 9]), new Map([1, 2, 3, 4].map((x) => [d(x), -1])), 5)).toBe('recompute');
  });

  it('keeps a complete set complete while it fits, and forgets a customer without orders', () => {
    expect(applyDateDeltas(sets([1, 2]), new Map([[d(5), 1]]), 3)).toEqual(sets([1, 2, 5]));
    expect(applyDateDeltas(sets([1, 2, 3, 4]), new Map([[d(5), 1]]), 5)).toEqual(sets([1, 2, 3, 4, 5]));
    expect(applyDateDeltas(sets([1]), new Map([[d(1), -1]]), 0)).toEqual({ f: [], l: [], all: true });
  });
});
