import { chooseFolds, policyAt, stagedFor, type DeferredDate, type StagedChanges } from '../../src/gold/fold';
import { planRewrites, type WorkRange } from '../../src/gold/ranges';

const deferred = (date: string, since: number, at?: string, orders?: number): DeferredDate => ({ date, since, ...(at ? { at } : {}), ...(orders !== undefined ? { orders } : {}) });
const range = (lo: string, hi: string, orders: number): WorkRange => ({ month: lo.slice(0, 7), lo, hi, orders, files: {} });

describe('stagedFor', () => {
  it('takes from each staged file the waiting dates it holds that were deferred by its run or earlier', () => {
    const staged: StagedChanges[] = [
      { run: 3, lo: '2026-02-01', hi: '2026-02-20', events: 'e3' },
      { run: 4, lo: '2026-02-10', hi: '2026-02-12', events: 'e4', lines: 'l4' },
      { run: 5, lo: '2026-01-05', hi: '2026-01-31', events: 'e5' },
      { run: 6, lo: '2026-02-13', hi: '2026-03-02', lines: 'l6' },
    ];
    const take = (waiting: Array<{ date: string; since: number }>) => stagedFor(staged, waiting).map((s) => [s.changes.run, s.dates]);
    expect(take([{ date: '2026-02-12', since: 4 }, { date: '2026-02-20', since: 4 }])).toEqual([[4, ['2026-02-12']], [6, ['2026-02-20']]]);
    // Run 3 holds 02-12 too, from before that date was deferred (run 4): not taken from it.
    expect(take([{ date: '2026-02-12', since: 3 }, { date: '2026-02-13', since: 1 }])).toEqual([[3, ['2026-02-12', '2026-02-13']], [4, ['2026-02-12']], [6, ['2026-02-13']]]);
    expect(take([{ date: '2026-03-03', since: 1 }])).toEqual([]);
    expect(take([{ date: '2026-02-15', since: 7 }])).toEqual([]);
    expect(take([])).toEqual([]);
  });
});

describe('policyAt', () => {
  it('makes hot the UTC dates from hotDays days before now, and overdue the dates deferred over a day ago', () => {
    expect(policyAt({ hotDays: 0, coldOrdersPerRun: 7 }, new Date('2026-03-10T23:30:00Z'))).toEqual({ hotFrom: '2026-03-10', coldOrdersPerRun: 7, overdueBefore: '2026-03-09T23:30:00.000Z' });
    expect(policyAt({ hotDays: 2, coldOrdersPerRun: 7 }, new Date('2026-03-01T01:00:00Z'))).toMatchObject({ hotFrom: '2026-02-27', coldOrdersPerRun: 7 });
  });
});

describe('chooseFolds', () => {
  const ranges = [range('2026-02-01', '2026-02-03', 40), range('2026-02-04', '2026-02-10', 70), range('2026-02-11', '2026-02-28', 30)];
  /** The range holding a date, as planRewrites has it without small neighbours or gaps. */
  const holding = (list: readonly WorkRange[]) => (d: string) => list.filter((r) => r.lo <= d && d <= r.hi);

  it('takes the oldest dates first until their ranges hold the budget, each range counted once', () => {
    const d = [deferred('2026-02-11', 3), deferred('2026-02-02', 1), deferred('2026-02-01', 2), deferred('2026-02-05', 2)];
    // 02-02 (run 1, range of 40), 02-01 (same range: 0 more), 02-05 (70 more: 110 > 100, stop)
    expect(chooseFolds(d, holding(ranges), 100)).toEqual(['2026-02-02', '2026-02-01']);
    expect(chooseFolds(d, holding(ranges), 110)).toEqual(['2026-02-02', '2026-02-01', '2026-02-05']);
    expect(chooseFolds(d, holding(ranges), 1000)).toEqual(['2026-02-02', '2026-02-01', '2026-02-05', '2026-02-11']);
  });

  it('takes at least one date, however large its range; a date in no range (its orders unknown) only as the one date', () => {
    expect(chooseFolds([deferred('2026-02-05', 1), deferred('2026-01-20', 2)], holding(ranges), 10)).toEqual(['2026-02-05']);
    expect(chooseFolds([deferred('2026-01-20', 1), deferred('2026-02-05', 2)], holding(ranges), 10)).toEqual(['2026-01-20']);
    expect(chooseFolds([deferred('2026-01-20', 1), deferred('2026-01-21', 2)], holding(ranges), 1_000_000)).toEqual(['2026-01-20']);
    // A free date first does not use up the run's one date: 02-05 (70, over the budget) still comes.
    expect(chooseFolds([deferred('2026-02-12', 1), deferred('2026-02-05', 2)], holding(ranges), 50, new Set([ranges[2]!]))).toEqual(['2026-02-12', '2026-02-05']);
    // In a range rewritten anyway, a date comes along after one in no range.
    expect(chooseFolds([deferred('2026-01-20', 1), deferred('2026-02-12', 2)], holding(ranges), 100, new Set([ranges[2]!]))).toEqual(['2026-01-20', '2026-02-12']);
    expect(chooseFolds([], holding(ranges), 10)).toEqual([]);
  });

  it('counts the ranges the run rewrites for hot dates first, and folds only dates that cost nothing more while they fill the budget, unless a date is overdue', () => {
    const hot = new Set([ranges[2]!]); // 30 orders rewritten anyway
    const d = [deferred('2026-02-02', 1, '2026-02-27T00:00:00Z'), deferred('2026-02-05', 2, '2026-02-28T00:00:00Z'), deferred('2026-02-12', 3, '2026-02-28T00:00:00Z')];
    // 30 + 40 = 70; 70 + 70 > 100: 02-05 waits; 02-12 is in the hot range (free) and comes along.
    expect(chooseFolds(d, holding(ranges), 100, hot)).toEqual(['2026-02-02', '2026-02-12']);
    expect(chooseFolds(d, holding(ranges), 140, hot)).toEqual(['2026-02-02', '2026-02-05', '2026-02-12']);
    // Hot ranges under the budget: one date at least, however large.
    expect(chooseFolds(d, holding(ranges), 50, hot)).toEqual(['2026-02-02', '2026-02-12']);
    // Hot ranges at or over the budget: only free dates, unless the oldest was deferred before overdueBefore (or at an unknown time).
    expect(chooseFolds(d, holding(ranges), 30, hot)).toEqual(['2026-02-12']);
    expect(chooseFolds(d, holding(ranges), 30, hot, '2026-02-27T12:00:00Z')).toEqual(['2026-02-02', '2026-02-12']);
    expect(chooseFolds(d, holding(ranges), 30, hot, '2026-02-26T00:00:00Z')).toEqual(['2026-02-12']);
    expect(chooseFolds([deferred('2026-02-05', 1)], holding(ranges), 30, hot, '2026-02-26T00:00:00Z')).toEqual(['2026-02-05']);
    // Every date overdue: the oldest alone, one a run (and the free one).
    expect(chooseFolds(d, holding(ranges), 30, hot, '2026-03-01T00:00:00Z')).toEqual(['2026-02-02', '2026-02-12']);
  });

  it('charges a date every range its rewrite replaces: the neighbour a gap date joins, and small neighbours folded in', () => {
    const gappy = [range('2026-03-01', '2026-03-05', 60), range('2026-03-06', '2026-03-08', 5), range('2026-03-20', '2026-03-31', 50)];
    const replacedBy = (d: string) => planRewrites(gappy, [d], 10, 1000).flatMap((r) => r.replaces);
    // 03-15 (4 orders staged, no range holds it) joins the range of 50 after it (5 days off; the
    // range of 5 is 7), which folds in the range of 5: 59. 03-02 rewrites the range of 60 (its
    // small neighbour counted already): 119.
    const gapDate = deferred('2026-03-15', 1, undefined, 4);
    expect(chooseFolds([gapDate, deferred('2026-03-02', 2)], replacedBy, 100)).toEqual(['2026-03-15']);
    expect(chooseFolds([gapDate, deferred('2026-03-02', 2)], replacedBy, 118)).toEqual(['2026-03-15']);
    expect(chooseFolds([gapDate, deferred('2026-03-02', 2)], replacedBy, 119)).toEqual(['2026-03-15', '2026-03-02']);
    // 03-02 costs 65 (with its small neighbour); 03-07 lies in that neighbour: nothing more; 03-15 then 54 more.
    expect(chooseFolds([deferred('2026-03-02', 1), deferred('2026-03-07', 2), deferred('2026-03-15', 3, undefined, 4)], replacedBy, 100)).toEqual(['2026-03-02', '2026-03-07']);
  });

  it("charges the dates after a month's last range, which join it, their staged orders; unknown ones only as the one date", () => {
    const may = [range('2026-05-01', '2026-05-13', 59)];
    const replacedBy = (d: string) => planRewrites(may, [d], 5_000, 50_000).flatMap((r) => r.replaces);
    const waiting = [deferred('2026-05-14', 2, undefined, 2), deferred('2026-05-15', 2, undefined, 3), deferred('2026-05-20', 2, undefined, 1)];
    // The first takes the range of 59 and its own 2; the others add their own: 65 in all.
    expect(chooseFolds(waiting, replacedBy, 65)).toEqual(['2026-05-14', '2026-05-15', '2026-05-20']);
    expect(chooseFolds(waiting, replacedBy, 64)).toEqual(['2026-05-14', '2026-05-15']);
    // Orders not yet staged (a date first seen this run): never beside another paid date.
    expect(chooseFolds([waiting[0]!, deferred('2026-05-16', 2)], replacedBy, 1_000_000)).toEqual(['2026-05-14']);
    expect(chooseFolds([deferred('2026-05-16', 1), waiting[0]!], replacedBy, 1_000_000)).toEqual(['2026-05-16']);
  });
});
