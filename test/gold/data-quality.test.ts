import { netDataQuality } from '../../src/gold/data-quality';
import type { BatchCommit, DataQualityRow } from '../../src/pipeline/ports';
import { emptyCounts } from '../../src/silver/refine';

const dq = (ingest_date: string, code: string, action: string, records: number): DataQualityRow => ({ ingest_date, code, action, records });

function commit(n: number, dataQuality: DataQualityRow[], replaced?: DataQualityRow[]): BatchCommit {
  return {
    batchId: `b${n}`, partition: '0', sequences: [[n, n]], bronzeFile: `bronze/${n}.jsonl`, files: [], orderDates: [],
    counts: emptyCounts(), committedAt: '2026-03-05T00:00:00.000Z', dataQuality,
    ...(replaced ? { replaces: { committedAt: 'x', counts: emptyCounts(), dataQuality: replaced, files: [], orderDates: [] } } : {}),
  };
}

describe('netDataQuality', () => {
  it('sums the rows of every commit per ingest date, code and action, in key order', () => {
    const commits = [
      commit(1, [dq('2026-03-05', 'missing_field', 'quarantined', 2), dq('2026-03-04', 'bad_currency', 'quarantined', 1)]),
      commit(2, [dq('2026-03-05', 'missing_field', 'quarantined', 3), dq('2026-03-05', 'missing_field', 'warned', 1)]),
    ];
    expect(netDataQuality(commits)).toEqual([
      dq('2026-03-04', 'bad_currency', 'quarantined', 1),
      dq('2026-03-05', 'missing_field', 'quarantined', 5),
      dq('2026-03-05', 'missing_field', 'warned', 1),
    ]);
  });

  it('takes away the rows of the commits a replay replaced, and leaves out keys that net to zero', () => {
    const commits = [
      commit(1, [dq('2026-03-05', 'missing_field', 'quarantined', 4)]),
      commit(2, [dq('2026-03-05', 'missing_field', 'quarantined', 1), dq('2026-03-05', 'bad_currency', 'quarantined', 2)], [dq('2026-03-05', 'missing_field', 'quarantined', 4), dq('2026-03-05', 'bad_currency', 'quarantined', 2)]),
    ];
    expect(netDataQuality(commits)).toEqual([dq('2026-03-05', 'missing_field', 'quarantined', 1)]);
    // A replay whose commit is not among these comes out negative: the table's earlier rows hold the rest.
    expect(netDataQuality([commits[1]!])).toEqual([dq('2026-03-05', 'missing_field', 'quarantined', -3)]);
  });

  it('is as long as the distinct keys, however many commits', () => {
    const many = Array.from({ length: 14_000 }, (_, i) => commit(i, [dq(`2026-03-0${1 + (i % 3)}`, 'missing_field', 'quarantined', 1), dq('2026-03-01', 'bad_currency', 'warned', 2)]));
    expect(netDataQuality(many)).toEqual([
      dq('2026-03-01', 'bad_currency', 'warned', 28_000),
      dq('2026-03-01', 'missing_field', 'quarantined', 4_667),
      dq('2026-03-02', 'missing_field', 'quarantined', 4_667),
      dq('2026-03-03', 'missing_field', 'quarantined', 4_666),
    ]);
  });
});
