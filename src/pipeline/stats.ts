// Cumulative counts of a lake: the sum of its partition heads' running totals (each commit
// updates its partition's head atomically), so stats cost one read per source partition
// however old the lake is, and a replay's commit replaces its batch's counts, never adds.
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { CommitLog, Lake, PartitionHead } from './ports';

export interface PipelineStats extends Omit<BatchCounts, 'codes'> {
  batches: number;
  codes: Record<string, number>;
}

export async function pipelineStats(commits: CommitLog): Promise<PipelineStats> {
  return statsOf(await commits.heads());
}

/** The counts of heads a caller already holds (so it need not read them twice). */
export function statsOf(heads: readonly PartitionHead[]): PipelineStats {
  const total = emptyCounts();
  let batches = 0;
  for (const h of heads) {
    addCounts(total, h.totals);
    batches += h.batches;
  }
  const codes: Record<string, number> = {};
  for (const code of Object.keys(total.codes).sort()) if (total.codes[code]) codes[code] = total.codes[code]!;
  return {
    received: total.received,
    written: total.written,
    quarantined: total.quarantined,
    dropped: total.dropped,
    duplicates: total.duplicates,
    warned: total.warned,
    malformed: total.malformed,
    batches,
    codes,
  };
}

/** When the newest commit of these heads was made (ISO text), or null when there is none. */
export function latestCommittedAt(heads: readonly PartitionHead[]): string | null {
  let latest = '';
  for (const h of heads) if (h.lastCommitAt && h.lastCommitAt > latest) latest = h.lastCommitAt;
  return latest || null;
}

/** Quarantine files of committed batches, in commit order (uncommitted attempts are never read). */
export async function* quarantineLines(commits: CommitLog, lake: Lake): AsyncGenerator<string> {
  for (const c of await commits.all()) {
    for (const f of c.files) {
      if (!f.startsWith('quarantine/')) continue;
      const text = (await lake.readFile(f)).toString('utf8');
      for (const line of text.split('\n')) if (line) yield line;
    }
  }
}
