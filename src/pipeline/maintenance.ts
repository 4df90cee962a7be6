// Keeping the lake's files few and its storage bounded, by the one writer (the gold timer under
// its lease; locally, the lake's lock):
//   optimize: silver's small batch files merged into large files clustered by order_date
//     (quarantine: ingest_date), so reading one date reads a few files however many batches
//     touched it. `orderlake optimize` bin-packs every file under the target size (as
//     delta-rs's optimize picks them). The routine compaction after each gold run reads only
//     files no compaction wrote (as Databricks's auto compaction does): its cost follows what
//     arrived since the last one, never the table's size or age. Rewriting the partly filled
//     output of the last compaction every time made each compaction cost the whole table (a
//     year-long lake under 128 MiB rewritten every few runs, every copy kept for the retention).
//   vacuum: files no Delta version still needs once the table's retention has passed (readers of
//     the previous versions are done by then), gold's unreferenced work files, and temporary
//     files of killed writes.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { commit, readTable, vacuum, type SnapshotCache } from '../delta';
import { compactSilverFiles } from '../silver/compact';
import { SILVER_TABLES } from './refine-batch';
import { GOLD_TABLES } from '../gold/tables';
import { SILVER_SORT_KEYS } from './delta-policy';
import { GOLD_ROOT, MANIFEST_PATH, SNAPSHOT_SEEDS_PATH, WORK_ROOT, namedWorkFiles, readManifest } from '../gold/state';
import { mapLimit } from '../util/map-limit';
import type { CommitLog, DocumentStore, Lake } from './ports';

export interface OptimizeOptions {
  /** Files at or over this size are left as they are (default 128 MiB). */
  targetFileBytes?: number;
  /** Compact a table once it has at least this many smaller files (default 16). */
  minFiles?: number;
  /** Only files no compaction wrote (the routine compaction); default false: every small file. */
  uncompactedOnly?: boolean;
  now?: () => Date;
  /** A local folder for downloads and outputs, only this writer's: removed when done (default: a new temp folder). */
  scratchDir?: string;
  /** Snapshots the caller's run read already (gold published silver just before): read through and kept after each commit. */
  snapshots?: SnapshotCache;
}

export interface OptimizeResult {
  table: string;
  removed: number;
  added: number;
  version: number;
}

/** The name every file a compaction writes starts with. */
export const COMPACTED_PREFIX = 'part-compact-';

/** Whether a table's file (its key, relative to the table) was written by a compaction. */
export function isCompactionOutput(key: string): boolean {
  return key.startsWith(COMPACTED_PREFIX);
}

/** Compacts each silver table that has enough small files; returns what it did per table. */
export async function optimizeSilver(lake: Lake, opts: OptimizeOptions = {}): Promise<OptimizeResult[]> {
  const now = opts.now ?? (() => new Date());
  const target = opts.targetFileBytes ?? 128 << 20;
  const out: OptimizeResult[] = [];
  for (const table of Object.values(SILVER_TABLES)) {
    const snap = await readTable(opts.snapshots, lake, table, { now });
    if (!snap) continue;
    const small = [...snap.files.values()].filter((f) => f.add.size < target && !(opts.uncompactedOnly && isCompactionOutput(f.key)));
    if (small.length < (opts.minFiles ?? 16)) continue;
    // The scratch folder is the one writer's (gold's too): emptied after each table, as gold empties it.
    const dir = opts.scratchDir ?? await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-optimize-'));
    try {
      const inputs = await localCopies(lake, small.map((f) => `${table}/${f.key}`), path.join(dir, 'in'));
      const merged = await compactSilverFiles(inputs, path.join(dir, 'out'), { orderBy: SILVER_SORT_KEYS[table]!, targetFileBytes: target, prefix: `${COMPACTED_PREFIX}${randomUUID().slice(0, 8)}` });
      const adds = [];
      for (const m of merged) {
        const key = path.basename(m.path);
        await lake.writeFile(`${table}/${key}`, await fs.readFile(m.path));
        adds.push({ key, partitionValues: {}, size: m.bytes, modificationTime: now().getTime(), stats: JSON.stringify(m.stats), dataChange: false });
      }
      // Same rows, rearranged: dataChange false, so a streaming reader of the table skips this commit.
      const { version, snapshot } = await commit(lake, table, snap, { operation: 'OPTIMIZE', adds, removes: small, removesDataChange: false }, { now });
      opts.snapshots?.keep(snapshot);
      out.push({ table, removed: small.length, added: adds.length, version });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  return out;
}

/** Local paths of lake files: in place on a folder lake, else downloaded (eight at a time). */
async function localCopies(lake: Lake, paths: readonly string[], dir: string): Promise<string[]> {
  if (lake.localPath) return paths.map((p) => lake.localPath!(p));
  await fs.mkdir(dir, { recursive: true });
  return mapLimit(paths, 8, async (p) => {
    const target = path.join(dir, `${randomUUID()}.parquet`);
    await fs.writeFile(target, await lake.readFile(p));
    return target;
  });
}

export interface VacuumLakeOptions {
  now?: () => Date;
  /** Keep removed files this long (default: each table's delta.deletedFileRetentionDuration, 7 days). */
  retentionMs?: number;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Snapshots the caller's run read already (routine maintenance after gold): read through. */
  snapshots?: SnapshotCache;
}

export interface VacuumLakeResult {
  /** Lake paths deleted (or, in a dry run, that would be), per table or area. */
  deleted: Record<string, string[]>;
  /** Temporary files of killed writes removed. */
  temporary: number;
}

/** Gold's work files no manifest names stay this long (a run writes them before its manifest). */
const WORK_GRACE_MS = 3_600_000;

/**
 * `commits`: silver batches are committed before the next gold run publishes their files to the
 * silver tables, so until then no Delta version names them; vacuum keeps every file of a commit
 * gold has not taken in yet (those after its cursor: a few, unless gold has stopped). Dates
 * waiting for a fold (src/gold/fold.ts) need no batch file: their changes are staged in
 * gold's work data, which the manifest names.
 */
export async function vacuumLake(lake: Lake, commits: CommitLog, opts: VacuumLakeOptions = {}): Promise<VacuumLakeResult> {
  const now = opts.now ?? (() => new Date());
  const deleted: Record<string, string[]> = {};
  const manifest = await readManifest(lake);
  const pending = new Set((await commits.since(manifest?.cursor)).commits.flatMap((c) => c.files));
  const tables = [...Object.values(SILVER_TABLES), ...GOLD_TABLES.map((t) => `${GOLD_ROOT}/${t.name}`)];
  for (const table of tables) {
    const snapshot = await readTable(opts.snapshots, lake, table, { now });
    if (!snapshot) continue;
    const r = await vacuum(lake, table, {
      now,
      snapshot,
      ...(opts.retentionMs !== undefined ? { retentionMs: opts.retentionMs, enforceRetention: false } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
      // Silver batches from before silver was Delta are JSON lines that live commits still name.
      keep: (key) => key.endsWith('.jsonl') || pending.has(`${table}/${key}`),
    });
    if (r.files.length) deleted[table] = r.files;
  }
  if (manifest && lake.listEntries) {
    const named = new Set([...namedWorkFiles(manifest), MANIFEST_PATH, SNAPSHOT_SEEDS_PATH]);
    const cutoff = now().getTime() - WORK_GRACE_MS;
    const doomed = (await lake.listEntries(WORK_ROOT)).filter((e) => !named.has(e.path) && e.modified.getTime() < cutoff).map((e) => e.path);
    if (!opts.dryRun) for (const p of doomed) await lake.deleteFile(p);
    if (doomed.length) deleted[WORK_ROOT] = doomed;
  }
  const temporary = opts.dryRun ? 0 : await lake.sweepTemporary(new Date(now().getTime() - WORK_GRACE_MS));
  return { deleted, temporary };
}

/** How often the routine vacuums (removed files are kept 7 days anyway: a day late costs nothing). */
const VACUUM_EVERY_MS = 24 * 3_600_000;
const MAINTENANCE_DOC = 'maintenance';

/**
 * What the one writer does after each gold run: compact silver when enough small files piled
 * up (each run checks; the work follows what arrived), and vacuum once a day.
 */
export interface RoutineMaintenanceResult {
  optimized: OptimizeResult[];
  /** Undefined when no vacuum was due. */
  vacuumed: VacuumLakeResult | undefined;
}

export async function routineMaintenance(lake: Lake, commits: CommitLog, documents: DocumentStore, opts: { now?: () => Date; scratchDir?: string; snapshots?: SnapshotCache } = {}): Promise<RoutineMaintenanceResult> {
  const now = opts.now ?? (() => new Date());
  const optimized = await optimizeSilver(lake, { now, uncompactedOnly: true, ...(opts.scratchDir ? { scratchDir: opts.scratchDir } : {}), ...(opts.snapshots ? { snapshots: opts.snapshots } : {}) });
  const last = await documents.get<{ vacuumedAt?: string }>(MAINTENANCE_DOC);
  let vacuumed: VacuumLakeResult | undefined;
  if (!last?.vacuumedAt || now().getTime() - Date.parse(last.vacuumedAt) >= VACUUM_EVERY_MS) {
    vacuumed = await vacuumLake(lake, commits, { now, ...(opts.snapshots ? { snapshots: opts.snapshots } : {}) });
    await documents.put(MAINTENANCE_DOC, { vacuumedAt: now().toISOString() });
  }
  return { optimized, vacuumed };
}
