import { advanceHead, emptyHead, netCounts, subtractCounts } from '../../src/pipeline/heads';
import { emptyCounts, type BatchCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';

const counts = (received: number, written: number, codes: Record<string, number> = {}): BatchCounts => ({ ...emptyCounts(), received, written, quarantined: received - written, codes });
const commit = (batchId: string, sequences: Array<[number, number]>, c: BatchCounts, extra: Partial<BatchCommit> = {}): BatchCommit => ({
  batchId, partition: '0', sequences, bronzeFile: 'b', files: [], counts: c, dataQuality: [], orderDates: [], committedAt: '2026-03-05T10:00:00.000Z', ...extra,
});

describe('emptyHead', () => {
  it('is seq 0 with nothing committed', () => {
    expect(emptyHead('3')).toEqual({ partition: '3', seq: 0, ranges: [], totals: emptyCounts(), batches: 0, lastCommitAt: null });
  });
});

describe('advanceHead', () => {
  it('numbers commits, merges ranges and adds counts', () => {
    const h = advanceHead(advanceHead(emptyHead('0'), commit('a', [[0, 9]], counts(10, 8, { invalid_region: 2 }))), commit('b', [[10, 14], [20, 20]], counts(6, 6)));
    expect(h).toEqual({ partition: '0', seq: 2, ranges: [[0, 14], [20, 20]], totals: { ...counts(16, 14, { invalid_region: 2 }) }, batches: 2, lastCommitAt: '2026-03-05T10:00:00.000Z' });
  });

  it('replaces the counts of a replayed batch instead of adding them, and adds no batch', () => {
    const first = advanceHead(emptyHead('0'), commit('a', [[0, 9]], counts(10, 8, { invalid_region: 2 })));
    const replay = commit('a', [[0, 9]], counts(10, 10), { committedAt: '2026-03-06T00:00:00.000Z', replaces: { committedAt: '2026-03-05T10:00:00.000Z', counts: counts(10, 8, { invalid_region: 2 }), dataQuality: [], files: [], orderDates: [] } });
    expect(advanceHead(first, replay)).toEqual({ partition: '0', seq: 2, ranges: [[0, 9]], totals: counts(10, 10), batches: 1, lastCommitAt: '2026-03-06T00:00:00.000Z' });
  });

  it('refuses a commit of another partition', () => {
    expect(() => advanceHead(emptyHead('1'), commit('a', [[0, 0]], counts(1, 1)))).toThrow('expected a commit of partition 1, got one of 0 (batch a)');
  });
});

describe('netCounts and subtractCounts', () => {
  it('take a replaced commit off, code by code', () => {
    expect(subtractCounts(counts(5, 3, { a: 2, b: 1 }), counts(2, 1, { a: 1, b: 1 }))).toEqual(counts(3, 2, { a: 1 }));
    expect(netCounts(commit('x', [[0, 0]], counts(1, 1)))).toEqual(counts(1, 1));
  });
});
