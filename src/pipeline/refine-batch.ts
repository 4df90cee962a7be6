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
import { silverEventJson, silverLineJson } from '../silver/rows';
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
  let firstSeq = Infinity;
  let lastSeq = -Infinity;
  for (const e of batch.events) {
    if (e.sequenceNumber < firstSeq) firstSeq = e.sequenceNumber;
    if (e.sequenceNumber > lastSeq) lastSeq = e.sequenceNumber;
  }
  const done = await deps.commits.committedRanges(batch.partition, firstSeq, lastSeq);
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
  const byDate = new Map<string, { events: string; lines: string }>();
  const quarantine = new Map<string, string>();
  for (const d of final) {
    if (d.kind === 'silver') {
      let part = byDate.get(d.row.order_date);
      if (!part) byDate.set(d.row.order_date, (part = { events: '', lines: '' }));
      part.events += silverEventJson(d.row) + '\n';
      for (const line of d.lines) part.lines += silverLineJson(line) + '\n';
    } else if (d.kind === 'quarantine') {
      quarantine.set(d.record.ingest_date, (quarantine.get(d.record.ingest_date) ?? '') + JSON.stringify(d.record) + '\n');
    }
  }
  const out = new Map<string, string>();
  for (const [date, part] of byDate) {
    out.set(`silver/order_events/order_date=${date}/${batchId}.jsonl`, part.events);
    out.set(`silver/order_lines/order_date=${date}/${batchId}.jsonl`, part.lines);
  }
  for (const [date, text] of quarantine) out.set(`quarantine/ingest_date=${date}/${batchId}.jsonl`, text);
  return out;
}
