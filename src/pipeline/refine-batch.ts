// Silver stage with I/O: one bronze batch to silver + quarantine, exactly once.
// Order of effects, so that a crash at any point leaves something a retry finishes:
//   1. skip positions an earlier commit already processed (redelivery, overlap);
//   2. decide every record (pure) and apply the batch rule: a failure throws before any write;
//   3. claim event ids in the ledger, keyed by position (a retry finds its own claims);
//   4. write this batch's files, named by batch id (a retry overwrites them);
//   5. commit: only now do the files and counts become visible.
import {
  decide, checkBatch, resolveDuplicates, countDecisions, dataQualityRows, type Decision,
} from '../silver/refine';
import { inRanges, toRanges } from './ranges';
import type { BatchCommit, CommitLog, DedupLedger, Lake } from './ports';
import type { SourceBatch } from './types';

export class BatchFailedError extends Error {
  constructor(
    public readonly code: string,
    public readonly batchId: string,
    public readonly bronzeFile: string,
    detail: string,
  ) {
    super(`batch ${batchId} stopped by rule ${code}: ${detail}. Nothing of it was written to silver; bronze keeps it at ${bronzeFile} for a replay once the cause is fixed.`);
    this.name = 'BatchFailedError';
  }
}

export interface RefineDeps {
  lake: Lake;
  ledger: DedupLedger;
  commits: CommitLog;
  now?: () => Date;
}

export interface RefineResult {
  batchId: string;
  /** 'committed', or 'already-committed' when every position was processed before. */
  status: 'committed' | 'already-committed';
  commit?: BatchCommit;
}

export async function refineBatch(
  batch: SourceBatch & { batchId: string; bronzeFile: string },
  deps: RefineDeps,
): Promise<RefineResult> {
  const done = await deps.commits.committedRanges(batch.partition);
  const fresh = done.length ? batch.events.filter((e) => !inRanges(done, e.sequenceNumber)) : batch.events;
  if (!fresh.length) return { batchId: batch.batchId, status: 'already-committed' };

  const decided: Decision[] = new Array(fresh.length);
  for (let i = 0; i < fresh.length; i++) decided[i] = decide(fresh[i]!, batch.bronzeFile);
  const failure = checkBatch(decided);
  if (failure) throw new BatchFailedError(failure.code, batch.batchId, batch.bronzeFile, failure.message);

  const claims: Array<{ eventId: string; position: string }> = [];
  for (const d of decided) if (d.kind === 'silver') claims.push({ eventId: d.eventId, position: d.position });
  const owners = claims.length ? await deps.ledger.claim(claims) : new Map<string, string>();
  const final = resolveDuplicates(decided, owners);

  const files = silverFiles(final, batch.batchId);
  await Promise.all([...files.entries()].map(([path, text]) => deps.lake.writeFile(path, text)));

  const commit: BatchCommit = {
    batchId: batch.batchId,
    partition: batch.partition,
    sequences: toRanges(fresh.map((e) => e.sequenceNumber).sort((a, b) => a - b)),
    bronzeFile: batch.bronzeFile,
    files: [...files.keys()].sort(),
    counts: countDecisions(final),
    dataQuality: dataQualityRows(final),
    orderDates: orderDatesOf(final),
    committedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  await deps.commits.commit(commit);
  return { batchId: batch.batchId, status: 'committed', commit };
}

function orderDatesOf(final: readonly Decision[]): string[] {
  const dates = new Set<string>();
  for (const d of final) if (d.kind === 'silver') dates.add(d.row.order_date);
  return [...dates].sort();
}

/** Silver events and lines partitioned by order_date, quarantine by ingest_date; one file each per batch. */
export function silverFiles(final: readonly Decision[], batchId: string): Map<string, string> {
  const parts = new Map<string, string[]>();
  const push = (path: string, line: string) => {
    let list = parts.get(path);
    if (!list) parts.set(path, (list = []));
    list.push(line);
  };
  for (const d of final) {
    if (d.kind === 'silver') {
      const date = d.row.order_date;
      push(`silver/order_events/order_date=${date}/${batchId}.jsonl`, JSON.stringify(d.row));
      for (const line of d.lines) push(`silver/order_lines/order_date=${date}/${batchId}.jsonl`, JSON.stringify(line));
    } else if (d.kind === 'quarantine') {
      push(`quarantine/ingest_date=${d.record.ingest_date}/${batchId}.jsonl`, JSON.stringify(d.record));
    }
  }
  const out = new Map<string, string>();
  for (const [path, lines] of parts) out.set(path, lines.join('\n') + '\n');
  return out;
}
