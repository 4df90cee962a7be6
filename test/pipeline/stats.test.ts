import { latestCommittedAt, statsOf } from '../../src/pipeline/stats';
import { advanceHead, emptyHead } from '../../src/pipeline/heads';
import { emptyCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';

const commit = (batchId: string, partition: string, committedAt: string, written: number, codes: Record<string, number> = {}): BatchCommit => ({
  batchId, partition, sequences: [[0, 0]], bronzeFile: 'b', files: [], dataQuality: [], orderDates: [], committedAt,
  counts: { ...emptyCounts(), received: written, written, codes },
});

describe('latestCommittedAt', () => {
  it('is the newest commit time over every head, and null without commits', () => {
    const h0 = advanceHead(advanceHead(emptyHead('0'), commit('a', '0', '2026-03-05T10:00:00.000Z', 1)), commit('c', '0', '2026-03-05T23:00:00.000Z', 1));
    const h1 = advanceHead(emptyHead('1'), commit('b', '1', '2026-03-06T09:00:00.000Z', 1));
    expect([latestCommittedAt([h0, h1]), latestCommittedAt([emptyHead('0')]), latestCommittedAt([])]).toEqual(['2026-03-06T09:00:00.000Z', null, null]);
  });
});

describe('statsOf', () => {
  it('sums the totals of every head, codes sorted by name, zero codes left out', () => {
    const h0 = advanceHead(emptyHead('0'), commit('a', '0', '2026-03-05T10:00:00.000Z', 3, { test_order: 1 }));
    const h1 = advanceHead(emptyHead('1'), commit('b', '1', '2026-03-05T11:00:00.000Z', 4, { invalid_email: 2, test_order: 1, total_mismatch: 0 }));
    const s = statsOf([h0, h1]);
    expect(s).toEqual({ received: 7, written: 7, quarantined: 0, dropped: 0, duplicates: 0, warned: 0, malformed: 0, batches: 2, codes: { invalid_email: 2, test_order: 2 } });
    expect(Object.keys(s.codes)).toEqual(['invalid_email', 'test_order']);
  });
});
