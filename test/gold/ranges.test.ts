import { planRewrites, cutRanges, overlappingMonths, type WorkRange } from '../../src/gold/ranges';

const range = (lo: string, hi: string, orders: number): WorkRange => ({ month: lo.slice(0, 7), lo, hi, orders, files: { orders: `o-${lo}` } });

describe('planRewrites', () => {
  const ranges = [range('2026-03-01', '2026-03-10', 500), range('2026-03-11', '2026-03-20', 50), range('2026-03-21', '2026-03-31', 500), range('2026-04-01', '2026-04-30', 900)];

  it('rewrites the range holding a changed date, folding in a small neighbour, month by month', () => {
    expect(planRewrites(ranges, ['2026-03-05'], 100)).toEqual([{ month: '2026-03', replaces: [ranges[0], ranges[1]], lo: '2026-03-01', hi: '2026-03-20' }]);
    expect(planRewrites(ranges, ['2026-03-25', '2026-04-02'], 10)).toEqual([
      { month: '2026-03', replaces: [ranges[2]], lo: '2026-03-21', hi: '2026-03-31' },
      { month: '2026-04', replaces: [ranges[3]], lo: '2026-04-01', hi: '2026-04-30' },
    ]);
  });

  it('starts a range for a month without one, and joins a gap date to the nearest range', () => {
    expect(planRewrites(ranges, ['2026-05-09', '2026-05-02'], 10)).toEqual([{ month: '2026-05', replaces: [], lo: '2026-05-02', hi: '2026-05-09' }]);
    const gappy = [range('2026-06-01', '2026-06-05', 500), range('2026-06-20', '2026-06-30', 500)];
    expect(planRewrites(gappy, ['2026-06-17'], 10)).toEqual([{ month: '2026-06', replaces: [gappy[1]], lo: '2026-06-17', hi: '2026-06-30' }]);
  });

  it('starts a range for a gap date whose nearest range is full, instead of rewriting that range', () => {
    // At 1,000 events/s each date is a range of its own, millions of orders: today's first
    // event must not rewrite yesterday's range (cut off again right after).
    const days = [range('2026-03-01', '2026-03-03', 900), range('2026-03-04', '2026-03-04', 1000)];
    expect(planRewrites(days, ['2026-03-05'], 10, 1000)).toEqual([{ month: '2026-03', replaces: [], lo: '2026-03-05', hi: '2026-03-05' }]);
    expect(planRewrites(days, ['2026-03-05'], 10, 1001)).toEqual([{ month: '2026-03', replaces: [days[1]], lo: '2026-03-04', hi: '2026-03-05' }]);
    // A full range changed anyway still takes the gap date beside it in the same rewrite.
    expect(planRewrites(days, ['2026-03-04', '2026-03-05'], 10, 1000)).toEqual([{ month: '2026-03', replaces: [days[1]], lo: '2026-03-04', hi: '2026-03-05' }]);
  });

  it('joins a gap date to the farther neighbour when the nearer one is full, never to a range beyond a full one', () => {
    const month = [range('2026-04-01', '2026-04-02', 100), range('2026-04-03', '2026-04-05', 1000), range('2026-04-12', '2026-04-20', 300), range('2026-04-25', '2026-04-30', 100)];
    // 04-06 is 1 day past the full range and 6 days before the one with room.
    expect(planRewrites(month, ['2026-04-06'], 10, 1000)).toEqual([{ month: '2026-04', replaces: [month[2]], lo: '2026-04-06', hi: '2026-04-20' }]);
    // Both neighbours with room: the nearer (04-22 is 2 days after 04-20, 3 before 04-25); a tie goes to the earlier.
    expect(planRewrites(month, ['2026-04-22'], 10, 1000)).toEqual([{ month: '2026-04', replaces: [month[2]], lo: '2026-04-12', hi: '2026-04-22' }]);
    expect(planRewrites(month, ['2026-04-23'], 10, 1000)).toEqual([{ month: '2026-04', replaces: [month[3]], lo: '2026-04-23', hi: '2026-04-30' }]);
    expect(planRewrites(month, ['2026-04-21'], 10, 1000)).toEqual([{ month: '2026-04', replaces: [month[2]], lo: '2026-04-12', hi: '2026-04-21' }]);
    // Only full neighbours: a range of its own, even though a range with room lies beyond.
    const full = [range('2026-04-01', '2026-04-02', 100), range('2026-04-03', '2026-04-05', 1000), range('2026-04-12', '2026-04-20', 1000)];
    expect(planRewrites(full, ['2026-04-08'], 10, 1000)).toEqual([{ month: '2026-04', replaces: [], lo: '2026-04-08', hi: '2026-04-08' }]);
  });

  it('rewrites ranges of a month that an untouched range separates apart, so no new range spans the untouched one', () => {
    const three = [range('2026-03-01', '2026-03-10', 500), range('2026-03-11', '2026-03-20', 500), range('2026-03-21', '2026-03-31', 500)];
    expect(planRewrites(three, ['2026-03-25', '2026-03-05'], 10)).toEqual([
      { month: '2026-03', replaces: [three[0]], lo: '2026-03-01', hi: '2026-03-10' },
      { month: '2026-03', replaces: [three[2]], lo: '2026-03-21', hi: '2026-03-31' },
    ]);
    // Touching ranges, and a gap date beside one, stay one rewrite.
    expect(planRewrites(three, ['2026-03-05', '2026-03-15'], 10)).toEqual([{ month: '2026-03', replaces: [three[0], three[1]], lo: '2026-03-01', hi: '2026-03-20' }]);
    const gappy = [range('2026-06-01', '2026-06-05', 500), range('2026-06-10', '2026-06-12', 500), range('2026-06-20', '2026-06-30', 500)];
    expect(planRewrites(gappy, ['2026-06-03', '2026-06-07', '2026-06-25'], 10)).toEqual([
      { month: '2026-06', replaces: [gappy[0]], lo: '2026-06-01', hi: '2026-06-07' },
      { month: '2026-06', replaces: [gappy[2]], lo: '2026-06-20', hi: '2026-06-30' },
    ]);
  });

  it('plans nothing without a change', () => {
    expect(planRewrites(ranges, [], 100)).toEqual([]);
  });
});

describe('cutRanges', () => {
  it('cuts at date boundaries so each range holds at most the limit, and leaves no gap', () => {
    expect(cutRanges('2026-03-01', '2026-03-31', [['2026-03-02', 40], ['2026-03-03', 40], ['2026-03-10', 30], ['2026-03-20', 90]], 100)).toEqual([
      { lo: '2026-03-01', hi: '2026-03-03', orders: 80 },
      { lo: '2026-03-04', hi: '2026-03-10', orders: 30 },
      { lo: '2026-03-11', hi: '2026-03-31', orders: 90 },
    ]);
  });

  it('keeps a date larger than the limit alone, and a whole small month in one range', () => {
    expect(cutRanges('2026-03-01', '2026-03-31', [['2026-03-05', 500], ['2026-03-06', 1]], 100)).toEqual([
      { lo: '2026-03-01', hi: '2026-03-05', orders: 500 }, { lo: '2026-03-06', hi: '2026-03-31', orders: 1 },
    ]);
    expect(cutRanges('2026-03-01', '2026-03-31', [['2026-03-05', 5], ['2026-03-29', 5]], 100)).toEqual([{ lo: '2026-03-01', hi: '2026-03-31', orders: 10 }]);
    expect(cutRanges('2026-03-01', '2026-03-31', [], 100)).toEqual([]);
  });

  it('refuses a date outside the rewrite', () => {
    expect(() => cutRanges('2026-03-01', '2026-03-10', [['2026-03-11', 1]], 100)).toThrow('expected order dates within 2026-03-01..2026-03-10 for this rewrite, got 2026-03-11');
  });
});

describe('overlappingMonths', () => {
  it('names the months in which two ranges claim a date', () => {
    expect(overlappingMonths([range('2026-02-01', '2026-02-10', 1), range('2026-02-11', '2026-02-28', 1), range('2026-03-01', '2026-03-31', 1), range('2026-03-31', '2026-03-31', 1)])).toEqual(new Set(['2026-03']));
    expect(overlappingMonths([range('2026-02-01', '2026-02-10', 1), range('2026-02-11', '2026-02-28', 1)])).toEqual(new Set());
  });
});
