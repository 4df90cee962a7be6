// The seams. Local adapters (a folder, files) and Azure adapters (ADLS Gen2, Table
// storage, Storage queues, Event Hubs) implement these; stage code only sees them.
import type { BatchCounts } from '../silver/refine';

/** A file as a listing reports it: its path, size in bytes and last-modified time. */
export interface LakeEntry {
  path: string;
  size: number;
  modified: Date;
}

/** A data lake: a tree of files addressed by '/'-separated relative paths. */
export interface Lake {
  /** Writes the whole file, replacing any previous version atomically (readers see old or new). */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Throws NotFoundError when absent. */
  readFile(path: string): Promise<Buffer>;
  /** Every file below `prefix` (recursive), sorted. */
  list(prefix: string): Promise<string[]>;
  /**
   * `list` with each file's size and last-modified time, taken from the listing itself (one
   * request per page on ADLS, not one per file). Delta log cleanup and vacuum decide by a
   * file's age, as delta-rs does with its object store listing.
   */
  listEntries?(prefix: string): Promise<LakeEntry[]>;
  /**
   * The files whose path starts with `prefix` (a name prefix: it may end inside a file name),
   * in path order, with sizes and modified times, a page at a time: a caller that stops early
   * pays only for the pages it read (on ADLS one List Blobs request per 5,000 files). A Delta
   * log names its files by zero-padded version, so path order is version order: log cleanup
   * reads only the expired start of a long log, and a snapshot probes one block of versions.
   */
  scanEntries?(prefix: string): AsyncIterable<LakeEntry>;
  /** Removes a file; absent is fine. */
  deleteFile(path: string): Promise<void>;
  /**
   * Creates the file only if no file is at `path` (put-if-absent, as the Delta Lake log
   * needs); false when one already was. Atomic: two writers cannot both succeed.
   */
  writeFileIfAbsent(path: string, data: string | Uint8Array): Promise<boolean>;
  /** The file's path on this machine, when the lake is a local folder (lets DuckDB read it in place). */
  localPath?(path: string): string;
  /**
   * Removes temporary files of writes that never finished (a killed process), if they were
   * started before `before`. They live in `_tmp/` folders, outside every table and partition
   * folder, so no reader ever lists them; this only reclaims the space. Returns how many.
   */
  sweepTemporary(before: Date): Promise<number>;
}

/** Which position holds each event id in silver (contract: an event is in silver exactly once). */
export interface DedupLedger {
  /**
   * Claims each event id for its position unless another position already holds it, in
   * order (the first of two equal ids in one call wins). Returns the owner of every id.
   * Re-claiming an id for the position that owns it is a no-op: a retried batch is not
   * its own duplicate.
   */
  claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>>;
  /** Gives up ids whose owner is the given position (a replay that no longer accepts them). */
  release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void>;
}

export interface DataQualityRow {
  ingest_date: string;
  code: string;
  action: string;
  records: number;
}

/** What a replay's commit replaced: the batch's earlier commit, so counts and data quality can be netted. */
export interface ReplacedCommit {
  /** The replaced commit's number on its partition: whether the silver tables held it (absent in commits of older versions). */
  seq?: number;
  committedAt: string;
  counts: BatchCounts;
  dataQuality: DataQualityRow[];
  files: string[];
  orderDates: string[];
}

/** The record that makes a silver batch visible: written last, so a crash before it leaves nothing counted. */
export interface BatchCommit {
  batchId: string;
  partition: string;
  /** Sequence numbers this commit processed, as inclusive ranges. */
  sequences: Array<[number, number]>;
  bronzeFile: string;
  /** Silver and quarantine files of this batch (readers list files through commits, never by folder scans). */
  files: string[];
  /** Size and Delta statistics (the add action's stats JSON) of each file: what publishing to the silver Delta tables needs. */
  fileStats?: Record<string, { size: number; stats: string }>;
  counts: BatchCounts;
  dataQuality: DataQualityRow[];
  /**
   * Upper bound of the longest silver line in bytes (3 per UTF-16 unit), when over 16 MB: a
   * megabyte extra field is valid (contract v1.1), and gold's JSON reader must be told.
   */
  longestLineBytes?: number;
  /** Silver order_date partitions this batch touched: what gold must recompute. */
  orderDates: string[];
  committedAt: string;
  /** Set on a replay's commit: the batch's earlier commit, which this one replaces. */
  replaces?: ReplacedCommit;
  /** This commit's number on its partition (1, 2, ...), given by the commit log. */
  seq?: number;
}

/**
 * A source partition's silver state after its latest commit: which positions are in silver
 * and the running totals. Every commit is made against a head and fails when another commit
 * of the partition came first, so concurrent batches over the same positions cannot both
 * commit them (exactly once, whatever the interleaving).
 */
export interface PartitionHead {
  partition: string;
  /** Commits so far on this partition (0: none). */
  seq: number;
  /** Sequence numbers committed to silver, as merged inclusive ranges. */
  ranges: Array<[number, number]>;
  /** Counts of the partition's live commits (a replay's commit replaces its batch's earlier one). */
  totals: BatchCounts;
  /** Live batches (a replay does not add one). */
  batches: number;
  /** When the latest commit was made (null before the first). */
  lastCommitAt: string | null;
  /** The store's concurrency token for this head (an ETag); the local log needs none. */
  token?: string;
}

/** What CommitLog.since returns. */
export interface CommitsSince {
  commits: BatchCommit[];
  cursor: string;
  /** Commits after `cursor` were left out by the limit. */
  more: boolean;
}

export interface CommitLog {
  /** The partition's head now (an empty head, seq 0, before its first commit). */
  head(partition: string): Promise<PartitionHead>;
  /**
   * Makes `c` the partition's next commit if `head` is still the partition's head, atomically
   * with the head's update; false (nothing written) when another commit came first.
   */
  commit(c: BatchCommit, head: PartitionHead): Promise<boolean>;
  /** Every partition's head: stats are their totals (cost: one read per source partition). */
  heads(): Promise<PartitionHead[]>;
  /**
   * Commits made after `cursor` (all when undefined), including re-commits of a batch (a
   * replay, with `replaces`), each exactly once, and the cursor to pass next time. With
   * `limit`, about that many at most (each partition's next ones in its commit order, at least
   * one each) and `more` when some were left for the next call: a reader that takes in a
   * backlog in bounded steps (gold after an outage) holds a step's commits, not the backlog's.
   */
  since(cursor: string | undefined, limit?: number): Promise<CommitsSince>;
  /** The live commit of each batch (its latest), in commit order: for commands that read the whole lake. */
  all(): Promise<BatchCommit[]>;
}

/** A bronze batch waiting for silver: a Storage queue message in Azure, a file locally. */
export interface BronzeMessage {
  batchId: string;
  partition: string;
  bronzeFile: string;
  events: number;
}

/** Named JSON documents: checkpoints, gold state. */
export interface DocumentStore {
  get<T>(name: string): Promise<T | undefined>;
  put(name: string, value: unknown): Promise<void>;
}

export class NotFoundError extends Error {
  constructor(public readonly path: string) {
    super(`not found: ${path}`);
    this.name = 'NotFoundError';
  }
}
