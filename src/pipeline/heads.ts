// A partition head after a commit: the pure step both commit logs (local file, Table
// storage) apply, so they agree on ranges, totals and replays.
import { mergeRanges } from './ranges';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BatchCommit, PartitionHead } from './ports';

export function emptyHead(partition: string): PartitionHead {
  return { partition, seq: 0, ranges: [], totals: emptyCounts(), batches: 0, lastCommitAt: null };
}

/** `into` minus `from`, code by code (codes that reach zero are dropped). */
export function subtractCounts(into: BatchCounts, from: BatchCounts): BatchCounts {
  into.received -= from.received;
  into.written -= from.written;
  into.quarantined -= from.quarantined;
  into.dropped -= from.dropped;
  into.duplicates -= from.duplicates;
  into.warned -= from.warned;
  into.malformed -= from.malformed;
  for (const [code, n] of Object.entries(from.codes)) {
    const left = (into.codes[code] ?? 0) - n;
    if (left) into.codes[code] = left;
    else delete into.codes[code];
  }
  return into;
}

/** The counts a commit adds to the totals: its own, less what it replaced (a replay). */
export function netCounts(c: BatchCommit): BatchCounts {
  const net = addCounts(emptyCounts(), c.counts);
  return c.replaces ? subtractCounts(net, c.replaces.counts) : net;
}

/** Codes a replay took back to zero are left out, as if never counted. */
function withoutZeroCodes(c: BatchCounts): BatchCounts {
  for (const [code, n] of Object.entries(c.codes)) if (!n) delete c.codes[code];
  return c;
}

/** The head after `c` is committed on top of `head` (a new object; the token is the store's to set). */
export function advanceHead(head: PartitionHead, c: BatchCommit): PartitionHead {
  if (c.partition !== head.partition) throw new Error(`expected a commit of partition ${head.partition}, got one of ${c.partition} (batch ${c.batchId})`);
  return {
    partition: head.partition,
    seq: head.seq + 1,
    ranges: mergeRanges([...head.ranges, ...c.sequences]),
    totals: withoutZeroCodes(addCounts(addCounts(emptyCounts(), head.totals), netCounts(c))),
    batches: head.batches + (c.replaces ? 0 : 1),
    lastCommitAt: head.lastCommitAt && head.lastCommitAt > c.committedAt ? head.lastCommitAt : c.committedAt,
  };
}
