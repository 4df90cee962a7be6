// Writing a version: the actions of one commit, checked against the protocol's writer
// requirements (PROTOCOL.md §Delta Log Entries, §Add File and Remove File, §Change Metadata),
// then created put-if-absent so two writers can never both write version N.
import { randomUUID } from 'node:crypto';
import type { Lake } from '../pipeline/ports';
import { commitDigest, serializeCommit } from './actions';
import { ConcurrentCommitError } from './errors';
import { commitPath, LOG_DIR, toLogPath } from './paths';
import { tableProperties } from './properties';
import { schemaString, parseSchemaString, type DeltaField } from './schema';
import { applyCommits, firstSnapshot } from './snapshot';
import { runPostCommit, type PostCommitResult } from './post-commit';
import type { Action, AddAction, DeltaSnapshot, LiveFile, MetadataAction, PartitionValues, RemoveAction } from './types';

/** A data file to add: already written to the lake under the table folder. */
export interface NewFile {
  /** Path relative to the table root as written to the lake, e.g. "order_date=2024-01-05/part-1.parquet". */
  key: string;
  /** Every partition column, as serializePartitionValue gives it (null for a null value). */
  partitionValues: PartitionValues;
  size: number;
  /** ms since the epoch. */
  modificationTime: number;
  /** add.stats: the JSON string statsFromValues / parquetFileStats return. */
  stats?: string;
  /** Default true; false only when rearranging data already in the table. */
  dataChange?: boolean;
  tags?: Record<string, string>;
}

export interface TableDefinition {
  schema: DeltaField[];
  partitionColumns: string[];
  /** Table properties (delta.checkpointInterval, delta.logRetentionDuration, ...). */
  configuration: Record<string, string>;
  name: string;
  description: string;
}

export interface CommitRequest {
  /** commitInfo.operation, e.g. "WRITE", "CREATE TABLE", "STREAMING UPDATE". */
  operation: string;
  operationParameters?: Record<string, string>;
  /**
   * Required for the first commit (schema at least). On an existing table, a change: the fields
   * given replace the current ones, those left out (and the table id, createdTime) carry over.
   * A metaData action is written only when something changed.
   */
  metadata?: Partial<TableDefinition>;
  adds?: readonly NewFile[];
  /** Live files of the snapshot to remove. */
  removes?: readonly LiveFile[];
  /** The removes' dataChange (default true); false when the commit only rearranges rows (compaction). */
  removesDataChange?: boolean;
  /** Written in the same commit as the adds, so a batch and its progress mark land together. */
  txns?: ReadonlyArray<{ appId: string; version: number }>;
  /** commitInfo.isBlindAppend: the commit only adds files and read none (default false). */
  isBlindAppend?: boolean;
}

export interface CommitOptions {
  now?: () => Date;
  /** Default true: write a checkpoint when due and then clean up expired log files. */
  postCommit?: boolean;
}

export interface CommitResult extends PostCommitResult {
  version: number;
  /** The table at the new version (the read snapshot with this commit applied). */
  snapshot: DeltaSnapshot;
}

const WRITER_VERSION = 2;

function isNonNegativeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Metadata as comparable text: field order and configuration key order do not matter. */
function metadataKey(m: MetadataAction): string {
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify([m.id, m.name ?? null, m.description ?? null, m.format.provider, sorted(m.format.options), m.schemaString, m.partitionColumns, sorted(m.configuration), m.createdTime ?? null]);
}

function nextMetadata(table: string, snap: DeltaSnapshot | undefined, change: Partial<TableDefinition> | undefined, nowMs: number): MetadataAction | undefined {
  const prev = snap?.metadata;
  if (!prev && !change?.schema) throw new Error(`${table}: expected metadata.schema for the table's first commit, got ${JSON.stringify(change ?? null)}`);
  if (prev && !change) return undefined;
  // Spark's field order; a re-emitted metaData replaces the old one whole, so id, createdTime
  // and whatever the change leaves out are carried forward.
  const name = change?.name ?? prev?.name;
  const description = change?.description ?? prev?.description;
  const createdTime = prev ? prev.createdTime : nowMs;
  const md: MetadataAction = {
    id: prev?.id ?? randomUUID(),
    ...(name != null ? { name } : {}),
    ...(description != null ? { description } : {}),
    format: { provider: 'parquet', options: prev?.format.options ?? {} },
    schemaString: change?.schema ? schemaString(change.schema) : prev!.schemaString,
    partitionColumns: change?.partitionColumns ?? prev?.partitionColumns ?? [],
    configuration: change?.configuration ?? prev?.configuration ?? {},
    ...(createdTime != null ? { createdTime } : {}),
  };
  tableProperties(md.configuration); // throws on a malformed property before anything is written
  const fields = parseSchemaString(md.schemaString);
  for (const c of md.partitionColumns) {
    const f = fields.find((x) => x.name === c);
    if (!f) throw new Error(`${table}: expected partition column ${c} in the schema, got columns ${fields.map((x) => x.name).join(', ')}`);
    if (typeof f.type !== 'string') throw new Error(`${table}: expected partition column ${c} of a primitive type, got ${JSON.stringify(f.type)}`);
  }
  if (prev && metadataKey(md) === metadataKey(prev)) return undefined;
  return md;
}

function checkWritable(table: string, snap: DeltaSnapshot): void {
  const p = snap.protocol;
  if (p.minWriterVersion > WRITER_VERSION || (p.writerFeatures && p.writerFeatures.length)) {
    throw new Error(`${table}: the table needs writer version ${p.minWriterVersion}${p.writerFeatures?.length ? ` with features ${p.writerFeatures.join(', ')}` : ''}; this writer implements version ${WRITER_VERSION}`);
  }
  // Writer 2 must enforce column invariants; this writer cannot evaluate their SQL, so it refuses.
  const invariant = snap.schema.find((f) => f.metadata && 'delta.invariants' in f.metadata);
  if (invariant) throw new Error(`${table}: column ${invariant.name} has delta.invariants, which this writer cannot enforce`);
}

function addAction(table: string, f: NewFile, partitionColumns: readonly string[]): AddAction {
  const where = `${table}: add ${JSON.stringify(f.key)}`;
  const segments = f.key.split('/');
  if (f.key === '' || f.key.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || segments[0] === LOG_DIR) {
    throw new Error(`${where}: expected a relative file path inside the table, outside ${LOG_DIR}/`);
  }
  const keys = Object.keys(f.partitionValues).sort();
  if (JSON.stringify(keys) !== JSON.stringify([...partitionColumns].sort())) {
    throw new Error(`${where}: expected partition values for exactly ${JSON.stringify(partitionColumns)}, got ${JSON.stringify(f.partitionValues)}`);
  }
  for (const [k, v] of Object.entries(f.partitionValues)) {
    if (v !== null && typeof v !== 'string') throw new Error(`${where}: expected partition value ${k} as a string or null, got ${JSON.stringify(v)}`);
    if (v === '') throw new Error(`${where}: expected partition value ${k} non-empty ("" means null in the log; pass null)`);
  }
  if (!isNonNegativeInt(f.size) || !isNonNegativeInt(f.modificationTime)) {
    throw new Error(`${where}: expected size and modificationTime as non-negative integers, got ${f.size} and ${f.modificationTime}`);
  }
  const add: AddAction = { path: toLogPath(f.key), partitionValues: f.partitionValues, size: f.size, modificationTime: f.modificationTime, dataChange: f.dataChange ?? true };
  if (f.stats !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(f.stats);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${where}: expected stats as a JSON object in a string, got ${JSON.stringify(f.stats.slice(0, 80))}`);
    add.stats = f.stats;
  }
  if (f.tags) add.tags = f.tags;
  return add;
}

/** The actions of the commit after `snap` (version 0 when `snap` is undefined), checked. */
export function commitActions(table: string, snap: DeltaSnapshot | undefined, req: CommitRequest, nowMs: number): Action[] {
  if (snap) checkWritable(table, snap);
  const metadata = nextMetadata(table, snap, req.metadata, nowMs);
  const current = metadata ?? snap!.metadata;
  const properties = tableProperties(current.configuration);
  const removes = req.removes ?? [];
  const adds = (req.adds ?? []).map((f) => addAction(table, f, current.partitionColumns));

  const removed = new Set<string>();
  const removeActions: RemoveAction[] = removes.map((f) => {
    if (!snap || snap.files.get(f.add.path) === undefined) throw new Error(`${table}: expected to remove a live file of version ${snap?.version ?? -1}, got ${f.add.path}`);
    if (removed.has(f.add.path)) throw new Error(`${table}: expected each file removed once per commit, got ${f.add.path} twice`);
    removed.add(f.add.path);
    if (properties.appendOnly) throw new Error(`${table}: delta.appendOnly is true; expected no removes, got ${f.add.path}`);
    return { path: f.add.path, deletionTimestamp: nowMs, dataChange: req.removesDataChange ?? true, extendedFileMetadata: true, partitionValues: f.add.partitionValues, size: f.add.size };
  });
  const added = new Set<string>();
  for (const a of adds) {
    if (added.has(a.path) || removed.has(a.path)) throw new Error(`${table}: expected each path in one file action per commit, got ${a.path} twice`);
    added.add(a.path);
  }
  if (metadata && snap && JSON.stringify(metadata.partitionColumns) !== JSON.stringify(snap.metadata.partitionColumns)) {
    const kept = [...snap.files.keys()].filter((p) => !removed.has(p));
    if (kept.length) throw new Error(`${table}: changing the partition columns needs every current file removed in the same commit; ${kept.length} would stay (e.g. ${kept[0]})`);
  }
  const appIds = new Set<string>();
  for (const t of req.txns ?? []) {
    if (appIds.has(t.appId)) throw new Error(`${table}: expected one txn per appId in a commit, got ${t.appId} twice`);
    if (!Number.isSafeInteger(t.version)) throw new Error(`${table}: expected txn ${t.appId} version as an integer, got ${t.version}`);
    appIds.add(t.appId);
  }

  const actions: Action[] = [
    {
      commitInfo: {
        timestamp: nowMs,
        operation: req.operation,
        operationParameters: req.operationParameters ?? {},
        ...(snap ? { readVersion: snap.version } : {}),
        isolationLevel: 'Serializable',
        isBlindAppend: req.isBlindAppend ?? false,
        engineInfo: 'orderlake',
      },
    },
  ];
  if (!snap) actions.push({ protocol: { minReaderVersion: 1, minWriterVersion: WRITER_VERSION } });
  if (metadata) actions.push({ metaData: metadata });
  for (const t of req.txns ?? []) actions.push({ txn: { appId: t.appId, version: t.version, lastUpdated: nowMs } });
  for (const r of removeActions) actions.push({ remove: r });
  for (const a of adds) actions.push({ add: a });
  return actions;
}

/** Creates `_delta_log/<version>.json` if absent (ConcurrentCommitError when another writer has it); returns the file's commitDigest. */
export async function writeCommit(lake: Lake, table: string, version: number, actions: readonly Action[]): Promise<string> {
  const text = serializeCommit(actions);
  if (!(await lake.writeFileIfAbsent(commitPath(table, version), text))) throw new ConcurrentCommitError(table, version);
  return commitDigest(text);
}

/**
 * Commits `req` as the version after `snap` (or as version 0 when `snap` is undefined), then,
 * unless opts.postCommit is false, writes a checkpoint when one is due and cleans up expired
 * log files (a failure there is a PostCommitError: the commit itself stands).
 */
export async function commit(lake: Lake, table: string, snap: DeltaSnapshot | undefined, req: CommitRequest, opts: CommitOptions = {}): Promise<CommitResult> {
  const now = opts.now ?? (() => new Date());
  const nowMs = now().getTime();
  const actions = commitActions(table, snap, req, nowMs);
  const version = snap ? snap.version + 1 : 0;
  const digest = await writeCommit(lake, table, version, actions);
  const next = snap ? applyCommits(snap, [{ version, actions, digest }], nowMs) : firstSnapshot(table, actions, nowMs, digest);
  const post = opts.postCommit === false ? { checkpoint: undefined, deletedLogFiles: [] } : await runPostCommit(lake, next, { now });
  return { version, snapshot: next, ...post };
}
