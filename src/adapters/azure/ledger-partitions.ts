// The dedup ledger's writes on Table storage, a table partition at a time: the ids of one claim
// that fall in one partition are inserted by one entity group transaction (EGT: up to 100
// inserts, atomic), so a batch of 1,000 ids costs about one request per partition instead of
// one per id. An EGT fails whole when one of its entities exists, and the error names that
// operation ("3:The specified entity already exists."): that id is set aside, its owner read
// afterwards, and the rest inserted again.
import type { TableClient, TransactionAction } from '@azure/data-tables';

export interface Claim {
  eventId: string;
  position: string;
}

/** Operations in one entity group transaction (the service's limit). */
export const EGT_MAX_OPERATIONS = 100;

/** Ids found to exist (and more than half of those tried) before a partition's other ids are read instead of inserted. */
const READ_AFTER = 4;

/** Times an id is claimed again after its owner released it between our insert and our read. */
const MAX_RECLAIMS = 10;

export function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

/**
 * The partition key of an event id's entity: FNV-1a of the id, modulo the bucket count. A hash,
 * not a prefix: time-ordered UUIDs (v1, v7) share their leading digits and would all land in one
 * partition. Part of the stored layout: changing it (or the count) loses every earlier claim.
 */
export function ledgerPartition(eventId: string, buckets: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) h = Math.imul(h ^ eventId.charCodeAt(i), 0x01000193);
  const width = String(buckets - 1).length;
  return `b${buckets}-${String((h >>> 0) % buckets).padStart(width, '0')}`;
}

/**
 * Which operation of a failed EGT found its entity already there: the index the service puts
 * before the message ("3:The specified entity already exists."; Azurite does the same).
 * 'unknown' for such a conflict without a readable index; undefined for any other error.
 */
export function existingAt(e: unknown, operations: number): number | 'unknown' | undefined {
  const err = e as { statusCode?: number; code?: string; message?: string };
  if (err.statusCode !== 409 || (err.code !== undefined && err.code !== 'EntityAlreadyExists')) return undefined;
  const m = /^(\d+):/.exec(err.message ?? '');
  const i = m ? Number(m[1]) : NaN;
  return Number.isInteger(i) && i >= 0 && i < operations ? i : 'unknown';
}

/** Runs `fn` over items with at most `limit` in flight. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** The owner of each id that exists (point reads: the only efficient lookup, an "or" filter scans the partition). */
export async function readOwners(table: TableClient, partitionKey: string, ids: readonly string[], concurrency: number): Promise<Map<string, { owner: string; etag: string }>> {
  const out = new Map<string, { owner: string; etag: string }>();
  await forEachLimit(ids, concurrency, async (id) => {
    try {
      const e = await table.getEntity<{ owner: string }>(partitionKey, id, { queryOptions: { select: ['owner'] } });
      out.set(id, { owner: e.owner, etag: e.etag });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  });
  return out;
}

/**
 * Claims ids of one table partition (distinct ids, at most EGT_MAX_OPERATIONS): returns the
 * owner of each. Every id ends with the owner whose insert succeeded, whoever asks: an insert
 * is conditional, and an id found to exist is read, never written.
 */
export async function claimInPartition(table: TableClient, partitionKey: string, claims: readonly Claim[], concurrency: number, reclaims = 0): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const existing: string[] = [];
  let pending: readonly Claim[] = claims;
  // Inserts tried and found existing since the last read: when most exist (a batch retried by
  // its owner, a replay), one read each is cheaper than one failed EGT per id. Not before
  // READ_AFTER of them: at 5% duplicates, two of the first three ids of a partition happen in
  // a fifth of the batches, and reading the rest then costs far more than it saves.
  let tried = 0;
  let found = 0;
  let readAll = false;
  while (pending.length) {
    if (readAll || (found >= READ_AFTER && found * 2 > tried)) {
      const read = await readOwners(table, partitionKey, pending.map((c) => c.eventId), concurrency);
      for (const [id, { owner }] of read) owners.set(id, owner);
      pending = pending.filter((c) => !read.has(c.eventId));
      tried = found = 0;
      readAll = false;
      continue;
    }
    try {
      await table.submitTransaction(pending.map((c): TransactionAction => ['create', { partitionKey, rowKey: c.eventId, owner: c.position }]));
      for (const c of pending) owners.set(c.eventId, c.position);
      pending = [];
    } catch (e) {
      const at = existingAt(e, pending.length);
      if (at === undefined) throw e;
      if (at === 'unknown') {
        readAll = true;
        continue;
      }
      // The operations before `at` found nothing there; the ones after it are untried.
      existing.push(pending[at]!.eventId);
      tried += at + 1;
      found++;
      pending = [...pending.slice(0, at), ...pending.slice(at + 1)];
    }
  }
  if (existing.length) {
    const read = await readOwners(table, partitionKey, existing, concurrency);
    for (const [id, { owner }] of read) owners.set(id, owner);
    // Released by its owner between our insert and our read: claim it again.
    const gone = claims.filter((c) => !owners.has(c.eventId));
    if (gone.length) {
      if (reclaims >= MAX_RECLAIMS) throw new Error(`dedup ledger: event ids ${gone.map((c) => c.eventId).join(', ')} in table partition ${partitionKey} were released ${MAX_RECLAIMS} times while being claimed; expected them to settle`);
      for (const [id, owner] of await claimInPartition(table, partitionKey, gone, concurrency, reclaims + 1)) owners.set(id, owner);
    }
  }
  return owners;
}
