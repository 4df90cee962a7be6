// Gold's own state: the work data's ranges and files, the per-customer state, the commit
// cursor and the silver position it reflects, in one manifest. The manifest is replaced whole
// and atomically (a rename on the lake) after every work file it names is written, so a run
// killed at any point leaves the previous state intact; the tables to publish for a run are
// written into it first, so a run killed while publishing finishes on the next run.
import type { Lake } from '../pipeline/ports';
import { NotFoundError } from '../pipeline/ports';
import type { WorkRange } from './ranges';
import type { DeferredDate, StagedChanges } from './fold';
import type { DeltaField } from '../delta';

export const GOLD_ROOT = 'gold';
export const WORK_ROOT = `${GOLD_ROOT}/_work`;
export const MANIFEST_PATH = `${WORK_ROOT}/manifest.json`;
/** The tables as the last scheduled run left them (src/delta/snapshot-seeds.ts): a hint, checked before use. */
export const SNAPSHOT_SEEDS_PATH = `${WORK_ROOT}/snapshot-seeds.json.gz`;

/** One file a table commit adds. */
export interface PublishedFile {
  path: string;
  partitionValues: Record<string, string>;
  size: number;
  numRecords: number;
  /** The add action's stats JSON (numRecords, minValues, maxValues, nullCount). */
  stats?: string;
}

/** What one gold run commits to one table. */
export interface TablePublish {
  schema: DeltaField[];
  partitionColumns: string[];
  add: PublishedFile[];
  /** Paths (relative to the table) the commit removes; the files stay for the retention period. */
  remove: string[];
}

export interface GoldManifest {
  version: 2;
  /** Gold runs so far (the last run's number). */
  runs: number;
  /** When the last run saved its state. */
  at: string | null;
  /** The commit log's cursor after the commits gold has taken in. */
  cursor: string | undefined;
  /** Per source partition, the highest silver commit number gold reflects (recorded in each table's commit as a txn). */
  positions: Record<string, number>;
  /** The as-of date rfm_segments was built for (null: the default). */
  asOf: string | null;
  /** Work data, in date ranges (src/gold/ranges.ts). */
  ranges: WorkRange[];
  /** The per-customer state file (lake path), if any customer has an order. */
  customers: string | null;
  /** Cold order dates whose changes wait for a fold (src/gold/fold.ts); absent when none wait. */
  deferred?: DeferredDate[];
  /** The new rows of waiting dates, staged run by run for their folds (src/gold/fold.ts); absent when none are needed. */
  staged?: StagedChanges[];
  /** A run's table commits not yet known to be published (finished by the next run if it was killed). */
  pending?: { run: number; tables: Record<string, TablePublish> };
}

/** Every lake file the manifest names: work ranges' files (range tables' files among them, relative), the customer state, staged changes. */
export function namedWorkFiles(m: GoldManifest): string[] {
  return [
    ...m.ranges.flatMap((r) => Object.values(r.files)),
    ...(m.customers ? [m.customers] : []),
    ...(m.staged ?? []).flatMap((s) => [s.events, s.lines].filter((f): f is string => f !== undefined)),
  ];
}

export function emptyManifest(): GoldManifest {
  return { version: 2, runs: 0, at: null, cursor: undefined, positions: {}, asOf: null, ranges: [], customers: null };
}

/** The manifest, or undefined when gold has no v2 state yet (a new lake, or one from before). */
export async function readManifest(lake: Lake): Promise<GoldManifest | undefined> {
  let text: string;
  try {
    text = (await lake.readFile(MANIFEST_PATH)).toString('utf8');
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
  const m = JSON.parse(text) as GoldManifest;
  if (m.version !== 2) throw new Error(`expected gold manifest version 2 at ${MANIFEST_PATH}, got ${JSON.stringify(m.version)}`);
  return m;
}

export async function writeManifest(lake: Lake, m: GoldManifest): Promise<void> {
  await lake.writeFile(MANIFEST_PATH, JSON.stringify(m));
}
