// The lake a command works on: a folder (its state under _state/) or an Azure lake (the lake
// account's filesystems and the state account's tables). Commands get one handle and call the
// same stage code through the same adapters either way; only how the lake is opened, and how
// gold runs are kept one at a time (the folder's lock, the Azure gold lease), differ.
import { openLocalLake, replayLocal, runGold, optimizeLocal, vacuumLocal } from '../local/runner';
import type { OptimizeOptions, OptimizeResult, VacuumLakeOptions, VacuumLakeResult } from '../pipeline/maintenance';
import type { GoldSummary } from '../gold/build-gold';
import type { FoldSettings } from '../gold/fold';
import type { LegacyCopy } from '../adapters/azure/ledger-legacy-copy';
import type { ReplayOptions, ReplaySummary } from '../pipeline/replay';
import type { CommitLog, DedupLedger, DocumentStore, Lake } from '../pipeline/ports';
import { UsageError, type OptionSpec } from './args';
import { requireLake } from './lake';
import { isLakeUrl } from './cloud-urls';

/** `--lake` of the commands that work on a folder or an Azure lake. */
export const ANY_LAKE_OPTION: OptionSpec = { type: 'string', short: 'l', value: 'dir|url', description: 'the lake: a folder, or an Azure lake https://<account>.dfs.core.windows.net (LAKE_DFS_URL)', default: './lake' };
export const STATE_OPTION: OptionSpec = { type: 'string', value: 'url', description: "an Azure lake's state account, https://<account>.table.core.windows.net (default: env STATE_TABLE_URL)" };

/** What every command sees of a lake. */
export interface LakeFiles {
  /** The lake as the user named it (a folder, or the account's endpoint), for messages. */
  where: string;
  lake: Lake;
}

export interface GoldRunOptions {
  asOf?: string;
  onProgress?: (message: string) => void;
  /** Hot and cold dates (src/gold/fold.ts); default: every change applied at once. */
  fold?: FoldSettings;
  /** DuckDB's buffer memory (256MB, 1GB); default: gold's. */
  memoryLimit?: string;
}

/** A lake with its state: commits, ledger, documents, and the runs that write gold. */
export interface LakeHandle extends LakeFiles {
  ledger: DedupLedger;
  commits: CommitLog;
  documents: DocumentStore;
  /** Batches a fail rule stopped, and batches waiting for silver (the local queues, or the Storage queues' approximate counts). */
  backlog(): Promise<{ failed: number; pending: number }>;
  /** Brings gold up to date, never at the same time as another gold run of this lake. */
  gold(opts: GoldRunOptions): Promise<GoldSummary>;
  /** Bronze to silver again (never doubling), then gold, under the same exclusion as gold. */
  replay(opts: ReplayOptions & { memoryLimit?: string }): Promise<ReplaySummary & { gold?: GoldSummary }>;
  /** Silver's small files compacted, under the same exclusion as gold. */
  optimize(opts: OptimizeOptions): Promise<OptimizeResult[]>;
  /** Files no table version needs once the retention has passed, under the same exclusion as gold. */
  vacuum(opts: VacuumLakeOptions): Promise<VacuumLakeResult>;
  /**
   * State an earlier version wrote, brought to this version's layout. Azure: the dedup ledger's
   * claims of the old layout copied into its hashed partitions (null locally: a local lake's
   * ledger imports an older ledger.log by itself when it is opened).
   */
  upgrade(): Promise<{ ledger: LegacyCopy | null }>;
}

/** What a command needs of an Azure lake: its state account, the state account's queues, write access. */
export interface LakeNeeds {
  state: boolean;
  queues?: boolean;
  writes: boolean;
}

function localHandle(dir: string): LakeHandle {
  const { lake, state } = openLocalLake(dir);
  return {
    where: dir,
    lake,
    ledger: state.ledger,
    commits: state.commits,
    documents: state.documents,
    backlog: async () => ({ failed: (await state.failed.pending()).length, pending: (await state.queue.pending()).length }),
    gold: (opts) => runGold(dir, opts),
    replay: (opts) => replayLocal(dir, opts),
    optimize: (opts) => optimizeLocal(dir, opts),
    vacuum: (opts) => vacuumLocal(dir, opts),
    upgrade: async () => ({ ledger: null }),
  };
}

/** Opens the lake `--lake` names (refusing what is not a lake, creating nothing) and runs `work` on it. */
export async function withLake<T>(values: Record<string, unknown>, command: string, needs: LakeNeeds & { state: true }, work: (h: LakeHandle) => Promise<T>): Promise<T>;
export async function withLake<T>(values: Record<string, unknown>, command: string, needs: LakeNeeds & { state: false }, work: (h: LakeFiles) => Promise<T>): Promise<T>;
export async function withLake<T>(values: Record<string, unknown>, command: string, needs: LakeNeeds, work: (h: LakeHandle) => Promise<T>): Promise<T> {
  const where = values['lake'] as string;
  const state = values['state'] as string | undefined;
  if (isLakeUrl(where)) {
    // The Azure SDKs load only for an Azure lake (local commands do not pay for them).
    const { withCloudLake } = await import('./cloud-lake');
    return withCloudLake(where, state, command, needs, work);
  }
  if (state !== undefined) throw new UsageError(`--state is for an Azure lake (--lake https://<account>.dfs.core.windows.net); the lake ${where} is a folder, with its state in ${where}/_state`);
  await requireLake(where);
  return work(localHandle(where));
}
