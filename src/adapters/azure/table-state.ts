// Pipeline state on Azure Table storage: the dedup ledger (one entity per event id,
// claimed by conditional insert), batch commits, named documents and the gold lease.
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { mergeRanges, type Range } from '../../pipeline/ranges';
import type { BatchCommit, CommitLog, DedupLedger, DocumentStore } from '../../pipeline/ports';

function statusOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
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

/** Spreads ids over partitions (Table storage scales per partition). */
function bucket(eventId: string): string {
  return eventId.slice(0, 3);
}

export class TableLedger implements DedupLedger {
  constructor(private readonly table: TableClient, private readonly concurrency = 32) {}

  async claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>> {
    // The first of equal ids in one call wins before anything is sent.
    const first = new Map<string, string>();
    for (const c of claims) if (!first.has(c.eventId)) first.set(c.eventId, c.position);
    const owners = await mapLimit([...first], this.concurrency, async ([eventId, position]) => {
      try {
        await this.table.createEntity({ partitionKey: bucket(eventId), rowKey: eventId, owner: position });
        return position;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        const existing = await this.table.getEntity<{ owner: string }>(bucket(eventId), eventId);
        return existing.owner;
      }
    });
    return new Map([...first.keys()].map((id, i) => [id, owners[i]!]));
  }

  async release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void> {
    await mapLimit(claims, this.concurrency, async ({ eventId, position }) => {
      try {
        const e = await this.table.getEntity<{ owner: string }>(bucket(eventId), eventId);
        if (e.owner === position) await this.table.deleteEntity(bucket(eventId), eventId, { etag: e.etag });
      } catch (err) {
        if (statusOf(err) !== 404 && statusOf(err) !== 412) throw err;
      }
    });
  }
}

/** Batches are never larger than this many events, so only commits this close can overlap a batch. */
const MAX_BATCH_SPAN = 100_000;
const pad = (n: number) => String(Math.max(0, n)).padStart(12, '0');

export class TableCommitLog implements CommitLog {
  constructor(private readonly table: TableClient) {}

  private static parse(e: TableEntityResult<Record<string, unknown>>): BatchCommit {
    return JSON.parse(fromChunks(e)) as BatchCommit;
  }

  async committedRanges(partition: string, first?: number, last?: number): Promise<Array<[number, number]>> {
    const pk = partition.replace(/'/g, "''");
    let filter = `PartitionKey eq '${pk}'`;
    if (first !== undefined && last !== undefined) {
      filter += ` and RowKey ge 'p${pk}-${pad(first - MAX_BATCH_SPAN)}' and RowKey le 'p${pk}-${pad(last)}~'`;
    }
    const ranges: Range[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) ranges.push(...TableCommitLog.parse(e).sequences);
    return mergeRanges(ranges);
  }

  async commit(c: BatchCommit): Promise<void> {
    await this.table.upsertEntity({ partitionKey: c.partition, rowKey: c.batchId, ...toChunks(JSON.stringify(c)) }, 'Replace');
  }

  async all(): Promise<BatchCommit[]> {
    const out: Array<{ c: BatchCommit; t: string }> = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>()) out.push({ c: TableCommitLog.parse(e), t: String(e.timestamp) });
    return out.sort((a, b) => a.t.localeCompare(b.t)).map((x) => x.c);
  }

  /**
   * Commits the service stamped at or after the cursor, less a minute of overlap: clocks of
   * writers never decide what is new, and gold is idempotent per date, so re-reading a few
   * commits costs little and missing one is impossible.
   */
  async since(cursor: string | undefined): Promise<{ commits: BatchCommit[]; cursor: string }> {
    const from = cursor ? new Date(Date.parse(cursor) - 60_000).toISOString() : undefined;
    const commits: Array<{ c: BatchCommit; t: string }> = [];
    let max = cursor ?? '';
    const query = from ? { queryOptions: { filter: `Timestamp ge datetime'${from}'` } } : {};
    for await (const e of this.table.listEntities<Record<string, unknown>>(query)) {
      const t = new Date(String(e.timestamp)).toISOString();
      commits.push({ c: TableCommitLog.parse(e), t });
      if (t > max) max = t;
    }
    commits.sort((a, b) => a.t.localeCompare(b.t));
    return { commits: commits.map((x) => x.c), cursor: max || new Date(0).toISOString() };
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

  async release(name: string, owner: string): Promise<void> {
    try {
      const current = await this.table.getEntity<{ owner: string }>('lease', name);
      if (current.owner === owner) await this.table.deleteEntity('lease', name, { etag: current.etag });
    } catch (e) {
      if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
    }
  }
}
