// The local runner: landing files -> bronze -> silver on a folder lake, using the same
// stage code (ingestBronze, refineBatch) as the Azure functions. Only adapters differ.
import * as path from 'node:path';
import { LocalLake } from '../adapters/local/local-lake';
import { LocalState } from '../adapters/local/local-state';
import { LandingFileSource } from '../adapters/local/landing-source';
import { ingestBronze } from '../pipeline/ingest-bronze';
import { refineBatch, BatchFailedError } from '../pipeline/refine-batch';
import { parseBronze } from '../bronze/bronze';
import { addCounts, emptyCounts, type BatchCounts } from '../silver/refine';
import type { BronzeMessage } from '../pipeline/ports';
import type { SourceBatch } from '../pipeline/types';
import { buildGold, type GoldDeps, type GoldSummary } from '../gold/build-gold';
import type { FoldSettings } from '../gold/fold';
import { crashPoint } from '../util/crash-point';
import { scheduledGold } from '../pipeline/scheduled-gold';
import { replayBronze, type ReplayOptions, type ReplaySummary } from '../pipeline/replay';
import type { BatchRule } from '../silver/rules';
import type { Lake } from '../pipeline/ports';
import { optimizeSilver, vacuumLake, type OptimizeOptions, type OptimizeResult, type VacuumLakeOptions, type VacuumLakeResult } from '../pipeline/maintenance';

export interface LocalLakeHandle {
  lake: Lake;
  state: LocalState;
}

export function openLocalLake(dir: string): Omit<LocalLakeHandle, 'lake'> & { lake: LocalLake } {
  const root = path.resolve(dir);
  return { lake: new LocalLake(root), state: new LocalState(path.join(root, '_state')) };
}

export interface RunOptions {
  input: string;
  lakeDir: string;
  partitions?: number;
  batchSize?: number;
  now?: () => Date;
  onProgress?: (p: RunProgress) => void;
  onWarning?: (message: string) => void;
  /** Bring gold up to date at the end (default true). */
  gold?: boolean;
  /** DuckDB's buffer memory for gold (256MB, 1GB); default: gold's. */
  memoryLimit?: string;
  onGoldProgress?: (message: string) => void;
  /** For fault tests: wrap the lake (e.g. to fail a write as a full disk would). */
  wrapLake?: (lake: LocalLake) => Lake;
  /** Keep reading what is appended to the input until `signal` aborts; gold after each cycle with new events. */
  follow?: { pollMs?: number; signal: AbortSignal; onCycle?: (c: FollowCycle) => void };
}

export interface FollowCycle {
  /** Events read in this cycle. */
  read: number;
  totals: RunProgress;
  /** Seconds from the first event of the cycle being read to gold being up to date with it. */
  lagSeconds: number | null;
  goldRun: number | null;
  goldSeconds: number | null;
}

export interface RunProgress {
  read: number;
  counts: BatchCounts;
  failedBatches: number;
}

export interface RunSummary extends RunProgress {
  failures: string[];
  gold?: GoldSummary;
}

/** Gold's dependencies on a local lake: its scratch folder is under _state, swept by the next run after a crash. */
function goldDeps(lake: Lake, state: LocalState, opts: { now?: () => Date; onProgress?: ((m: string) => void) | undefined; memoryLimit?: string }): GoldDeps {
  return {
    lake,
    commits: state.commits,
    documents: state.documents,
    scratchDir: state.goldScratch,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}),
  };
}

/**
 * Takes the lake's lock, then removes what killed writes left in _tmp/: under the lock no other
 * process of this lake is writing, so every temporary file there is an orphan.
 */
async function lockLake(lake: Lake, state: LocalState): Promise<void> {
  await state.lock.acquire();
  try {
    await lake.sweepTemporary(new Date());
  } catch (e) {
    await state.lock.release();
    throw e;
  }
}

/** Replay bronze into silver (a date range of ingest dates), then gold; holds the lake's lock. */
export async function replayLocal(lakeDir: string, opts: ReplayOptions & { now?: () => Date; batchRules?: readonly BatchRule[]; gold?: boolean; memoryLimit?: string } = {}): Promise<ReplaySummary & { gold?: GoldSummary }> {
  const { lake, state } = openLocalLake(lakeDir);
  await lockLake(lake, state);
  try {
    const deps = { lake, ledger: state.ledger, commits: state.commits, ...(opts.now ? { now: opts.now } : {}), ...(opts.batchRules ? { batchRules: opts.batchRules } : {}) };
    const r: ReplaySummary & { gold?: GoldSummary } = await replayBronze(deps, opts);
    // Batches a fail rule had set aside are done once they are committed.
    const committed = new Set((await state.commits.all()).map((c) => c.batchId));
    for (const m of await state.failed.pending()) if (committed.has(m.batchId)) await state.failed.complete(m);
    if (opts.gold !== false) r.gold = await buildGold(goldDeps(lake, state, { ...(opts.now ? { now: opts.now } : {}), ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}) }));
    return r;
  } finally {
    await state.lock.release();
  }
}

/** Compact silver's small files, holding the lake's lock. */
export async function optimizeLocal(lakeDir: string, opts: OptimizeOptions = {}): Promise<OptimizeResult[]> {
  const { lake, state } = openLocalLake(lakeDir);
  await lockLake(lake, state);
  try {
    return await optimizeSilver(lake, { scratchDir: state.goldScratch, ...opts });
  } finally {
    await state.lock.release();
  }
}

/** Delete what no table version needs once the retention has passed, holding the lake's lock. */
export async function vacuumLocal(lakeDir: string, opts: VacuumLakeOptions = {}): Promise<VacuumLakeResult> {
  const { lake, state } = openLocalLake(lakeDir);
  await lockLake(lake, state);
  try {
    return await vacuumLake(lake, state.commits, opts);
  } finally {
    await state.lock.release();
  }
}

/** Bring gold up to date on its own, holding the lake's lock. */
export async function runGold(lakeDir: string, opts: { asOf?: string; now?: () => Date; onProgress?: (m: string) => void; fold?: FoldSettings; memoryLimit?: string } = {}): Promise<GoldSummary> {
  const { lake, state } = openLocalLake(lakeDir);
  await lockLake(lake, state);
  try {
    return await buildGold({ ...goldDeps(lake, state, opts), ...(opts.fold ? { fold: opts.fold } : {}) }, opts.asOf ? { asOf: opts.asOf } : {});
  } finally {
    await state.lock.release();
  }
}

/** Process what is new in the input, then gold. Safe to re-run, and to re-run after a crash at any point. */
export async function runLocal(opts: RunOptions): Promise<RunSummary> {
  const opened = openLocalLake(opts.lakeDir);
  const state = opened.state;
  const lake: Lake = opts.wrapLake ? opts.wrapLake(opened.lake) : opened.lake;
  await lockLake(lake, state);
  try {
    const summary: RunSummary = { read: 0, counts: emptyCounts(), failedBatches: 0, failures: [] };
    const deps = { lake, ledger: state.ledger, commits: state.commits, ...(opts.now ? { now: opts.now } : {}) };

    const refine = async (batch: SourceBatch, m: BronzeMessage) => {
      try {
        const r = await refineBatch({ ...batch, batchId: m.batchId, bronzeFile: m.bronzeFile }, deps);
        if (r.commit) addCounts(summary.counts, r.commit.counts);
      } catch (e) {
        if (!(e instanceof BatchFailedError)) throw e;
        // Like the poison queue in Azure: set aside for a replay, the rest goes on.
        await state.failed.send(m);
        summary.failedBatches++;
        summary.failures.push(e.message);
        opts.onWarning?.(e.message);
      }
      await state.queue.complete(m);
    };

    // 1. Finish what a previous run left between bronze and silver.
    for (const m of await state.queue.pending()) {
      const batch = parseBronze(await lake.readFile(m.bronzeFile), m.bronzeFile);
      await refine(batch, m);
    }

    // 2. New input: bronze first, then the queue message, then the source checkpoint, then silver.
    const pass = async (): Promise<number> => {
      const source = new LandingFileSource(
        {
          input: opts.input,
          partitions: opts.partitions ?? 4,
          batchSize: opts.batchSize ?? 1000,
          follow: opts.follow !== undefined,
          ...(opts.now ? { now: opts.now } : {}),
          ...(opts.onWarning ? { warn: opts.onWarning } : {}),
        },
        state.documents,
      );
      let read = 0;
      for await (const chunk of source.chunks()) {
        const messages = await Promise.all(chunk.batches.map((b) => ingestBronze(b, lake)));
        crashPoint('bronze-written');
        await Promise.all(messages.map((m) => state.queue.send(m)));
        crashPoint('queued');
        await chunk.commit();
        crashPoint('checkpointed');
        for (let i = 0; i < chunk.batches.length; i++) {
          await refine(chunk.batches[i]!, messages[i]!);
          crashPoint('silver-committed');
        }
        summary.read += chunk.events;
        read += chunk.events;
        opts.onProgress?.(summary);
      }
      return read;
    };
    // Gold and the upkeep after it, as the Azure timer does.
    const gold = async () => (await scheduledGold(goldDeps(lake, state, { ...opts, onProgress: opts.onGoldProgress }))).gold;

    const firstStarted = Date.now();
    await pass();
    if (opts.gold !== false) summary.gold = await gold();
    if (opts.follow) {
      const { signal, pollMs = 200, onCycle } = opts.follow;
      opts.follow.onCycle?.({ read: summary.read, totals: summary, lagSeconds: (Date.now() - firstStarted) / 1000, goldRun: summary.gold?.run ?? null, goldSeconds: null });
      while (!signal.aborted) {
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, pollMs);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        if (signal.aborted) break;
        const started = Date.now();
        const read = await pass();
        let goldRun: number | null = null;
        let goldSeconds: number | null = null;
        if (read && opts.gold !== false) {
          const g0 = Date.now();
          summary.gold = await gold();
          goldRun = summary.gold.run;
          goldSeconds = (Date.now() - g0) / 1000;
        }
        if (read) onCycle?.({ read, totals: summary, lagSeconds: (Date.now() - started) / 1000, goldRun, goldSeconds });
      }
    }
    return summary;
  } finally {
    await state.lock.release();
  }
}
