// A minimal Delta Lake writer (protocol reader 1 / writer 2): Parquet data files plus
// JSON commits in _delta_log/, each created put-if-absent, so two writers cannot both
// commit version N and readers always see a whole snapshot.
import { randomUUID } from 'node:crypto';
import type { Lake } from '../pipeline/ports';

export interface DeltaField {
  name: string;
  /** Delta primitive type: string, long, integer, double, boolean, date, timestamp, decimal(p,s). */
  type: string;
}

export interface DeltaAdd {
  path: string;
  partitionValues: Record<string, string>;
  size: number;
  numRecords: number;
}

export interface DeltaSnapshot {
  /** -1 when the table does not exist yet. */
  version: number;
  /** The latest version per application id of txn actions (a writer's own progress). */
  txns: Map<string, number>;
  files: Map<string, DeltaAdd>;
  schema: DeltaField[] | undefined;
  partitionColumns: string[];
  tableId: string | undefined;
}

export class ConcurrentCommitError extends Error {
  constructor(table: string, version: number) {
    super(`another writer committed version ${version} of ${table} first; run gold again (it recomputes from silver)`);
    this.name = 'ConcurrentCommitError';
  }
}

export function logPath(table: string, version: number): string {
  return `${table}/_delta_log/${String(version).padStart(20, '0')}.json`;
}

/** Replays the JSON log into the current snapshot. */
export async function readSnapshot(lake: Lake, table: string): Promise<DeltaSnapshot> {
  const logs = (await lake.list(`${table}/_delta_log`)).filter((p) => /\/\d{20}\.json$/.test(p)).sort();
  const snap: DeltaSnapshot = { version: -1, txns: new Map(), files: new Map(), schema: undefined, partitionColumns: [], tableId: undefined };
  for (const log of logs) {
    const version = Number(log.slice(-25, -5));
    if (version !== snap.version + 1) throw new Error(`${table}: expected log version ${snap.version + 1}, got ${log} (a gap in _delta_log)`);
    const text = (await lake.readFile(log)).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const action = JSON.parse(line) as Record<string, Record<string, unknown>>;
      if (action['metaData']) {
        const md = action['metaData'];
        const schema = JSON.parse(md['schemaString'] as string) as { fields: Array<{ name: string; type: string }> };
        snap.schema = schema.fields.map((f) => ({ name: f.name, type: f.type }));
        snap.partitionColumns = md['partitionColumns'] as string[];
        snap.tableId = md['id'] as string;
      } else if (action['add']) {
        const a = action['add'];
        const stats = typeof a['stats'] === 'string' ? (JSON.parse(a['stats']) as { numRecords?: number }) : {};
        snap.files.set(decodeURIComponent(a['path'] as string), {
          path: decodeURIComponent(a['path'] as string),
          partitionValues: a['partitionValues'] as Record<string, string>,
          size: a['size'] as number,
          numRecords: stats.numRecords ?? 0,
        });
      } else if (action['txn']) {
        snap.txns.set(String(action['txn']['appId']), Number(action['txn']['version']));
      } else if (action['remove']) {
        snap.files.delete(decodeURIComponent(action['remove']['path'] as string));
      }
    }
    snap.version = version;
  }
  return snap;
}

export interface DeltaCommit {
  schema: DeltaField[];
  partitionColumns: string[];
  add: DeltaAdd[];
  /** Paths (relative to the table) that this commit removes. */
  remove: string[];
  operation: string;
  now: Date;
  /** txn actions: an application's progress, committed atomically with the data. */
  txn?: Array<{ appId: string; version: number }>;
}

/** Writes version snapshot.version + 1, put-if-absent. Returns the new version. */
export async function commitDelta(lake: Lake, table: string, snap: DeltaSnapshot, c: DeltaCommit): Promise<number> {
  const version = snap.version + 1;
  const ms = c.now.getTime();
  const lines: string[] = [];
  lines.push(JSON.stringify({ commitInfo: { timestamp: ms, operation: c.operation, operationParameters: { mode: 'Overwrite', partitionBy: JSON.stringify(c.partitionColumns) }, engineInfo: 'orderlake', isBlindAppend: false } }));
  const schemaChanged = !snap.schema || JSON.stringify(snap.schema) !== JSON.stringify(c.schema) || JSON.stringify(snap.partitionColumns) !== JSON.stringify(c.partitionColumns);
  if (version === 0) lines.push(JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }));
  if (schemaChanged) {
    lines.push(JSON.stringify({
      metaData: {
        id: snap.tableId ?? randomUUID(),
        format: { provider: 'parquet', options: {} },
        schemaString: JSON.stringify({ type: 'struct', fields: c.schema.map((f) => ({ name: f.name, type: f.type, nullable: true, metadata: {} })) }),
        partitionColumns: c.partitionColumns,
        configuration: {},
        createdTime: ms,
      },
    }));
  }
  for (const t of c.txn ?? []) lines.push(JSON.stringify({ txn: { appId: t.appId, version: t.version, lastUpdated: ms } }));
  for (const path of c.remove) {
    const old = snap.files.get(path);
    lines.push(JSON.stringify({ remove: { path, deletionTimestamp: ms, dataChange: true, extendedFileMetadata: true, partitionValues: old?.partitionValues ?? {}, size: old?.size ?? 0 } }));
  }
  for (const a of c.add) {
    lines.push(JSON.stringify({ add: { path: a.path, partitionValues: a.partitionValues, size: a.size, modificationTime: ms, dataChange: true, stats: JSON.stringify({ numRecords: a.numRecords }) } }));
  }
  const created = await lake.writeFileIfAbsent(logPath(table, version), lines.join('\n') + '\n');
  if (!created) throw new ConcurrentCommitError(table, version);
  return version;
}

/** Delta type of a DuckDB column type. */
export function deltaType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT') return 'long';
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT' || t === 'UINTEGER') return 'integer';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR') return 'string';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamp';
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  throw new Error(`expected a DuckDB type with a Delta equivalent, got ${duckType}`);
}
