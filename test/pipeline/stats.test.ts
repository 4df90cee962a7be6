import { latestCommittedAt, statsOf } from '../../src/pipeline/stats';
import { emptyCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';

const commit = (batchId: string, committedAt: string, written: number, codes: Record<string, number> = {}): BatchCommit => ({
  batchId, partition: '0', sequences: [[0, 0]], bronzeFile: 'b', files: [], dataQuality: [], orderDates: [], committedAt,
  counts: { ...emptyCounts(), received: written, written, codes },
});

describe('latestCommittedAt', () => {
  it('is the newest commit time, whatever the order, and null without commits', () => {
    const all = [commit('a', '2026-03-05T10:00:00.000Z', 1), commit('b', '2026-03-06T09:00:00.000Z', 1), commit('c', '2026-03-05T23:00:00.000Z', 1)];
    expect([latestCommittedAt(all), latestCommittedAt([])]).toEqual(['2026-03-06T09:00:00.000Z', null]);
  });
});

describe('statsOf', () => {
  it('sums the counts of every commit, codes sorted by name', () => {
    const s = statsOf([commit('a', '2026-03-05T10:00:00.000Z', 3, { test_order: 1 }), commit('b', '2026-03-05T11:00:00.000Z', 4, { invalid_email: 2, test_order: 1 })]);
    expect(s).toEqual({ received: 7, written: 7, quarantined: 0, dropped: 0, duplicates: 0, warned: 0, malformed: 0, batches: 2, codes: { invalid_email: 2, test_order: 2 } });
    expect(Object.keys(s.codes)).toEqual(['invalid_email', 'test_order']);
  });
});
