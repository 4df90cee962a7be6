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
import { crashPoint } from '../util/crash-point';
import { Utf8Writer } from '../util/utf8-writer';
import type { BatchCommit, CommitLog, DedupLedger, Lake } from './ports';
import type { BatchRule } from '../silver/rules';
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
  /** The batch rules in force (default: the contract's); a fixed rule is replayed with its new version. */
  batchRules?: readonly BatchRule[];
}

export interface RefineOptions {
  /**
   * Replay: this batch's earlier commit. Its own positions are decided again (not skipped),
   * its old files are replaced, and ids it no longer accepts are released in the ledger.
   */
  replace?: BatchCommit;
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
  opts: RefineOptions = {},
): Promise<RefineResult> {
  let firstSeq = Infinity;
  let lastSeq = -Infinity;
  for (const e of batch.events) {
    if (e.sequenceNumber < firstSeq) firstSeq = e.sequenceNumber;
    if (e.sequenceNumber > lastSeq) lastSeq = e.sequenceNumber;
  }
  const done = await deps.commits.committedRanges(batch.partition, firstSeq, lastSeq);
  // Positions another batch committed are that batch's; on a replay, this batch's own are decided again.
  const own = opts.replace?.sequences ?? [];
  const fresh = done.length ? batch.events.filter((e) => !inRanges(done, e.sequenceNumber) || inRanges(own, e.sequenceNumber)) : batch.events;
  if (!fresh.length) return { batchId: batch.batchId, status: 'already-committed' };

  const decided: Decision[] = new Array(fresh.length);
  for (let i = 0; i < fresh.length; i++) decided[i] = decide(fresh[i]!, batch.bronzeFile);
  const failure = checkBatch(decided, deps.batchRules);
  if (failure) throw new BatchFailedError(failure.code, batch.batchId, batch.bronzeFile, failure.message);

  const claims: Array<{ eventId: string; position: string }> = [];
  for (const d of decided) if (d.kind === 'silver') claims.push({ eventId: d.eventId, position: d.position });
  const owners = claims.length ? await deps.ledger.claim(claims) : new Map<string, string>();
  crashPoint('claimed');
  const final = resolveDuplicates(decided, owners);

  if (opts.replace) {
    // Ids this batch's positions held in silver but no longer accept go back to the ledger.
    const released: Array<{ eventId: string; position: string }> = [];
    for (const d of final) {
      const id = d.kind === 'quarantine' ? d.record.event_id?.toLowerCase() : d.kind === 'drop' ? d.eventId : undefined;
      if (id) released.push({ eventId: id, position: d.position });
    }
    if (released.length) await deps.ledger.release(released);
  }

  const { files, longestLineBytes } = silverFiles(final, batch.batchId);
  await Promise.all([...files.entries()].map(([path, text]) => deps.lake.writeFile(path, text)));
  crashPoint('silver-files');
  // A replay's old files that the new decisions do not rewrite would otherwise double rows.
  if (opts.replace) for (const f of opts.replace.files) if (!files.has(f)) await deps.lake.deleteFile(f);

  const commit: BatchCommit = {
    batchId: batch.batchId,
    partition: batch.partition,
    sequences: toRanges(fresh.map((e) => e.sequenceNumber).sort((a, b) => a - b)),
    bronzeFile: batch.bronzeFile,
    files: [...files.keys()].sort(),
    ...(longestLineBytes > DEFAULT_JSON_OBJECT_BYTES ? { longestLineBytes } : {}),
    counts: countDecisions(final),
    dataQuality: dataQualityRows(final),
    // A replay may move rows out of dates: gold must recompute the old dates too.
    orderDates: [...new Set([...orderDatesOf(final), ...(opts.replace?.orderDates ?? [])])].sort(),
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

/** DuckDB's default limit on one JSON line (gold's reader); longer lines are recorded in the commit. */
export const DEFAULT_JSON_OBJECT_BYTES = 16 << 20;

/** Silver events and lines partitioned by order_date, quarantine by ingest_date; one file each per batch. */
export function silverFiles(final: readonly Decision[], batchId: string): { files: Map<string, Buffer>; longestLineBytes: number } {
  let longest = 0;
  const byDate = new Map<string, { events: Utf8Writer; lines: Utf8Writer }>();
  const quarantine = new Map<string, Utf8Writer>();
  for (const d of final) {
    if (d.kind === 'silver') {
      let part = byDate.get(d.row.order_date);
      if (!part) byDate.set(d.row.order_date, (part = { events: new Utf8Writer(), lines: new Utf8Writer() }));
      const line = silverEventJson(d.row);
      if (line.length > longest) longest = line.length;
      part.events.write(line + '\n');
      for (const line of d.lines) part.lines.write(silverLineJson(line) + '\n');
    } else if (d.kind === 'quarantine') {
      let text = quarantine.get(d.record.ingest_date);
      if (!text) quarantine.set(d.record.ingest_date, (text = new Utf8Writer()));
      text.write(JSON.stringify(d.record) + '\n');
    }
  }
  const out = new Map<string, Buffer>();
  for (const [date, part] of byDate) {
    out.set(`silver/order_events/order_date=${date}/${batchId}.jsonl`, part.events.bytes());
    out.set(`silver/order_lines/order_date=${date}/${batchId}.jsonl`, part.lines.bytes());
  }
  for (const [date, text] of quarantine) out.set(`quarantine/ingest_date=${date}/${batchId}.jsonl`, text.bytes());
  return { files: out, longestLineBytes: longest * 3 };
}
