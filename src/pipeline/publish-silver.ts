// Publishing silver as Delta tables (silver/order_events, silver/order_lines, quarantine).
// Silver batches commit to the state store (partition heads), never to Delta: many silver
// instances would otherwise queue on one Delta log. One publisher (the gold run, under its
// lease; locally, the lake's one writer) appends the commits gold is about to read to each
// table in one Delta commit per table, with a txn action per source partition: the highest
// silver commit number the table holds. The txn is in the same atomic commit as the files, so a
// publisher killed at any point publishes each batch exactly once on its next run, and gold
// never reads a commit whose rows the tables do not hold yet.
//
// A replay's commit replaces its batch's earlier files. When compaction already merged those
// into larger files, the batch's rows are deleted from them as Delta does (copy-on-write): each
// file whose bronze_file statistics may hold the batch is rewritten without its rows.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { commit, readTable, type DeltaField, type SnapshotCache, type DeltaSnapshot, type LiveFile, type NewFile } from '../delta';
import { deltaSchema, SILVER_EVENT_COLUMNS, SILVER_LINE_COLUMNS, QUARANTINE_COLUMNS } from '../silver/parquet/tables';
import { rewriteWithout } from '../silver/compact';
import { SILVER_TABLES } from './refine-batch';
import { SILVER_SORT_KEYS, TABLE_PROPERTIES, liveByKey, silverApp } from './delta-policy';
import type { BatchCommit, Lake } from './ports';

const SCHEMAS: Record<keyof typeof SILVER_TABLES, DeltaField[]> = {
  events: deltaSchema(SILVER_EVENT_COLUMNS as never).fields as DeltaField[],
  lines: deltaSchema(SILVER_LINE_COLUMNS as never).fields as DeltaField[],
  quarantine: deltaSchema(QUARANTINE_COLUMNS as never).fields as DeltaField[],
};

export interface SilverPublishOptions {
  now?: () => Date;
  /** A local folder for the files a replay rewrites, only this writer's: removed when done (default: a new temp folder). */
  scratchDir?: string;
  /** Snapshots the caller's run reads again (gold, then maintenance): read through and kept after each commit. */
  snapshots?: SnapshotCache;
}

export interface SilverPublishSummary {
  /** Commits given that the tables did not hold yet. */
  commits: number;
  /** Per table: the new version, files added and removed, and rows a replay deleted from compacted files. */
  tables: Array<{ table: string; version: number; added: number; removed: number; purgedRows: number }>;
}

/** What one table's publish commit holds, before any rewrite. */
export interface TablePublishPlan {
  adds: NewFile[];
  removes: LiveFile[];
  /** Bronze files of replayed batches whose earlier rows are in the table but not in a file of their own (compacted). */
  purge: string[];
  /** The txn version per source partition. */
  positions: Map<string, number>;
}

/** The files of `c` in table `root` (Parquet: batches before silver became Delta wrote JSON lines, which no Delta table holds). */
export function filesOf(c: Pick<BatchCommit, 'files'>, root: string): string[] {
  return c.files.filter((f) => f.startsWith(`${root}/`) && f.endsWith('.parquet'));
}

/** The highest silver commit of `partition` the table holds (0: none). */
export function publishedSeq(snap: DeltaSnapshot | undefined, partition: string): number {
  return snap?.txns.get(silverApp(partition))?.version ?? 0;
}

/** Decides one table's publish commit from its snapshot and the commits gold is about to read. */
export function planTablePublish(snap: DeltaSnapshot | undefined, root: string, fresh: readonly BatchCommit[], nowMs: number): TablePublishPlan {
  const live = liveByKey(snap);
  const plan: TablePublishPlan = { adds: [], removes: [], purge: [], positions: new Map() };
  const adds = new Map<string, NewFile>();
  const removing = new Set<string>();
  for (const c of fresh) {
    if (c.seq === undefined || c.seq <= publishedSeq(snap, c.partition)) continue; // in the table already
    plan.positions.set(c.partition, Math.max(plan.positions.get(c.partition) ?? 0, c.seq));
    for (const f of filesOf(c, root)) {
      const meta = c.fileStats?.[f];
      const key = f.slice(root.length + 1);
      adds.set(key, { key, partitionValues: {}, size: meta?.size ?? 0, modificationTime: nowMs, ...(meta ? { stats: meta.stats } : {}) });
    }
    const replaced = c.replaces;
    if (!replaced) continue;
    let compacted = false;
    for (const f of filesOf(replaced, root)) {
      const key = f.slice(root.length + 1);
      // The replaced commit came in this same publish: its files never reach the table.
      if (adds.delete(key)) continue;
      const gone = live.get(key);
      if (gone && !removing.has(gone.key)) {
        plan.removes.push(gone);
        removing.add(gone.key);
      } else if (!gone) {
        compacted = true;
      }
    }
    // The replaced commit's rows are in the table only if it was published (older commits do not say: assume so).
    const wasPublished = replaced.seq === undefined || replaced.seq <= publishedSeq(snap, c.partition);
    if (compacted && wasPublished) plan.purge.push(c.bronzeFile);
  }
  plan.adds = [...adds.values()];
  return plan;
}

/** Live files whose bronze_file statistics may hold one of `bronzeFiles` (no statistics: may hold anything). */
export function filesMayHold(files: Iterable<LiveFile>, bronzeFiles: readonly string[]): LiveFile[] {
  return [...files].filter((f) => {
    const lo = f.stats?.minValues?.['bronze_file'];
    const hi = f.stats?.maxValues?.['bronze_file'];
    if (typeof lo !== 'string' || typeof hi !== 'string') return true;
    return bronzeFiles.some((b) => lo <= b && b <= hi);
  });
}

/** Appends `fresh` commits (those the tables do not hold) to silver's three Delta tables. */
export async function publishSilver(lake: Lake, fresh: readonly BatchCommit[], opts: SilverPublishOptions = {}): Promise<SilverPublishSummary> {
  const now = opts.now ?? (() => new Date());
  const summary: SilverPublishSummary = { commits: 0, tables: [] };
  if (!fresh.length) return summary;
  // Lines before events: a reader that finds an event in events finds its lines.
  for (const kind of ['lines', 'events', 'quarantine'] as const) {
    const root = SILVER_TABLES[kind];
    const snap = await readTable(opts.snapshots, lake, root, { now });
    const plan = planTablePublish(snap, root, fresh, now().getTime());
    if (!plan.positions.size) continue;
    if (kind === 'events') summary.commits = fresh.filter((c) => c.seq !== undefined && c.seq > publishedSeq(snap, c.partition)).length;
    const purgedRows = plan.purge.length ? await purgeCompacted(lake, root, snap, plan, now, opts.scratchDir) : 0;
    const { version, snapshot } = await commit(lake, root, snap, {
      operation: purgedRows ? 'MERGE' : 'STREAMING UPDATE',
      // Silver's writer gives statistics for every column (33 in order_events, one past Delta's default of 32).
      metadata: { schema: SCHEMAS[kind], partitionColumns: [], configuration: { ...TABLE_PROPERTIES, 'delta.dataSkippingNumIndexedCols': '-1' } },
      adds: plan.adds,
      removes: plan.removes,
      txns: [...plan.positions].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([p, v]) => ({ appId: silverApp(p), version: v })),
      isBlindAppend: !plan.removes.length,
    }, { now });
    opts.snapshots?.keep(snapshot);
    summary.tables.push({ table: root, version, added: plan.adds.length, removed: plan.removes.length, purgedRows });
  }
  return summary;
}

/**
 * Rewrites each live file that holds rows of `plan.purge` without them: the rewritten files join
 * the plan's adds, the originals its removes. Returns the rows deleted.
 */
async function purgeCompacted(lake: Lake, root: string, snap: DeltaSnapshot | undefined, plan: TablePublishPlan, now: () => Date, scratchDir: string | undefined): Promise<number> {
  const removing = new Set(plan.removes.map((f) => f.key));
  const candidates = filesMayHold(snap?.files.values() ?? [], plan.purge).filter((f) => !removing.has(f.key));
  if (!candidates.length) return 0;
  // The scratch folder is the one writer's: removed when done, as gold removes it.
  const dir = scratchDir ?? await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-purge-'));
  let rows = 0;
  try {
    for (const f of candidates) {
      const input = lake.localPath?.(`${root}/${f.key}`) ?? path.join(dir, `${randomUUID()}.parquet`);
      if (!lake.localPath) {
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(input, await lake.readFile(`${root}/${f.key}`));
      }
      const r = await rewriteWithout(input, path.join(dir, 'out'), 'bronze_file', plan.purge, { orderBy: SILVER_SORT_KEYS[root] ?? ['order_date'], prefix: `part-rewrite-${randomUUID().slice(0, 8)}` });
      if (!r) continue;
      rows += r.removedRows;
      plan.removes.push(f);
      for (const out of r.outputs) {
        const key = path.basename(out.path);
        await lake.writeFile(`${root}/${key}`, await fs.readFile(out.path));
        plan.adds.push({ key, partitionValues: {}, size: out.bytes, modificationTime: now().getTime(), stats: JSON.stringify(out.stats) });
      }
    }
    return rows;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
