// The data-quality rows new silver commits bring to gold: summed per (ingest_date, code,
// action) before they reach SQL. The rows of every commit one by one made a VALUES list as long
// as the commits were many: a catch-up run over 14,000 commits (10M events) built a statement of
// about 100,000 tuples, and DuckDB took 23 s and 800 MB to parse and plan it. Summed, the list
// is as long as the distinct keys (ingest dates × codes × actions), whatever the commits.
import type { BatchCommit, DataQualityRow } from '../pipeline/ports';

/** The commits' data-quality rows, minus those of the commits they replaced, summed per key; zero sums left out; in key order. */
export function netDataQuality(commits: readonly BatchCommit[]): DataQualityRow[] {
  const sums = new Map<string, DataQualityRow>();
  const add = (r: DataQualityRow, sign: 1 | -1) => {
    const key = `${r.ingest_date}\u0000${r.code}\u0000${r.action}`;
    const row = sums.get(key) ?? { ingest_date: r.ingest_date, code: r.code, action: r.action, records: 0 };
    row.records += sign * r.records;
    sums.set(key, row);
  };
  for (const c of commits) {
    for (const r of c.dataQuality) add(r, 1);
    for (const r of c.replaces?.dataQuality ?? []) add(r, -1);
  }
  return [...sums.entries()]
    .filter(([, r]) => r.records !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}
