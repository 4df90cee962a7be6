// Cumulative counts over every committed batch. Commits are the only source, so a
// batch counts once however often it was retried or redelivered.
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BatchCommit, CommitLog, Lake } from './ports';

export interface PipelineStats extends Omit<BatchCounts, 'codes'> {
  batches: number;
  codes: Record<string, number>;
}

export async function pipelineStats(commits: CommitLog): Promise<PipelineStats> {
  return statsOf(await commits.all());
}

/** The same counts over commits a caller already holds (so it need not read them twice). */
export function statsOf(all: readonly BatchCommit[]): PipelineStats {
  const total = emptyCounts();
  for (const c of all) addCounts(total, c.counts);
  const codes: Record<string, number> = {};
  for (const code of Object.keys(total.codes).sort()) codes[code] = total.codes[code]!;
  return {
    received: total.received,
    written: total.written,
    quarantined: total.quarantined,
    dropped: total.dropped,
    duplicates: total.duplicates,
    warned: total.warned,
    malformed: total.malformed,
    batches: all.length,
    codes,
  };
}

/** When the newest of these commits was made (ISO text), or null when there is none. */
export function latestCommittedAt(all: readonly BatchCommit[]): string | null {
  let latest = '';
  for (const c of all) if (c.committedAt > latest) latest = c.committedAt;
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
