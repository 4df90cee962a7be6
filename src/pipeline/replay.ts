// Replay: bronze -> silver again, for a range of ingest dates (after a rule or code fix, or
// for batches a `fail` rule stopped). Each bronze batch is decided again with the same stage
// code; its earlier commit (if any) is replaced, so nothing is ever doubled.
import { parseBronze } from '../bronze/bronze';
import { refineBatch, BatchFailedError, type RefineDeps } from './refine-batch';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';

export interface ReplayOptions {
  fromDate?: string;
  toDate?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ReplaySummary {
  batches: number;
  replayed: number;
  firstTime: number;
  failed: string[];
  counts: BatchCounts;
}

/** The batch id of a bronze file: its name without .jsonl. */
function batchIdOf(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.jsonl$/, '');
}

export async function replayBronze(deps: RefineDeps, opts: ReplayOptions = {}): Promise<ReplaySummary> {
  const files = (await deps.lake.list('bronze')).filter((f) => {
    const d = /ingest_date=(\d{4}-\d{2}-\d{2})/.exec(f)?.[1];
    return d !== undefined && (!opts.fromDate || d >= opts.fromDate) && (!opts.toDate || d <= opts.toDate);
  });
  const commits = new Map((await deps.commits.all()).map((c) => [c.batchId, c]));
  const summary: ReplaySummary = { batches: files.length, replayed: 0, firstTime: 0, failed: [], counts: emptyCounts() };
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const batchId = batchIdOf(file);
    const batch = parseBronze(await deps.lake.readFile(file), file);
    const previous = commits.get(batchId);
    try {
      const r = await refineBatch({ ...batch, batchId, bronzeFile: file }, deps, previous ? { replace: previous } : {});
      if (r.commit) {
        addCounts(summary.counts, r.commit.counts);
        if (previous) summary.replayed++;
        else summary.firstTime++;
      }
    } catch (e) {
      if (!(e instanceof BatchFailedError)) throw e;
      summary.failed.push(e.message);
    }
    opts.onProgress?.(i + 1, files.length);
  }
  return summary;
}
