// Pipeline state on Azure Table storage: the dedup ledger (one entity per event id, claimed
// by conditional inserts batched per table partition), batch commits, named documents and the
// gold lease.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { advanceHead, emptyHead } from '../../pipeline/heads';
import { mapLimit } from '../../util/map-limit';

export { mapLimit };
import type { BatchCommit, CommitLog, CommitsSince, DedupLedger, DocumentStore, PartitionHead } from '../../pipeline/ports';
import { claimInPartition, EGT_MAX_OPERATIONS, ledgerPartition, readOwners, type Claim } from './ledger-partitions';

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

export async function ensureTable(client: TableClient): Promise<void> {
  try {
    await client.createTable();
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
}

// A string property holds at most 32K characters; longer JSON is split over p0, p1, ...
const CHUNK = 30_000;

function toChunks(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0, n = 0; i < text.length || n === 0; i += CHUNK, n++) out[`p${n}`] = text.slice(i, i + CHUNK);
  return out;
}

function fromChunks(entity: Record<string, unknown>): string {
  let s = '';
  for (let n = 0; typeof entity[`p${n}`] === 'string'; n++) s += entity[`p${n}`] as string;
  return s;
}

/** Table partitions of the ledger: a claim of n ids costs about min(n, buckets) EGTs (see ledger-partitions.ts). */
export const LEDGER_BUCKETS = 32;

/**
 * The dedup ledger: one entity per event id (RowKey the id, `owner` its position), in
 * LEDGER_BUCKETS table partitions by a hash of the id. A claim inserts each partition's new ids
 * with one entity group transaction; ids that exist are read. `buckets` is part of the stored
 * layout: every claimer of a table must use the same (tests and the bench vary it).
 */
export class TableLedger implements DedupLedger {
  private readonly concurrency: number;
  private readonly buckets: number;

  constructor(private readonly table: TableClient, options: { concurrency?: number; buckets?: number } = {}) {
    this.concurrency = options.concurrency ?? 32;
    this.buckets = options.buckets ?? LEDGER_BUCKETS;
  }

  async claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>> {
    // The first of equal ids in one call wins before anything is sent.
    const first = new Map<string, string>();
    for (const c of claims) if (!first.has(c.eventId)) first.set(c.eventId, c.position);
    const groups = new Map<string, Claim[]>();
    for (const [eventId, position] of first) {
      const pk = ledgerPartition(eventId, this.buckets);
      let g = groups.get(pk);
      if (!g) groups.set(pk, (g = []));
      g.push({ eventId, position });
    }
    const parts: Array<[string, Claim[]]> = [];
    for (const [pk, g] of groups) for (let i = 0; i < g.length; i += EGT_MAX_OPERATIONS) parts.push([pk, g.slice(i, i + EGT_MAX_OPERATIONS)]);
    const owners = new Map<string, string>();
    const reads = Math.max(2, Math.ceil(this.concurrency / parts.length)); // per partition, when it reads
    await mapLimit(parts, this.concurrency, async ([pk, part]) => {
      for (const [id, owner] of await claimInPartition(this.table, pk, part, reads)) owners.set(id, owner);
    });
    return new Map([...first.keys()].map((id) => [id, owners.get(id)!]));
  }

  /** Owner-only: reads the owner, then deletes with the ETag read (a release racing a new claim cannot delete the new owner's). */
  async release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void> {
    await mapLimit(claims, this.concurrency, async ({ eventId, position }) => {
      const pk = ledgerPartition(eventId, this.buckets);
      const current = (await readOwners(this.table, pk, [eventId], 1)).get(eventId);
      if (current?.owner !== position) return;
      try {
        await this.table.deleteEntity(pk, eventId, { etag: current.etag });
      } catch (err) {
        if (statusOf(err) !== 404 && statusOf(err) !== 412) throw err;
      }
    });
  }
}

const pad = (n: number) => String(n).padStart(12, '0');
/** Partition keys of the commit table: one per source partition, plus the registry of partitions. */
const REGISTRY = 'partitions';
const HEAD_ROW = 'head';

interface HeadEntity {
  head: string;
}

/**
 * Silver commits in Table storage, one table partition per source partition:
 *   - `head`: the partition's head (ranges, totals; JSON), updated under its ETag;
 *   - `c<seq>`: each commit, numbered.
 * A commit is one entity group transaction (atomic within a table partition): the head's
 * update with If-Match and the commit. A second writer that read the same
 * head fails the If-Match and writes nothing, so overlapping batches cannot both commit a
 * position. A registry partition lists the source partitions, so `heads` and `since` read
 * one table partition each, never the whole table.
 */
export class TableCommitLog implements CommitLog {
  private readonly registered = new Set<string>();

  constructor(private readonly table: TableClient) {}

  private static parseCommit(e: Record<string, unknown>): BatchCommit {
    return JSON.parse(fromChunks(e)) as BatchCommit;
  }

  async head(partition: string): Promise<PartitionHead> {
    try {
      const e = await this.table.getEntity<HeadEntity>(partition, HEAD_ROW);
      return { ...(JSON.parse(e.head) as PartitionHead), token: e.etag };
    } catch (err) {
      if (statusOf(err) === 404) return emptyHead(partition);
      throw err;
    }
  }

  async heads(): Promise<PartitionHead[]> {
    const partitions = await this.partitions();
    return Promise.all(partitions.map((p) => this.head(p)));
  }

  private async partitions(): Promise<string[]> {
    const out: string[] = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${REGISTRY}` } })) out.push(String(e.rowKey));
    return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  async commit(c: BatchCommit, head: PartitionHead): Promise<boolean> {
    if (!this.registered.has(c.partition)) {
      // Before the first commit can exist, so that heads() and since() always find the partition.
      await this.table.upsertEntity({ partitionKey: REGISTRY, rowKey: c.partition }, 'Replace');
      this.registered.add(c.partition);
    }
    const next = advanceHead(head, c);
    const headEntity = { partitionKey: c.partition, rowKey: HEAD_ROW, head: JSON.stringify(next) };
    const actions: TransactionAction[] = [
      head.token ? ['update', headEntity, 'Replace', { etag: head.token }] : ['create', headEntity],
      ['create', { partitionKey: c.partition, rowKey: `c${pad(next.seq)}`, ...toChunks(JSON.stringify({ ...c, seq: next.seq })) }],
    ];
    try {
      await this.table.submitTransaction(actions);
      return true;
    } catch (e) {
      // 412: the head changed since it was read; 409: another writer created it first.
      if (statusOf(e) === 412 || statusOf(e) === 409) return false;
      throw e;
    }
  }

  /**
   * Commits of one partition numbered after `after`, in order; at most `max` (the service
   * returns a partition's entities in RowKey order, and c<padded number> sorts as the number),
   * so a capped read stops paging there.
   */
  private async commitsAfter(partition: string, after: number, max = Infinity): Promise<BatchCommit[]> {
    const out: BatchCommit[] = [];
    const filter = odata`PartitionKey eq ${partition} and RowKey gt ${`c${pad(after)}`} and RowKey lt ${'d'}`;
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      if (out.length >= max) break;
      out.push(TableCommitLog.parseCommit(e));
    }
    return out.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  }

  /**
   * The cursor is each partition's last commit number read ({"0": 12, "1": 9}): exact, with no
   * clock in it, so no commit is read twice or missed (a time cursor with overlap counted some
   * commits in two gold runs).
   */
  async since(cursor: string | undefined, limit?: number): Promise<CommitsSince> {
    let seen: Record<string, number> = {};
    if (cursor !== undefined) {
      try {
        seen = JSON.parse(cursor) as Record<string, number>;
      } catch {
        throw new Error(`expected a commit cursor like {"0":12} (commit numbers per partition), got ${JSON.stringify(cursor)}`);
      }
      if (typeof seen !== 'object' || seen === null || Array.isArray(seen)) throw new Error(`expected a commit cursor like {"0":12}, got ${JSON.stringify(cursor)}`);
    }
    const next: Record<string, number> = { ...seen };
    const partitions = await this.partitions();
    // A limit is shared evenly, so every partition moves on in each step of a backlog; what
    // quiet partitions leave of it goes to the busy ones (a backlog on one partition, a replay).
    const each = limit === undefined ? Infinity : Math.max(1, Math.floor(limit / Math.max(1, partitions.length)));
    let budget = limit === undefined ? Infinity : Math.max(limit, partitions.length);
    const taken = new Map<string, BatchCommit[]>();
    const busy = new Set<string>();
    for (const partition of partitions) {
      // One more than the share tells whether the partition has more after it.
      const list = await this.commitsAfter(partition, seen[partition] ?? 0, each + 1);
      if (list.length > each) {
        busy.add(partition);
        list.length = each;
      }
      taken.set(partition, list);
      budget -= list.length;
    }
    for (const partition of partitions) {
      if (budget <= 0 || !busy.has(partition)) continue;
      const list = taken.get(partition)!;
      const extra = await this.commitsAfter(partition, list[list.length - 1]?.seq ?? seen[partition] ?? 0, budget + 1);
      if (extra.length > budget) extra.length = budget;
      else busy.delete(partition);
      list.push(...extra);
      budget -= extra.length;
    }
    const commits: BatchCommit[] = [];
    for (const [partition, list] of taken) {
      for (const c of list) commits.push(c);
      if (list.length) next[partition] = list[list.length - 1]!.seq ?? 0;
    }
    return { commits, cursor: JSON.stringify(next), more: busy.size > 0 };
  }

  async all(): Promise<BatchCommit[]> {
    const out: BatchCommit[] = [];
    for (const partition of await this.partitions()) {
      const byId = new Map<string, BatchCommit>();
      for (const c of await this.commitsAfter(partition, 0)) {
        byId.delete(c.batchId);
        byId.set(c.batchId, c);
      }
      for (const c of byId.values()) out.push(c); // not push(...): a partition may hold more commits than a call takes arguments
    }
    return out.sort((a, b) => a.committedAt.localeCompare(b.committedAt));
  }
}

export class TableDocuments implements DocumentStore {
  constructor(private readonly table: TableClient) {}

  async get<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(fromChunks(await this.table.getEntity<Record<string, unknown>>('doc', name))) as T;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async put(name: string, value: unknown): Promise<void> {
    await this.table.upsertEntity({ partitionKey: 'doc', rowKey: name, ...toChunks(JSON.stringify(value)) }, 'Replace');
  }
}

/** A lease in a table entity: one holder at a time; an expired lease can be taken over. */
export class TableLease {
  constructor(private readonly table: TableClient) {}

  async acquire(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    try {
      await this.table.createEntity({ partitionKey: 'lease', rowKey: name, owner, expiresAt });
      return true;
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
    const current = await this.table.getEntity<{ owner: string; expiresAt: string }>('lease', name);
    if (current.expiresAt > now.toISOString()) return false;
    try {
      await this.table.updateEntity({ partitionKey: 'lease', rowKey: name, owner, expiresAt }, 'Replace', { etag: current.etag });
      return true;
    } catch (e) {
      if (statusOf(e) === 412) return false; // someone else took it over first
      throw e;
    }
  }

  /** Extends the lease while `owner` holds it (a long CLI run); false when it expired and another took it over. */
  async renew(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
    try {
      const current = await this.table.getEntity<{ owner: string }>('lease', name);
      if (current.owner !== owner) return false;
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      await this.table.updateEntity({ partitionKey: 'lease', rowKey: name, owner, expiresAt }, 'Replace', { etag: current.etag });
      return true;
    } catch (e) {
      if (statusOf(e) === 404 || statusOf(e) === 412) return false; // released, or taken over meanwhile
      throw e;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    try {
      const current = await this.table.getEntity<{ owner: string }>('lease', name);
      if (current.owner === owner) await this.table.deleteEntity('lease', name, { etag: current.etag });
    } catch (e) {
      if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
    }
  }
}
