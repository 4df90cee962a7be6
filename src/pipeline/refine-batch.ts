// Silver stage with I/O: one bronze batch to silver + quarantine, exactly once, also when
// other invocations work on overlapping positions at the same time. Order of effects, so that
// a crash at any point leaves something a retry finishes:
//   1. read the partition's head and skip positions already committed (redelivery, overlap);
//   2. decide every record (pure) and apply the batch rule: a failure throws before any write;
//   3. claim event ids in the ledger, keyed by position (a retry finds its own claims);
//   4. write this attempt's files, named by batch id and head (a crash retry overwrites them);
//   5. commit against the head read in 1: only now do the files and counts become visible. If
//      another commit of the partition came first, nothing is written and the batch starts
//      again from 1, so a position is never committed twice.
import {
  decide, checkBatch, resolveDuplicates, countDecisions, dataQualityRows, type Decision,
} from '../silver/refine';
import { inRanges, toRanges } from './ranges';
import { silverParquetFiles, type ParquetFile } from '../silver/parquet/tables';
import { crashPoint } from '../util/crash-point';
import type { BatchCommit, CommitLog, DedupLedger, Lake, PartitionHead } from './ports';
import type { BatchRule } from '../silver/rules';
import type { SourceBatch, SourceEvent } from './types';

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

/** Commit attempts before giving up (the queue retries the batch later): each lost race costs one. */
const MAX_ATTEMPTS = 20;

export async function refineBatch(
  batch: SourceBatch & { batchId: string; bronzeFile: string },
  deps: RefineDeps,
  opts: RefineOptions = {},
): Promise<RefineResult> {
  // Decisions are pure per position: an attempt that lost a race reuses them.
  const decidedAt = new Map<number, Decision>();
  // Owners the ledger gave earlier attempts: an id a position of this batch owns stays its own
  // (only that position's replay releases it), so a later attempt does not claim it again. On
  // Table storage a claim of ids that exist costs a read each: a batch that lost the race to the
  // batch before it (both of one partition, refined at the same time) read its whole batch again.
  const ownersBefore = new Map<string, string>();
  for (let attempt = 1; ; attempt++) {
    const head = await deps.commits.head(batch.partition);
    // Positions another batch committed are that batch's; on a replay, this batch's own are decided again.
    const own = opts.replace?.sequences ?? [];
    const fresh = head.ranges.length ? batch.events.filter((e) => !inRanges(head.ranges, e.sequenceNumber) || inRanges(own, e.sequenceNumber)) : batch.events;
    if (!fresh.length) return { batchId: batch.batchId, status: 'already-committed' };
    const commit = await writeAttempt(batch, fresh, head, decidedAt, ownersBefore, deps, opts);
    crashPoint('silver-files');
    // A replay's earlier files stay: a reader may be in the middle of them (gold, a Delta reader of
    // the previous version). The silver publisher removes them from the tables; vacuum deletes them
    // once the retention has passed.
    if (await deps.commits.commit(commit, head)) return { batchId: batch.batchId, status: 'committed', commit };
    // Another commit of this partition came first (a redelivered or differently split batch
    // running at the same time): read the new head and redo what is still this batch's. The
    // files of this attempt stay unnamed by any commit, so no reader ever reads them.
    if (attempt >= MAX_ATTEMPTS) throw new Error(`batch ${batch.batchId}: lost the commit race on partition ${batch.partition} ${attempt} times in a row; the queue will retry it`);
    await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
  }
}

/** Decide, claim and write the fresh positions of one attempt; returns the commit to make. */
async function writeAttempt(
  batch: SourceBatch & { batchId: string; bronzeFile: string }, fresh: SourceEvent[], head: PartitionHead,
  decidedAt: Map<number, Decision>, ownersBefore: Map<string, string>, deps: RefineDeps, opts: RefineOptions,
): Promise<BatchCommit> {
  const decided: Decision[] = new Array(fresh.length);
  for (let i = 0; i < fresh.length; i++) {
    const e = fresh[i]!;
    let d = decidedAt.get(e.sequenceNumber);
    if (!d) decidedAt.set(e.sequenceNumber, (d = decide(e, batch.bronzeFile)));
    decided[i] = d;
  }
  const failure = checkBatch(decided, deps.batchRules);
  if (failure) throw new BatchFailedError(failure.code, batch.batchId, batch.bronzeFile, failure.message);

  const claims: Array<{ eventId: string; position: string }> = [];
  for (const d of decided) if (d.kind === 'silver') claims.push({ eventId: d.eventId, position: d.position });
  const toClaim = claims.filter((c) => ownersBefore.get(c.eventId) !== c.position);
  const claimed = toClaim.length ? await deps.ledger.claim(toClaim) : new Map<string, string>();
  for (const [id, owner] of claimed) ownersBefore.set(id, owner);
  const owners = new Map(claims.map((c) => [c.eventId, ownersBefore.get(c.eventId)!]));
  crashPoint('claimed');
  const final = resolveDuplicates(decided, owners);

  if (opts.replace) {
    // Ids this batch's positions held in silver but no longer accept go back to the ledger.
    const released: Array<{ eventId: string; position: string }> = [];
    for (const d of final) {
      const id = d.kind === 'quarantine' || d.kind === 'drop' ? d.eventId : undefined;
      if (id) released.push({ eventId: id, position: d.position });
    }
    if (released.length) await deps.ledger.release(released);
  }

  // Files are named by the batch and the head the attempt started from: a retry after a crash
  // rewrites its own files, and an attempt that lost a race never overwrites the winner's.
  const files = silverBatchFiles(final, `${batch.batchId}${opts.replace ? '-r' : '-h'}${head.seq}`);
  await Promise.all([...files.entries()].map(([path, f]) => deps.lake.writeFile(path, f.bytes)));

  const replaced = opts.replace;
  return {
    batchId: batch.batchId,
    partition: batch.partition,
    sequences: toRanges(fresh.map((e) => e.sequenceNumber).sort((a, b) => a - b)),
    bronzeFile: batch.bronzeFile,
    files: [...files.keys()].sort(),
    fileStats: Object.fromEntries([...files].map(([path, f]) => [path, { size: f.bytes.length, stats: JSON.stringify(f.stats) }])),
    counts: countDecisions(final),
    dataQuality: dataQualityRows(final),
    // A replay may move rows out of dates: gold must recompute the old dates too.
    orderDates: [...new Set([...orderDatesOf(final), ...(replaced?.orderDates ?? [])])].sort(),
    committedAt: (deps.now?.() ?? new Date()).toISOString(),
    ...(replaced ? { replaces: { ...(replaced.seq !== undefined ? { seq: replaced.seq } : {}), committedAt: replaced.committedAt, counts: replaced.counts, dataQuality: replaced.dataQuality, files: replaced.files, orderDates: replaced.orderDates } } : {}),
  };
}

function orderDatesOf(final: readonly Decision[]): string[] {
  const dates = new Set<string>();
  for (const d of final) if (d.kind === 'silver') dates.add(d.row.order_date);
  return [...dates].sort();
}

/** Silver's three Delta tables (the quarantine table is its filesystem's root). */
export const SILVER_TABLES = { events: 'silver/order_events', lines: 'silver/order_lines', quarantine: 'quarantine' } as const;

/**
 * A batch's files: at most one Parquet file per silver table (events, lines, quarantine),
 * whatever the number of order dates it touches, each with its Delta statistics.
 */
export function silverBatchFiles(final: readonly Decision[], name: string): Map<string, ParquetFile> {
  const out = new Map<string, ParquetFile>();
  const made = silverParquetFiles(final);
  for (const kind of ['events', 'lines', 'quarantine'] as const) {
    const f = made[kind];
    if (f) out.set(`${SILVER_TABLES[kind]}/part-${name}.parquet`, f);
  }
  return out;
}
