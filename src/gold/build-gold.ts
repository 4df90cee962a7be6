// The gold stage: plan -> apply -> publish, at a cost that follows what changed.
//   plan (plan.ts, pure): from gold's manifest and the silver commits since its cursor, the
//     work ranges to rewrite and the tables to publish;
//   apply (work.ts, customers.ts, strategies.ts, DuckDB): each range merged with the new silver
//     rows (rebuilt from silver after a replay), its rollups and range-table files; the
//     per-customer state; each table's new files;
//   publish (publish.ts): the new manifest is saved with the run's table commits in it, then
//     each table commits with txn actions (gold run, silver position). A run killed before the
//     manifest leaves the old state; one killed after it is finished by the next run.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duck, sqlFile } from './duck';
import { CUSTOMER_COLUMNS, EVENT_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS, emptyOf } from './work-schema';
import { GOLD_TABLES } from './tables';
import { deltaTypeOfDuckDb, SnapshotCache, type DeltaSnapshot } from '../delta';
import { GoldFiles } from './io';
import { groupRewrites, incomingOrders, planRun, isIdle, type GoldPlan } from './plan';
import { policyAt, stagedFor, type DeferredDate, type FoldSettings, type StagedChanges } from './fold';
import { rewriteRanges } from './work';
import { deltasFromEveryOrder, updateCustomers } from './customers';
import { STRATEGIES, type LiveFile } from './strategies';
import { publishTable, type PublishResult } from './publish';
import { GOLD_APP } from '../pipeline/delta-policy';
import { dropPreloadedSilver, mergeSource, preloadSilverRows, silverFilesOf, silverFilesOfTables, writeSilverRows } from './silver-source';
import { SILVER_TABLES } from '../pipeline/refine-batch';
import { publishSilver } from '../pipeline/publish-silver';
import { emptyManifest, namedWorkFiles, readManifest, writeManifest, GOLD_ROOT, WORK_ROOT, type GoldManifest, type TablePublish } from './state';
import { outputSelect } from './work';
import type { WorkRange } from './ranges';
import type { BatchCommit, CommitLog, DocumentStore, Lake } from '../pipeline/ports';
import { crashPoint } from '../util/crash-point';
import { latestCommittedAt } from '../pipeline/stats';

export { GOLD_ROOT } from './state';
const STATE_DOC = 'gold-state';
/**
 * DuckDB buffer memory of a gold run by default; it spills to disk beyond this (docs/benchmarks.md,
 * figure 4). More is faster on large dates: on two dates of 1.7 million orders, 1GB rewrote them in
 * 23.1 s against 27.5 s, at a peak RSS of 1,476 MB against 717 MB (docs/performance-notes.md).
 */
export const GOLD_MEMORY_LIMIT = '256MB';
/**
 * Work ranges: at most this many orders each (a rewrite reads and writes at most about that
 * much), folded when under a tenth. Smaller ranges make a late event cheaper and
 * order_status_history (one file per range in its month partition) hold more files. On the
 * bench's 5M-event lake (figures 2 and 3), 200,000: a +1% increment with late events 7.0 s,
 * 12.0% of the full rebuild, 2 files a month; 50,000: 3.0 s, 5.2%, 5 files a month, the full
 * rebuild unchanged (58.2 and 57.9 s). Above about 10 events/s every date holds more than this
 * and is a range alone.
 */
export const RANGE_LIMITS = { maxOrders: 50_000, minOrders: 5_000 };
/**
 * Silver commits one gold step takes in (about 3 million events). A backlog (gold's first run
 * on a big lake, or after an outage) goes in steps, so a step's memory and time are bounded
 * whatever the backlog: taken whole, the 14,880 commits of 10M events held 112 MB of heap, and
 * a week of backlog at 1,000 events/s (750,000 commits) would not fit an instance. Measured on
 * that 10M-event lake (docs/performance-notes.md): 4 steps, peak RSS 894 MB, 127 s; steps of
 * 2,000: 837-911 MB, 151-156 s.
 */
export const MAX_COMMITS_PER_STEP = 4_000;
/** How the progress line with a run's plan starts (the Azure function logs that line alone). */
export const PLAN_LINE = 'gold: plan:';

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
  /** Work range sizes (tests use small ones to exercise splitting). */
  limits?: { maxOrders: number; minOrders: number };
  /** Silver commits per step (default MAX_COMMITS_PER_STEP; tests use small ones to exercise steps). */
  maxCommitsPerStep?: number;
  /**
   * Hot and cold dates (src/gold/fold.ts): changes to orders placed in the last `hotDays` days
   * (0: today, UTC) are applied at once, the others folded later, the oldest first, up to
   * `coldOrdersPerRun` orders of work ranges a run. Default: every change applied at once.
   */
  fold?: FoldSettings;
  /** Snapshots read again within the caller's run (steps, then maintenance): read through and kept after each commit. */
  snapshots?: SnapshotCache;
  /** DuckDB's buffer memory, as DuckDB writes it (256MB, 1GB); default GOLD_MEMORY_LIMIT. */
  memoryLimit?: string;
}

export interface GoldOptions {
  /** rfm_segments as of this date (YYYY-MM-DD); default: the latest order_date of an order that counts. */
  asOf?: string;
  /**
   * buildGold starts no further step after this time (ms since the epoch) and leaves the rest
   * of a backlog to the next run: the Azure timer stays inside the function timeout.
   */
  deadline?: number;
}

export interface GoldSummary {
  run: number | null;
  newBatches: number;
  changedDates: number;
  tables: PublishResult[];
  asOf: string | null;
  /** When the newest silver batch gold has taken in was committed (null when there is none). */
  latestCommitAt: string | null;
  /** Lake files this run read, and bytes downloaded (a remote lake). */
  filesRead: number;
  bytesRead: number;
  /**
   * Orders in the work ranges this run wrote: a range is rewritten whole when any of its orders
   * changes, so this, not the new events, is what a run costs (docs/performance-notes.md, "Gold
   * for a year at 1,000 events/s").
   */
  ordersRewritten: number;
  /** Cold order dates whose changes still wait for a fold after the run (GoldDeps.fold). */
  datesWaiting: number;
  /** Steps taken (each a gold run of at most maxCommitsPerStep silver commits); newBatches, changedDates, filesRead and bytesRead are their sums. */
  steps: number;
  /** Silver commits are left for the next run (a backlog cut short by the deadline). */
  more: boolean;
}

async function scratch(dir: string | undefined): Promise<string> {
  if (!dir) return fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-gold-'));
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** A table's live files, from its snapshot (none when the table does not exist yet). */
function liveFiles(snap: DeltaSnapshot | undefined): Map<string, LiveFile> {
  return new Map([...(snap?.files.values() ?? [])].map((f) => [f.key, {
    path: f.key,
    partitionValues: Object.fromEntries(Object.entries(f.add.partitionValues).map(([k, v]) => [k, v ?? ''])),
    numRecords: Number(f.stats?.numRecords ?? 0),
  }]));
}

export class GoldEngine {
  constructor(private readonly deps: GoldDeps & { snapshots: SnapshotCache }) {}

  private progress(m: string): void {
    this.deps.onProgress?.(m);
  }

  async run(opts: GoldOptions = {}): Promise<GoldSummary> {
    const { lake, commits, documents } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    // What a killed run left in the scratch folder goes first, also when this run has nothing to do.
    if (this.deps.scratchDir) await fs.rm(this.deps.scratchDir, { recursive: true, force: true });
    const saved = await readManifest(lake);
    const manifest: GoldManifest = saved ?? emptyManifest();
    const published: PublishResult[] = [];
    // A run killed after saving its state but before every table committed: finish it first.
    if (manifest.pending) {
      for (const [name, t] of Object.entries(manifest.pending.tables)) {
        const r = await publishTable(lake, name, t, manifest.pending.run, manifest.positions, now, { snapshots: this.deps.snapshots });
        if (r) published.push(r);
      }
      delete manifest.pending;
      await writeManifest(lake, manifest);
    }

    const fresh = await commits.since(saved ? manifest.cursor : undefined, this.deps.maxCommitsPerStep ?? MAX_COMMITS_PER_STEP);
    // Silver's Delta tables first, with exactly the commits this run reads: gold reads silver
    // through them, so a commit made since would be in the run's plan but not in its input.
    await publishSilver(lake, fresh.commits, { now: () => now, ...(this.deps.scratchDir ? { scratchDir: this.deps.scratchDir } : {}), snapshots: this.deps.snapshots });
    const snaps = new Map(await Promise.all(GOLD_TABLES.map(async (t) => [t.name, await this.deps.snapshots.read(lake, `${GOLD_ROOT}/${t.name}`, { now: () => now })] as const)));
    if (!saved) {
      // A lake from an older version: run numbers go on from its runs, never below a table's.
      const old = await documents.get<{ runs?: unknown }>(STATE_DOC);
      const oldRuns = typeof old?.runs === 'number' ? old.runs : Array.isArray(old?.runs) ? old.runs.length : 0;
      manifest.runs = Math.max(oldRuns, ...[...snaps.values()].map((s) => s?.txns.get(GOLD_APP)?.version ?? 0));
    }
    const asOf = opts.asOf ?? null;
    const fold = this.deps.fold && policyAt(this.deps.fold, now);
    const latestCommitAt = latestCommittedAt(await commits.heads());
    const input = {
      manifest,
      firstBuild: !saved,
      fresh: fresh.commits,
      allDates: saved ? [] : [...new Set(fresh.commits.flatMap((c) => c.orderDates))].sort(),
      existingTables: new Set([...snaps].filter(([, s]) => s !== undefined).map(([n]) => n)),
      asOf,
      limits: this.deps.limits ?? RANGE_LIMITS,
      now,
      ...(fold ? { fold } : {}),
    };
    const idle = { run: null, newBatches: 0, changedDates: 0, tables: published, asOf, latestCommitAt, filesRead: 0, bytesRead: 0, ordersRewritten: 0, datesWaiting: 0, steps: 1, more: fresh.more };
    if (isIdle(input)) return idle;
    const plan = planRun(input);
    // Said before the work: a run the function timeout kills has still told what it was rewriting.
    this.progress(`${PLAN_LINE} ${plan.rewrites.length} work range rewrite(s) over ${plan.ordersToRewrite.toLocaleString('en-US')} order(s) they hold, for ${fresh.commits.length.toLocaleString('en-US')} new batch(es)`);

    const dir = await scratch(this.deps.scratchDir);
    // Capped buffers: peak memory stays bounded on large lakes; tables spill to the scratch folder.
    const duck = await Duck.open({ dbPath: path.join(dir, 'gold.duckdb'), memoryLimit: this.deps.memoryLimit ?? GOLD_MEMORY_LIMIT, preserveInsertionOrder: false });
    try {
      const files = new GoldFiles(lake, dir, duck);
      const { next, ordersRewritten } = await this.apply(files, plan, manifest, fresh.commits, saved === undefined, snaps, asOf, now, dir);
      next.cursor = fresh.cursor;
      crashPoint('gold-work');
      await writeManifest(lake, next);
      crashPoint('gold-state');
      for (const [name, t] of Object.entries(next.pending!.tables)) {
        const r = await publishTable(lake, name, t, plan.run, next.positions, now, { snap: snaps.get(name), snapshots: this.deps.snapshots });
        if (r) published.push(r);
        crashPoint('gold-committed');
      }
      delete next.pending;
      await writeManifest(lake, next);
      await this.dropReplaced(manifest, next);
      await documents.put(STATE_DOC, { runs: next.runs, at: next.at, asOf: next.asOf });
      const changedDates = new Set(fresh.commits.flatMap((c) => c.orderDates)).size;
      return { run: plan.run, newBatches: fresh.commits.length, changedDates, tables: published, asOf, latestCommitAt, filesRead: files.filesRead, bytesRead: files.bytesRead, ordersRewritten, datesWaiting: plan.deferred.length, steps: 1, more: fresh.more };
    } finally {
      duck.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Rewrites the planned ranges, updates the per-customer state and writes each table's files: the next manifest, with its tables pending. */
  private async apply(
    files: GoldFiles, plan: GoldPlan, manifest: GoldManifest, fresh: readonly BatchCommit[], firstBuild: boolean,
    snaps: ReadonlyMap<string, DeltaSnapshot | undefined>, asOf: string | null, now: Date, dir: string,
  ): Promise<{ next: GoldManifest; ordersRewritten: number }> {
    const ctx = { files, run: plan.run, maxOrders: (this.deps.limits ?? RANGE_LIMITS).maxOrders, progress: (m: string) => this.progress(m) };
    await files.duck.run('CREATE OR REPLACE TEMP TABLE customer_deltas (customer_id VARCHAR, d DATE, dn BIGINT, du BIGINT, dc DECIMAL(38, 0), db DOUBLE)');
    // A rebuild reads all the silver of its dates (a replay may have removed rows), through the
    // silver Delta tables; a merge, the new commits' own files, and when it covers deferred
    // dates, the changes staged for each since it was deferred.
    let silverNow: { events: DeltaSnapshot | undefined; lines: DeltaSnapshot | undefined; legacy: BatchCommit[] } | undefined;
    const replaced: WorkRange[] = [];
    let ranges = firstBuild ? [] : [...manifest.ranges];
    let ordersRewritten = 0;
    // Small merges go together (one pass of statements); groups of merges read the new silver rows once between them.
    const groups = groupRewrites(plan.rewrites, ctx.maxOrders, (rw) => incomingOrders(rw, fresh, manifest.deferred ?? []));
    const merges = groups.filter((g) => !g[0]!.rebuild);
    const preloaded = merges.length > 1 ? await preloadSilverRows(files, fresh, merges.flat()) : undefined;
    for (const group of groups) {
      const first = group[0]!;
      if (first.rebuild) {
        silverNow ??= {
          events: await this.deps.snapshots.read(this.deps.lake, SILVER_TABLES.events, { now: () => now }),
          lines: await this.deps.snapshots.read(this.deps.lake, SILVER_TABLES.lines, { now: () => now }),
          legacy: (await this.deps.commits.all()).filter((c) => c.files.some((f) => f.endsWith('.jsonl'))),
        };
      }
      const source = first.rebuild
        ? silverFilesOfTables(silverNow!.events, silverNow!.lines, silverNow!.legacy, first.lo, first.hi)
        : mergeSource(preloaded ?? silverFilesOf(fresh, group), group.flatMap((rw) => stagedFor(manifest.staged ?? [], rw.staged ?? [])));
      const { ranges: made } = await rewriteRanges(ctx, group, source);
      ordersRewritten += made.reduce((n, r) => n + r.orders, 0);
      const replacedNow = group.flatMap((rw) => rw.replaces);
      replaced.push(...replacedNow);
      ranges = ranges.filter((r) => !replacedNow.includes(r)).concat(made);
      crashPoint('gold-work');
    }
    if (preloaded) await dropPreloadedSilver(files);
    ranges.sort((a, b) => a.lo.localeCompare(b.lo));
    const { staged, deferred } = await stageChanges(files, plan, manifest.staged ?? [], fresh);
    // Deltas kept over overlapping ranges may have counted orders twice: start again from every order.
    if (plan.rebuildCustomers) await deltasFromEveryOrder(files, ranges);
    const customers = plan.customers ? await updateCustomers(files, firstBuild || plan.rebuildCustomers ? null : manifest.customers, ranges, plan.run, dir) : manifest.customers;

    // Every view a table's SQL reads exists, empty, until its strategy points it at files: a
    // table with nothing to read (an empty lake) still gets its schema.
    await defineEmptyViews(files, plan.customers);
    const tables: Record<string, TablePublish> = {};
    for (const tp of plan.tables) {
      const table = GOLD_TABLES.find((t) => t.name === tp.name)!;
      this.progress(`gold: ${table.name}`);

      const out = await STRATEGIES[table.scope]({ ctx, table, plan, full: tp.full, live: liveFiles(snaps.get(table.name)), ranges, replaced, fresh, asOf });
      const schema = (await files.duck.columns(`(${await outputSelect(files, table)})`)).map((c) => ({ name: c.name, type: deltaTypeOfDuckDb(c.type) }));
      tables[table.name] = { schema, partitionColumns: table.partitionBy, add: out.add, remove: out.remove };
      crashPoint('gold-uploaded');
    }
    const next: GoldManifest = {
      version: 2, runs: plan.run, at: now.toISOString(), cursor: manifest.cursor, positions: plan.positions, asOf,
      ranges, customers, ...(deferred.length ? { deferred } : {}), ...(staged.length ? { staged } : {}), pending: { run: plan.run, tables },
    };
    return { next, ordersRewritten };
  }

  /** Work files of replaced ranges and an old customer state: no manifest names them now, and only gold reads them. */
  private async dropReplaced(before: GoldManifest, after: GoldManifest): Promise<void> {
    const named = (m: GoldManifest) => namedWorkFiles(m).filter((f) => f.startsWith(`${WORK_ROOT}/`));
    const keep = new Set(named(after));
    for (const f of named(before)) if (!keep.has(f)) await this.deps.lake.deleteFile(f);
  }
}

/**
 * The staged changes the next manifest names: those still needed, and this run's, the new rows
 * of the dates that keep waiting, written to gold/_work/staged/ (src/gold/fold.ts).
 */
async function stageChanges(files: GoldFiles, plan: GoldPlan, staged: readonly StagedChanges[], fresh: readonly BatchCommit[]): Promise<{ staged: StagedChanges[]; deferred: DeferredDate[] }> {
  const kept = plan.keepStagedFrom === undefined ? [] : staged.filter((s) => s.run >= plan.keepStagedFrom!);
  if (!plan.stage.length) return { staged: kept, deferred: plan.deferred };
  const lo = plan.stage[0]!;
  const hi = plan.stage[plan.stage.length - 1]!;
  const { orders, ...written } = await writeSilverRows(files, silverFilesOf(fresh, [{ lo, hi }]), plan.stage, {
    events: `${WORK_ROOT}/staged/events/r${plan.run}.parquet`,
    lines: `${WORK_ROOT}/staged/lines/r${plan.run}.parquet`,
  });
  // Each waiting date counts the orders staged for it (an order staged twice counts twice: an upper bound).
  const deferred = plan.deferred.map((d) => (orders[d.date] === undefined ? d : { ...d, orders: (d.orders ?? 0) + orders[d.date]! }));
  return { staged: written.events || written.lines ? [...kept, { run: plan.run, lo, hi, ...written }] : kept, deferred };
}

async function defineEmptyViews(files: GoldFiles, customersDefined: boolean): Promise<void> {
  const duck = files.duck;
  await duck.run(`CREATE OR REPLACE TEMP VIEW orders AS ${emptyOf(ORDER_COLUMNS)}`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW lines AS ${emptyOf(LINE_COLUMNS)}`);
  for (const kind of ['region', 'hour', 'category', 'product'] as const) await duck.run(`CREATE OR REPLACE TEMP VIEW ${kind} AS SELECT * FROM (${await sqlFile(`_rollup_${kind}`)}) WHERE false`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW events AS ${emptyOf(EVENT_COLUMNS)}`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW history AS ${await sqlFile('_work_history')}`);
  // Customer tables are only planned with the customer state updated (which defines the view).
  if (!customersDefined) await duck.run(`CREATE OR REPLACE TEMP VIEW customers AS ${emptyOf(CUSTOMER_COLUMNS)}`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW rfm_base AS ${await sqlFile('_rfm_base_customers')}`);
  await duck.run(`SET VARIABLE as_of = DATE '1970-01-01'`);
  await duck.run(`CREATE OR REPLACE TEMP VIEW dq AS SELECT NULL::DATE AS ingest_date, NULL::VARCHAR AS code, NULL::VARCHAR AS action, NULL::BIGINT AS records WHERE false`);
}

/** Two steps' summaries as one: sums of the counts, the later step's state, each table's latest commit. */
export function combineSteps(a: GoldSummary, b: GoldSummary): GoldSummary {
  const tables = new Map(a.tables.map((t) => [t.name, t]));
  for (const t of b.tables) tables.set(t.name, t);
  return {
    run: b.run ?? a.run,
    newBatches: a.newBatches + b.newBatches,
    changedDates: a.changedDates + b.changedDates,
    tables: [...tables.values()],
    asOf: b.asOf,
    latestCommitAt: b.latestCommitAt ?? a.latestCommitAt,
    filesRead: a.filesRead + b.filesRead,
    bytesRead: a.bytesRead + b.bytesRead,
    ordersRewritten: a.ordersRewritten + b.ordersRewritten,
    datesWaiting: b.run === null ? a.datesWaiting : b.datesWaiting,
    steps: a.steps + b.steps,
    more: b.more,
  };
}

/** Gold steps until every silver commit is taken in, or until opts.deadline. */
export async function buildGold(deps: GoldDeps, opts: GoldOptions = {}): Promise<GoldSummary> {
  // The steps of a backlog read each table's log once, then only the commits after.
  const engine = new GoldEngine({ ...deps, snapshots: deps.snapshots ?? new SnapshotCache() });
  let total = await engine.run(opts);
  while (total.more && (opts.deadline === undefined || Date.now() < opts.deadline)) {
    deps.onProgress?.(`gold: step ${total.steps + 1} of a backlog (${total.newBatches} batches so far)`);
    total = combineSteps(total, await engine.run(opts));
  }
  return total;
}
