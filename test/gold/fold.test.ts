import { chooseFolds, commitsBetween, earliestPositions, neededFrom, oldestDeferred, policyAt, type DeferredDate } from '../../src/gold/fold';
import { emptyCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';
import type { WorkRange } from '../../src/gold/ranges';

const commit = (partition: string, seq: number | undefined): BatchCommit => ({
  batchId: `p${partition}-${seq}`, partition, ...(seq !== undefined ? { seq } : {}), sequences: [], bronzeFile: 'b', files: [], orderDates: [], dataQuality: [],
  counts: emptyCounts(), committedAt: '2026-03-05T00:00:00.000Z',
});
const deferred = (date: string, since: number, after: Record<string, number> = {}): DeferredDate => ({ date, since, cursor: `c${since}`, after });
const range = (lo: string, hi: string, orders: number): WorkRange => ({ month: lo.slice(0, 7), lo, hi, orders, files: {} });

describe('commitsBetween', () => {
  it('keeps the commits after one position and up to another, per partition, and those without a number', () => {
    const commits = [commit('0', 1), commit('0', 2), commit('0', 3), commit('1', 1), commit('1', 2), commit('2', 1), commit('3', undefined)];
    expect(commitsBetween(commits, { 0: 1, 1: 0 }, { 0: 2, 1: 2, 2: 0 }).map((c) => c.batchId)).toEqual(['p0-2', 'p1-1', 'p1-2', 'p3-undefined']);
  });
});

describe('earliestPositions', () => {
  it('takes the lower position of each partition, 0 where one of them has none', () => {
    expect(earliestPositions([{ 0: 5, 1: 2 }, { 0: 3, 1: 4, 2: 1 }])).toEqual({ 0: 3, 1: 2, 2: 0 });
    expect(earliestPositions([])).toEqual({});
  });
});

describe('oldestDeferred', () => {
  it('is the date deferred by the earliest run (then the earliest date)', () => {
    expect(oldestDeferred([deferred('2026-02-03', 9), deferred('2026-02-05', 4), deferred('2026-02-01', 4)])?.date).toBe('2026-02-01');
    expect(oldestDeferred([])).toBeUndefined();
  });
});

describe('policyAt', () => {
  it('makes hot the UTC dates from hotDays days before now', () => {
    expect(policyAt({ hotDays: 0, coldOrdersPerRun: 7 }, new Date('2026-03-10T23:30:00Z'))).toEqual({ hotFrom: '2026-03-10', coldOrdersPerRun: 7 });
    expect(policyAt({ hotDays: 2, coldOrdersPerRun: 7 }, new Date('2026-03-01T01:00:00Z'))).toEqual({ hotFrom: '2026-02-27', coldOrdersPerRun: 7 });
  });
});

describe('neededFrom', () => {
  it('is the oldest deferred date\'s cursor, else gold\'s own', () => {
    expect(neededFrom([deferred('2026-02-03', 9), deferred('2026-02-05', 4)], 'b900')).toBe('c4');
    expect(neededFrom([], 'b900')).toBe('b900');
    expect(neededFrom([{ ...deferred('2026-02-05', 4), cursor: undefined }], 'b900')).toBeUndefined();
  });
});

describe('chooseFolds', () => {
  const ranges = [range('2026-02-01', '2026-02-03', 40), range('2026-02-04', '2026-02-10', 70), range('2026-02-11', '2026-02-28', 30)];

  it('takes the oldest dates first until their ranges hold the budget, each range counted once', () => {
    const d = [deferred('2026-02-11', 3), deferred('2026-02-02', 1), deferred('2026-02-01', 2), deferred('2026-02-05', 2)];
    // 02-02 (run 1, range of 40), 02-01 (same range: 0 more), 02-05 (70 more: 110 > 100, stop)
    expect(chooseFolds(d, ranges, 100)).toEqual(['2026-02-02', '2026-02-01']);
    expect(chooseFolds(d, ranges, 110)).toEqual(['2026-02-02', '2026-02-01', '2026-02-05']);
    expect(chooseFolds(d, ranges, 1000)).toEqual(['2026-02-02', '2026-02-01', '2026-02-05', '2026-02-11']);
  });

  it('takes at least one date, however large its range, and a date in no range costs nothing', () => {
    expect(chooseFolds([deferred('2026-02-05', 1), deferred('2026-01-20', 2)], ranges, 10)).toEqual(['2026-02-05']);
    expect(chooseFolds([deferred('2026-01-20', 1), deferred('2026-02-05', 2)], ranges, 10)).toEqual(['2026-01-20']);
    expect(chooseFolds([deferred('2026-01-20', 1), deferred('2026-01-21', 2)], ranges, 0)).toEqual(['2026-01-20', '2026-01-21']);
    expect(chooseFolds([], ranges, 10)).toEqual([]);
  });
});
