// The gold stage: brings every gold table up to date with silver, incrementally.
//   1. New silver commits since the last gold run name the order dates they touched.
//   2. Work data per touched date (order state, current lines, status history) is rebuilt
//      from every committed silver file of that date: all events of an order share its
//      order_date, so late and out-of-order events give the same result as in-order ones.
//   3. Each table recomputes only the partitions containing a touched date (customer and
//      RFM tables, whose ranks are global, re-aggregate the one-row-per-order work data),
//      writes new Parquet files, and commits them to its Delta log; replaced files are
//      deleted after the commit.
//   4. The cursor is saved last: a crash anywhere means the next run redoes the same work.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Duck, lit, litList, sqlFile } from './duck';
import { GOLD_TABLES, type GoldTable } from './tables';
import { readSnapshot, commitDelta, deltaType, type DeltaAdd, type DeltaSnapshot } from './delta';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BatchCommit, CommitLog, DocumentStore, Lake } from '../pipeline/ports';
import { crashPoint } from '../util/crash-point';
import { DEFAULT_JSON_OBJECT_BYTES } from '../pipeline/refine-batch';
import { latestCommittedAt } from '../pipeline/stats';
import { netCounts } from '../pipeline/heads';

export const GOLD_ROOT = 'gold';
const WORK = `${GOLD_ROOT}/_work`;
const STATE_DOC = 'gold-state';
/**
 * Work data is built for a group of dates at a time; a group holds at most this many silver
 * files (about 14 dates of a 5M-event lake, bounding memory) but as many dates as fit, so a
 * small increment touching many dates is one query, not one per 14 dates.
 */
const FILES_PER_QUERY = 8_000;
/** DuckDB buffer memory of a gold run; it spills to disk beyond this (see docs/benchmarks.md, figure 4). */
const GOLD_MEMORY_LIMIT = '256MB';

export interface GoldDeps {
  lake: Lake;
  commits: CommitLog;
  documents: DocumentStore;
  now?: () => Date;
  onProgress?: (message: string) => void;
  /**
   * A scratch folder only this lake's gold runs use (DuckDB's database and spill files,
   * downloads, outputs before upload), under the lock or lease that keeps runs one at a time.
   * Emptied when a run starts, so a killed run's leftovers are not kept, and removed when it
   * ends. Default: a new temp folder per run, which a killed run leaves behind.
   */
  scratchDir?: string;
}

export interface GoldOptions {
  /** rfm_segments as of this date (YYYY-MM-DD); default: the latest order_date of an order that counts. */
  asOf?: string;
}

interface GoldRunRecord extends BatchCounts {
  run: number;
  at: string;
  /** New batches this run took in. */
  batches: number;
  /** Replays among this run's commits: their counts are net of the commits they replaced. */
  replayedBatches: number;
}

interface GoldState {
  cursor: string;
  /** Gold runs so far (the last run's number). */
  runs: number;
  asOf: string | null;
  /** When the last run finished. */
  at: string;
}

export interface GoldSummary {
  run: number | null;
  newBatches: number;
  changedDates: number;
  tables: Array<{ name: string; version: number; partitions: number; files: number }>;
  asOf: string | null;
  /** When the newest silver batch gold has taken in was committed (null when there is none). */
  latestCommitAt: string | null;
}

export interface DateFiles {
  events: string[];
  lines: string[];
  /** The longest silver event line of the date's batches, in bytes (upper bound), when over DuckDB's 16 MB default. */
  longestLineBytes?: number;
}

/** Committed silver files per order_date (only files named by commits are ever read). */
function silverIndex(commits: readonly BatchCommit[]): Map<string, DateFiles> {
  const index = new Map<string, DateFiles>();
  for (const c of commits) {
    for (const f of c.files) {
      const m = /^silver\/(order_events|order_lines)\/order_date=(\d{4}-\d{2}-\d{2})\//.exec(f);
      if (!m) continue;
      let entry = index.get(m[2]!);
      if (!entry) index.set(m[2]!, (entry = { events: [], lines: [] }));
      (m[1] === 'order_events' ? entry.events : entry.lines).push(f);
      if (c.longestLineBytes && c.longestLineBytes > (entry.longestLineBytes ?? 0)) entry.longestLineBytes = c.longestLineBytes;
    }
  }
  return index;
}

const EVENT_COLUMNS = `{event_id: 'VARCHAR', order_id: 'VARCHAR', status: 'VARCHAR', status_rank: 'INTEGER', event_time: 'VARCHAR', order_time: 'VARCHAR', order_date: 'DATE', order_year: 'INTEGER', order_month: 'INTEGER', customer_id: 'VARCHAR', region: 'VARCHAR', item_count: 'BIGINT', order_total_usd: 'DOUBLE', is_high_value_order: 'BOOLEAN'}`;
const LINE_COLUMNS = `{event_id: 'VARCHAR', order_id: 'VARCHAR', line_number: 'INTEGER', product_id: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', quantity: 'BIGINT', line_total_usd: 'DOUBLE'}`;

/**
 * A silver line may hold a megabyte extra field in _rescued (contract v1.1); DuckDB reads at
 * most 16 MB per line unless told, and a larger limit costs buffers of that size, so it is
 * raised only for dates whose commits recorded a longer line.
 */
function jsonLimit(longestLineBytes: number): string {
  return longestLineBytes > DEFAULT_JSON_OBJECT_BYTES ? `, maximum_object_size = ${longestLineBytes + 1}` : '';
}

function eventsView(files: string[], longestLineBytes = 0): string {
  const src = files.length
    ? `read_json(${litList(files)}, format = 'newline_delimited', columns = ${EVENT_COLUMNS}${jsonLimit(longestLineBytes)})`
    : `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::VARCHAR AS status, NULL::INTEGER AS status_rank, NULL::VARCHAR AS event_time, NULL::VARCHAR AS order_time, NULL::DATE AS order_date, NULL::INTEGER AS order_year, NULL::INTEGER AS order_month, NULL::VARCHAR AS customer_id, NULL::VARCHAR AS region, NULL::BIGINT AS item_count, NULL::DOUBLE AS order_total_usd, NULL::BOOLEAN AS is_high_value_order WHERE false)`;
  // Money becomes integer cents here: silver holds 2-decimal USD, so the rounding is exact
  // (sql/_macros.sql: cents and big cents, so no value can overflow a sum).
  // A table, not a view: order state and history both read it, and the JSON is parsed once.
  return `CREATE OR REPLACE TEMP TABLE events AS SELECT event_id, order_id, status, status_rank,
    CAST(event_time AS TIMESTAMPTZ) AS event_time, CAST(order_time AS TIMESTAMPTZ) AS order_time,
    order_date, order_year, order_month, customer_id, region, item_count,
    cents_of(order_total_usd) AS total_cents, big_cents_of(order_total_usd) AS total_big, is_high_value_order AS is_high_value
    FROM ${src}`;
}

function linesView(files: string[]): string {
  const src = files.length
    ? `read_json(${litList(files)}, format = 'newline_delimited', columns = ${LINE_COLUMNS})`
    : `(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS order_id, NULL::INTEGER AS line_number, NULL::VARCHAR AS product_id, NULL::VARCHAR AS product_name, NULL::VARCHAR AS category, NULL::BIGINT AS quantity, NULL::DOUBLE AS line_total_usd WHERE false)`;
  return `CREATE OR REPLACE TEMP VIEW order_lines AS SELECT event_id, order_id, line_number, product_id, product_name, category, quantity,
    -- A line total is at most 1000 x 100000 x 1.27 USD (the quantity and price rules): BIGINT cents hold it.
    CAST(round(line_total_usd * 100) AS BIGINT) AS line_cents FROM ${src}`;
}

/** A partition key as DuckDB writes hive folders: `order_year=2026/order_month=3`. */
function partitionKey(columns: readonly string[], date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return columns.map((c) => `${c}=${c === 'order_year' ? y : c === 'order_month' ? m : date}`).join('/');
}

function inScope(scope: GoldTable['scope'], date: string, changed: ReadonlySet<string>, changedYears: ReadonlySet<string>, changedMonths: ReadonlySet<string>): boolean {
  if (scope === 'year') return changedYears.has(date.slice(0, 4));
  if (scope === 'month-merge') return changedMonths.has(date.slice(0, 7));
  if (scope === 'date' || scope === 'date-file') return changed.has(date);
  return true;
}

/** A run's scratch folder: the lake's own (the run swept it when it started), or a new temp folder. */
async function scratch(dir: string | undefined): Promise<string> {
  if (!dir) return fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-gold-'));
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

export class GoldEngine {
  private tmp = '';
  private duck!: Duck;

  constructor(private readonly deps: GoldDeps) {}

  private progress(m: string): void {
    this.deps.onProgress?.(m);
  }

  /** Local paths of lake files for DuckDB: in place for a folder lake, else downloaded to a temp folder. */
  private async local(paths: readonly string[]): Promise<string[]> {
    const { lake } = this.deps;
    if (lake.localPath) return paths.map((p) => lake.localPath!(p));
    return Promise.all(paths.map(async (p) => {
      const target = path.join(this.tmp, 'in', ...p.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, await lake.readFile(p));
      return target;
    }));
  }

  async run(opts: GoldOptions = {}): Promise<GoldSummary> {
    const { commits, documents } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    // What a killed run left in the scratch folder goes first, also when this run has nothing to do.
    if (this.deps.scratchDir) await fs.rm(this.deps.scratchDir, { recursive: true, force: true });
    const state = await documents.get<GoldState>(STATE_DOC);
    const fresh = await commits.since(state?.cursor);
    const all = await commits.all();
    const index = silverIndex(all);
    const knownDates = [...index.keys()].sort();
    const latestCommitAt = latestCommittedAt(await commits.heads());

    const changed = new Set<string>();
    for (const c of fresh.commits) for (const d of c.orderDates) changed.add(d);
    const asOf = opts.asOf ?? null;
    // Each table's snapshot is read once, here: the run holds the lake's gold lock, and a commit
    // that raced it anyway would fail (Delta commits are put-if-absent).
    const tables = await Promise.all(GOLD_TABLES.map(async (t) => ({ table: t, snap: await readSnapshot(this.deps.lake, `${GOLD_ROOT}/${t.name}`) })));
    const missing = tables.filter((t) => t.snap.version < 0).map((t) => t.table.name);
    const asOfChanged = (state?.asOf ?? null) !== asOf;
    if (!fresh.commits.length && !missing.length && !asOfChanged) {
      return { run: null, newBatches: 0, changedDates: 0, tables: [], asOf, latestCommitAt };
    }
    // A table that does not exist yet (first run, or added by an upgrade) is built from every date.
    const rebuild = new Set(missing);

    this.tmp = await scratch(this.deps.scratchDir);
    // Capped buffers: peak memory stays bounded on large lakes. Work and result tables are TEMP
    // tables: they spill to the temp directory beyond the cap like any table, but are never
    // written to the database file and its log, which made a full rebuild 1.5x slower.
    // Every output is written with an ORDER BY, so no step needs insertion order.
    this.duck = await Duck.open({ dbPath: path.join(this.tmp, 'gold.duckdb'), memoryLimit: GOLD_MEMORY_LIMIT, preserveInsertionOrder: false });
    try {
      await this.rebuildWork([...changed].sort(), index);
      const workFiles = new Set(await this.deps.lake.list(WORK));
      // Lakes from before 0.1 kept a list of runs here; count it.
      const previousRuns = typeof state?.runs === 'number' ? state.runs : Array.isArray(state?.runs) ? (state.runs as unknown[]).length : 0;
      const runNumber = previousRuns + 1;
      // Each commit is in exactly one run; a replay adds what changed (its counts less the
      // replaced commit's), so the runs always sum to stats.
      const runCounts = emptyCounts();
      for (const c of fresh.commits) addCounts(runCounts, netCounts(c));
      const replayedBatches = fresh.commits.filter((c) => c.replaces).length;
      const newRun: GoldRunRecord | undefined = fresh.commits.length
        ? { ...runCounts, run: runNumber, at: now.toISOString(), batches: fresh.commits.length - replayedBatches, replayedBatches }
        : undefined;

      const summary: GoldSummary = { run: runNumber, newBatches: fresh.commits.length, changedDates: changed.size, tables: [], asOf, latestCommitAt };
      for (const { table, snap } of tables) {
        const full = rebuild.has(table.name);
        const touched = full ? new Set(knownDates) : changed;
        if (!touched.size && !full && table.scope !== 'commits' && !(table.name === 'rfm_segments' && asOfChanged)) continue;
        if (table.scope === 'commits' && !fresh.commits.length && !full) continue;
        this.progress(`gold: ${table.name}`);
        const r = await this.buildTable(table, snap, touched, full, knownDates, workFiles, all, newRun, asOf, now);
        summary.tables.push(r);
      }
      crashPoint('gold-state');
      await documents.put(STATE_DOC, { cursor: fresh.cursor, runs: runNumber, asOf, at: new Date().toISOString() } satisfies GoldState);
      return summary;
    } finally {
      this.duck.close();
      await fs.rm(this.tmp, { recursive: true, force: true });
    }
  }

  /** Step 2: work data (orders, lines, history) for each changed order date. */
  private async rebuildWork(dates: string[], index: Map<string, DateFiles>): Promise<void> {
    const [ordersSql, linesSql, historySql] = await Promise.all([sqlFile('_work_orders'), sqlFile('_work_lines'), sqlFile('_work_history')]);
    const create = async (events: string[], lines: string[], longestLineBytes = 0) => {
      await this.duck.run(eventsView(events, longestLineBytes));
      await this.duck.run(linesView(lines));
      await this.duck.run(`CREATE OR REPLACE TEMP TABLE work_orders AS ${ordersSql}`);
      await this.duck.run(`CREATE OR REPLACE TEMP TABLE work_lines AS ${linesSql}`);
      await this.duck.run(`CREATE OR REPLACE TEMP TABLE work_history AS ${historySql}`);
    };
    await create([], []); // typed empty work tables, for tables built when no date changed
    let done = 0;
    for (const group of groupByFiles(dates, index, FILES_PER_QUERY)) {
      done += group.length;
      this.progress(`gold: order state for ${group[0]}..${group[group.length - 1]} (${done} of ${dates.length} dates)`);
      const longest = Math.max(0, ...group.map((d) => index.get(d)?.longestLineBytes ?? 0));
      await create(await this.local(group.flatMap((d) => index.get(d)?.events ?? [])), await this.local(group.flatMap((d) => index.get(d)?.lines ?? [])), longest);
      for (const name of ['orders', 'lines', 'history']) {
        const out = path.join(this.tmp, 'work', name);
        await fs.rm(out, { recursive: true, force: true });
        await fs.mkdir(path.dirname(out), { recursive: true });
        await this.duck.run(`COPY work_${name} TO ${lit(out)} (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy, PARTITION_BY (order_date), WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'data_{i}', OVERWRITE true)`);
        const written = new Set<string>();
        for (const file of await walk(out)) {
          const date = /order_date=(\d{4}-\d{2}-\d{2})/.exec(file)![1]!;
          // One work file per date: a second one would overwrite the first below.
          if (written.has(date)) throw new Error(`gold: expected one work file per order_date from DuckDB's COPY, got a second one for ${date}: ${file}`);
          written.add(date);
          await this.deps.lake.writeFile(`${WORK}/${name}/order_date=${date}/data.parquet`, await fs.readFile(file));
        }
        // A date left without orders (a replay that now quarantines them) loses its work file.
        for (const d of group) if (!written.has(d)) await this.deps.lake.deleteFile(`${WORK}/${name}/order_date=${d}/data.parquet`);
      }
      crashPoint('gold-work');
    }
  }

  /** A view over the work files of `dates`. */
  private async workView(name: 'orders' | 'lines' | 'history', dates: readonly string[], workFiles: ReadonlySet<string>): Promise<void> {
    const files = dates.map((d) => `${WORK}/${name}/order_date=${d}/data.parquet`).filter((f) => workFiles.has(f));
    const empty = `SELECT * FROM work_${name} WHERE false`;
    await this.duck.run(`CREATE OR REPLACE TEMP VIEW ${name} AS ${files.length ? `SELECT * FROM read_parquet(${litList(await this.local(files))}, hive_partitioning = false)` : empty}`);
  }

  private async buildTable(
    table: GoldTable, snap: DeltaSnapshot, touched: ReadonlySet<string>, full: boolean, knownDates: readonly string[], workFiles: ReadonlySet<string>,
    all: readonly BatchCommit[], newRun: GoldRunRecord | undefined, asOf: string | null, now: Date,
  ): Promise<{ name: string; version: number; partitions: number; files: number }> {
    const { lake } = this.deps;
    const root = `${GOLD_ROOT}/${table.name}`;
    const years = new Set([...touched].map((d) => d.slice(0, 4)));
    const months = new Set([...touched].map((d) => d.slice(0, 7)));
    const dateFiles = table.scope === 'date-file';
    // A month partition with a file that names no date (written before date files) is recomputed whole.
    const wholeMonths = new Set(dateFiles ? [...snap.files.values()].filter((f) => fileDate(f.path) === undefined).map((f) => monthOfPartition(f.partitionValues)) : []);
    const scopeDates = knownDates.filter((d) => full || inScope(table.scope, d, touched, years, months) || (wholeMonths.has(d.slice(0, 7)) && months.has(d.slice(0, 7))));

    // Partitioned tables are computed one month at a time: a full rebuild then holds one month
    // of history in memory, not the whole lake.
    const byMonth = table.partitionBy.length && (table.scope === 'date' || dateFiles);
    const groups: string[][] = byMonth ? groupByMonth(scopeDates) : [scopeDates];
    if (!groups.length) groups.push([]);
    const out = path.join(this.tmp, 'out', table.name);
    await fs.rm(out, { recursive: true, force: true });
    await fs.mkdir(out, { recursive: true });
    let schema: Array<{ name: string; type: string }> = [];
    const tableSql = await sqlFile(table.name);
    for (const dates of groups) {
      for (const view of table.reads) {
        if (view === 'dq') await this.dqView(all);
        else if (view === 'runs') await this.runsView(newRun, root, snap);
        else await this.workView(view, dates, workFiles);
      }
      if (table.name === 'rfm_segments') {
        await this.duck.run(asOf
          ? `SET VARIABLE as_of = DATE ${lit(asOf)}`
          : `SET VARIABLE as_of = (SELECT max(order_date) FROM orders WHERE status <> 'CANCELLED')`);
      }
      await this.duck.run(`CREATE OR REPLACE TEMP TABLE result AS ${tableSql}`);
      if (table.scope === 'month-merge' && !full && snap.files.size) {
        // Keep the rows of months no changed date belongs to; the changed months come from `result`.
        const keep = [...months].map((m) => Number(m.slice(0, 4)) * 100 + Number(m.slice(5, 7)));
        const current = await this.local([...snap.files.keys()].map((p) => `${root}/${p}`));
        await this.duck.run(`CREATE OR REPLACE TEMP TABLE result AS
          SELECT * FROM read_parquet(${litList(current)}, hive_partitioning = false) WHERE NOT list_contains([${keep.join(', ')}], order_year * 100 + order_month)
          UNION ALL BY NAME SELECT * FROM result`);
      }
      // Output columns: the contract's first, then partition helpers; wide sums back to BIGINT.
      const cols = await this.duck.columns('result');
      const ordered = [...table.columns, ...table.partitionBy.filter((c) => !table.columns.includes(c))];
      const typeOf = new Map(cols.map((c) => [c.name, c.type]));
      for (const c of ordered) if (!typeOf.has(c)) throw new Error(`gold table ${table.name}: expected column ${c} from sql/${table.name}.sql, got ${cols.map((x) => x.name).join(', ')}`);
      const select = ordered.map((c) => (typeOf.get(c) === 'HUGEINT' ? `CAST(${c} AS BIGINT) AS ${c}` : c)).join(', ');
      const orderBy = table.orderBy.join(', ');
      if (table.partitionBy.length) {
        // Groups write disjoint partitions into one folder (file names are unique). Date files
        // are written in an order_date folder first, and named by it when uploaded.
        const by = dateFiles ? [...table.partitionBy, 'order_date'] : table.partitionBy;
        await this.duck.run(`COPY (SELECT ${select} FROM result ORDER BY ${orderBy}) TO ${lit(out)} (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy, PARTITION_BY (${by.join(', ')}), WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'part-{uuid}', OVERWRITE_OR_IGNORE true)`);
      } else {
        await this.duck.run(`COPY (SELECT ${select} FROM result ORDER BY ${orderBy}) TO ${lit(path.join(out, `part-${randomUUID()}.parquet`))} (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy)`);
      }
      if (!schema.length) schema = (await this.duck.columns(`(SELECT ${select} FROM result)`)).map((c) => ({ name: c.name, type: deltaType(c.type) }));
      await this.duck.run('DROP TABLE IF EXISTS result');
    }

    // Upload the new files, then commit: they become visible all at once, or not at all.
    const produced = await walk(out);
    const counts = produced.length
      ? new Map((await this.duck.rows(`SELECT file_name, num_rows FROM parquet_file_metadata(${litList(produced)})`)).map((r) => [String(r['file_name']), Number(r['num_rows'])]))
      : new Map<string, number>();
    const add: DeltaAdd[] = [];
    for (const file of produced) {
      let rel = path.relative(out, file).split(path.sep).join('/');
      if (dateFiles) rel = dateFileName(rel);
      const data = await fs.readFile(file);
      await lake.writeFile(`${root}/${rel}`, data);
      const partitionValues: Record<string, string> = {};
      for (const seg of rel.split('/').slice(0, -1)) {
        const eq = seg.indexOf('=');
        partitionValues[seg.slice(0, eq)] = decodeURIComponent(seg.slice(eq + 1));
      }
      add.push({ path: rel, partitionValues, size: data.length, numRecords: counts.get(file) ?? 0 });
    }
    const replaced = new Set(table.partitionBy.length && !full ? scopeKeys(table, touched) : []);
    const remove = [...snap.files.values()]
      .filter((f) => {
        if (!table.partitionBy.length || full) return true;
        if (!replaced.has(table.partitionBy.map((c) => `${c}=${f.partitionValues[c]}`).join('/'))) return false;
        if (!dateFiles) return true;
        const date = fileDate(f.path);
        return date === undefined || touched.has(date) || wholeMonths.has(monthOfPartition(f.partitionValues));
      })
      .map((f) => f.path);
    crashPoint('gold-uploaded');
    const version = await commitDelta(lake, root, snap, { schema, partitionColumns: table.partitionBy, add, remove, operation: 'WRITE', now });
    crashPoint('gold-committed');
    // Readers that only list folders see exactly the snapshot once the replaced files are gone,
    // and so are files an interrupted run uploaded but never committed.
    const live = new Set([...snap.files.keys()].filter((p) => !remove.includes(p)).concat(add.map((a) => a.path)));
    for (const p of await lake.list(root)) {
      const rel = p.slice(root.length + 1);
      if (!rel.startsWith('_delta_log/') && !live.has(rel)) await lake.deleteFile(p);
    }
    return { name: table.name, version, partitions: new Set(add.map((a) => JSON.stringify(a.partitionValues))).size, files: add.length };
  }

  private async dqView(all: readonly BatchCommit[]): Promise<void> {
    const file = path.join(this.tmp, 'dq.jsonl');
    // Summed here first (the SQL sums again): a few rows per (date, code) instead of one per batch.
    const sums = new Map<string, { ingest_date: string; code: string; action: string; records: number }>();
    for (const c of all) {
      for (const r of c.dataQuality) {
        const key = `${r.ingest_date}\t${r.code}\t${r.action}`;
        const sum = sums.get(key);
        if (sum) sum.records += r.records;
        else sums.set(key, { ingest_date: r.ingest_date, code: r.code, action: r.action, records: r.records });
      }
    }
    const rows = [...sums.values()].map((r) => JSON.stringify(r));
    await fs.writeFile(file, rows.join('\n') + '\n');
    await this.duck.run(`CREATE OR REPLACE TEMP VIEW dq AS SELECT * FROM ${rows.length
      ? `read_json(${lit(file)}, format = 'newline_delimited', columns = {ingest_date: 'DATE', code: 'VARCHAR', action: 'VARCHAR', records: 'BIGINT'})`
      : `(SELECT NULL::DATE AS ingest_date, NULL::VARCHAR AS code, NULL::VARCHAR AS action, NULL::BIGINT AS records WHERE false)`}`);
  }

  /** The runs table so far (it is its own history) plus this run's row. */
  private async runsView(newRun: GoldRunRecord | undefined, root: string, snap: DeltaSnapshot): Promise<void> {
    const current = await this.local([...snap.files.keys()].map((p) => `${root}/${p}`));
    const file = path.join(this.tmp, 'runs.jsonl');
    const rows = newRun ? [{ run: newRun.run, run_at: newRun.at, batches: newRun.batches, received: newRun.received, written: newRun.written, quarantined: newRun.quarantined, dropped: newRun.dropped, duplicates: newRun.duplicates, warned: newRun.warned, malformed: newRun.malformed, replayed_batches: newRun.replayedBatches }] : [];
    await fs.writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const fresh = rows.length
      ? `SELECT * FROM read_json(${lit(file)}, format = 'newline_delimited', columns = {run: 'BIGINT', run_at: 'TIMESTAMPTZ', batches: 'BIGINT', received: 'BIGINT', written: 'BIGINT', quarantined: 'BIGINT', dropped: 'BIGINT', duplicates: 'BIGINT', warned: 'BIGINT', malformed: 'BIGINT', replayed_batches: 'BIGINT'})`
      : `SELECT NULL::BIGINT AS run, NULL::TIMESTAMPTZ AS run_at, NULL::BIGINT AS batches, NULL::BIGINT AS received, NULL::BIGINT AS written, NULL::BIGINT AS quarantined, NULL::BIGINT AS dropped, NULL::BIGINT AS duplicates, NULL::BIGINT AS warned, NULL::BIGINT AS malformed, NULL::BIGINT AS replayed_batches WHERE false`;
    const old = current.length ? `SELECT * FROM read_parquet(${litList(current)}, hive_partitioning = false) ${newRun ? `WHERE run <> ${newRun.run}` : ''} UNION ALL BY NAME ` : '';
    await this.duck.run(`CREATE OR REPLACE TEMP VIEW runs AS ${old}${fresh}`);
  }
}

/** `…/order_date=2026-05-05/part-<uuid>.parquet` becomes `…/part-2026-05-05-<uuid>.parquet`. */
function dateFileName(rel: string): string {
  const m = /^(.*\/)?order_date=(\d{4}-\d{2}-\d{2})\/part-([^/]+)$/.exec(rel);
  if (!m) throw new Error(`gold: expected a file in an order_date=YYYY-MM-DD folder from DuckDB's COPY, got ${rel}`);
  return `${m[1] ?? ''}part-${m[2]}-${m[3]}`;
}

/** The order_date a date file holds (undefined for files that hold a whole partition). */
function fileDate(p: string): string | undefined {
  return /(?:^|\/)part-(\d{4}-\d{2}-\d{2})-[^/]*$/.exec(p)?.[1];
}

/** YYYY-MM of an (order_year, order_month) partition. */
function monthOfPartition(values: Readonly<Record<string, string>>): string {
  return `${values['order_year']}-${String(values['order_month']).padStart(2, '0')}`;
}

/** Consecutive dates grouped so that a group's silver files stay within `limit` (a date over it is a group alone). */
export function groupByFiles(dates: readonly string[], index: ReadonlyMap<string, DateFiles>, limit: number): string[][] {
  const groups: string[][] = [];
  let files = 0;
  for (const d of dates) {
    const entry = index.get(d);
    const n = entry ? entry.events.length + entry.lines.length : 0;
    const last = groups[groups.length - 1];
    if (last && files + n <= limit) {
      last.push(d);
      files += n;
    } else {
      groups.push([d]);
      files = n;
    }
  }
  return groups;
}

/** Dates grouped by their month, in order. */
function groupByMonth(dates: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const d of dates) {
    const m = d.slice(0, 7);
    let g = groups.get(m);
    if (!g) groups.set(m, (g = []));
    g.push(d);
  }
  return [...groups.values()];
}

/** The partitions of `table` that a set of changed dates reaches. */
function scopeKeys(table: GoldTable, touched: ReadonlySet<string>): string[] {
  return [...new Set([...touched].map((d) => partitionKey(table.partitionBy, d)))];
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const rec = async (d: string) => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await rec(p);
      else if (e.name.endsWith('.parquet')) out.push(p);
    }
  };
  await rec(dir);
  return out.sort();
}

export async function buildGold(deps: GoldDeps, opts: GoldOptions = {}): Promise<GoldSummary> {
  return new GoldEngine(deps).run(opts);
}
