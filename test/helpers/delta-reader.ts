// An independent Delta Lake reader for tests, written from PROTOCOL.md alone and sharing no code
// with src/delta: the check that our tables are readable by a reader that does not share our
// code or its mistakes (no third-party Delta reader can be installed here). It reads
// _last_checkpoint, the checkpoint Parquet (DuckDB read_parquet, its own query), the JSON commits
// after it, reconciles (§Action Reconciliation) and lists the live files; readDeltaRows reads the
// table's rows through exactly those files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Where the table's files come from: names relative to the table root. */
export interface TableFiles {
  /** Every file name relative to the table root. */
  list(): string[];
  /** The file's bytes, or undefined when absent. */
  read(name: string): Buffer | undefined;
}

/** A table in a local folder. */
export function folderFiles(dir: string): TableFiles {
  const walk = (rel: string): string[] =>
    readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
      const child = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? walk(child) : [child];
    });
  return {
    list: () => (existsSync(dir) ? walk('') : []),
    read: (name) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name)) : undefined),
  };
}

/** A table inside a map of "prefix/name" -> bytes (the DFS test server's storage). */
export function mapFiles(files: ReadonlyMap<string, Buffer>, prefix: string): TableFiles {
  return {
    list: () => [...files.keys()].filter((k) => k.startsWith(`${prefix}/`)).map((k) => k.slice(prefix.length + 1)),
    read: (name) => files.get(`${prefix}/${name}`),
  };
}

export interface ReaderFile {
  /** The data file's path relative to the table root (the URI path decoded). */
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  stats: string | null;
}

export interface ReaderTable {
  version: number;
  minReaderVersion: number;
  minWriterVersion: number;
  tableId: string;
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  /** Live files, sorted by path. */
  files: ReaderFile[];
  /** Latest version per appId. */
  txns: Record<string, number>;
  /** Removed paths (decoded) still listed as tombstones, sorted. */
  tombstones: string[];
  /** The checkpoint version the read started from, or null. */
  checkpoint: number | null;
}

type Row = Record<string, unknown>;

/** Runs one query with a throwaway DuckDB. */
async function query(sql: string): Promise<Row[]> {
  const duckdb = await import('@duckdb/node-api');
  const db = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A Parquet MAP as DuckDB returns it to JS (a list of key/value pairs) turned into an object. */
function mapOf(v: unknown): Record<string, string | null> {
  if (v === null || v === undefined) return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((e: { key: string; value: string | null }) => [e.key, e.value]));
  return v as Record<string, string | null>;
}

interface Replay {
  protocol?: { minReaderVersion: number; minWriterVersion: number };
  metaData?: { id: string; schemaString: string; partitionColumns: string[]; configuration: Record<string, string> };
  adds: Map<string, { partitionValues: Record<string, string | null>; size: number; stats: string | null }>;
  removes: Set<string>;
  txns: Map<string, number>;
}

function applyAdd(r: Replay, p: string, pv: Record<string, string | null>, size: number, stats: string | null) {
  r.removes.delete(p);
  r.adds.set(p, { partitionValues: pv, size, stats });
}

function applyRemove(r: Replay, p: string) {
  r.adds.delete(p);
  r.removes.add(p);
}

async function readCheckpointInto(r: Replay, parquetFiles: Buffer[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'delta-reader-'));
  try {
    const names = parquetFiles.map((data, i) => {
      const f = path.join(dir, `cp${i}.parquet`);
      writeFileSync(f, data);
      return f;
    });
    const rows = await query(`SELECT
        protocol.minReaderVersion AS p_r, protocol.minWriterVersion AS p_w,
        metaData.id AS m_id, metaData.schemaString AS m_schema, metaData.partitionColumns AS m_parts, metaData.configuration AS m_conf,
        txn.appId AS t_app, txn.version AS t_version,
        add.path AS a_path, add.partitionValues AS a_pv, add.size AS a_size, add.stats AS a_stats,
        remove.path AS r_path
      FROM read_parquet([${names.map(quote).join(', ')}], union_by_name = true)`);
    for (const row of rows) {
      if (row['p_r'] != null) r.protocol = { minReaderVersion: Number(row['p_r']), minWriterVersion: Number(row['p_w']) };
      if (row['m_id'] != null) {
        r.metaData = { id: String(row['m_id']), schemaString: String(row['m_schema']), partitionColumns: (row['m_parts'] as string[]) ?? [], configuration: mapOf(row['m_conf']) as Record<string, string> };
      }
      if (row['t_app'] != null) r.txns.set(String(row['t_app']), Number(row['t_version']));
      if (row['a_path'] != null) applyAdd(r, String(row['a_path']), mapOf(row['a_pv']), Number(row['a_size']), (row['a_stats'] as string | null) ?? null);
      if (row['r_path'] != null) applyRemove(r, String(row['r_path']));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function applyCommitText(r: Replay, text: string) {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const action = JSON.parse(line) as Record<string, Record<string, unknown>>;
    if (action['protocol']) r.protocol = action['protocol'] as Replay['protocol'];
    if (action['metaData']) r.metaData = action['metaData'] as unknown as Replay['metaData'];
    if (action['txn']) r.txns.set(String(action['txn']['appId']), Number(action['txn']['version']));
    if (action['add']) {
      const a = action['add'];
      applyAdd(r, String(a['path']), a['partitionValues'] as Record<string, string | null>, Number(a['size']), (a['stats'] as string | undefined) ?? null);
    }
    if (action['remove']) applyRemove(r, String(action['remove']['path']));
  }
}

/** The table's current state, from its _delta_log. */
export async function readDeltaLog(files: TableFiles): Promise<ReaderTable> {
  const logNames = files.list().filter((n) => n.startsWith('_delta_log/')).map((n) => n.slice('_delta_log/'.length));
  const commits = logNames.filter((n) => /^\d{20}\.json$/.test(n)).map((n) => Number(n.slice(0, 20)));
  const checkpoints = logNames.filter((n) => /^\d{20}\.checkpoint\.parquet$/.test(n)).map((n) => Number(n.slice(0, 20)));
  const pad = (v: number) => String(v).padStart(20, '0');

  // §Last Checkpoint File: start from the checkpoint it names when that file is there; otherwise the newest checkpoint listed.
  let checkpoint: number | null = null;
  const hintText = files.read('_delta_log/_last_checkpoint');
  if (hintText) {
    const hint = JSON.parse(hintText.toString('utf8')) as { version: number; parts?: number };
    if (hint.parts && hint.parts > 1) throw new Error(`delta-reader: multi-part checkpoints are not supported, _last_checkpoint says ${hint.parts} parts`);
    if (checkpoints.includes(hint.version)) checkpoint = hint.version;
  }
  if (checkpoint === null && checkpoints.length) checkpoint = Math.max(...checkpoints);
  const newer = checkpoints.filter((v) => checkpoint !== null && v > checkpoint);
  if (newer.length) checkpoint = Math.max(...newer); // a stale hint: a newer checkpoint exists

  const r: Replay = { adds: new Map(), removes: new Set(), txns: new Map() };
  if (checkpoint !== null) await readCheckpointInto(r, [files.read(`_delta_log/${pad(checkpoint)}.checkpoint.parquet`)!]);
  const start = checkpoint === null ? 0 : checkpoint + 1;
  const last = Math.max(checkpoint ?? -1, ...commits);
  for (let v = start; v <= last; v++) {
    const text = files.read(`_delta_log/${pad(v)}.json`);
    if (!text) throw new Error(`delta-reader: commit ${v} is missing (replaying ${start}..${last})`);
    applyCommitText(r, text.toString('utf8'));
  }
  if (!r.protocol || !r.metaData) throw new Error('delta-reader: no protocol or metaData in the log');
  return {
    version: last,
    minReaderVersion: r.protocol.minReaderVersion,
    minWriterVersion: r.protocol.minWriterVersion,
    tableId: r.metaData.id,
    schemaString: r.metaData.schemaString,
    partitionColumns: r.metaData.partitionColumns,
    configuration: r.metaData.configuration,
    files: [...r.adds.entries()].map(([p, a]) => ({ path: decodeURIComponent(p), ...a })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    txns: Object.fromEntries([...r.txns.entries()].sort()),
    tombstones: [...r.removes].map((p) => decodeURIComponent(p)).sort(),
    checkpoint,
  };
}

/**
 * The table's rows: every live file read with DuckDB, partition columns taken from the log (not
 * from folder names), rows sorted by their JSON text so tests can compare them exactly.
 */
export async function readDeltaRows(files: TableFiles, table?: ReaderTable): Promise<Row[]> {
  const t = table ?? (await readDeltaLog(files));
  const dir = mkdtempSync(path.join(tmpdir(), 'delta-rows-'));
  try {
    const out: Row[] = [];
    for (const [i, f] of t.files.entries()) {
      const local = path.join(dir, `f${i}.parquet`);
      const data = files.read(f.path);
      if (!data) throw new Error(`delta-reader: live file ${f.path} is missing`);
      writeFileSync(local, data);
      const rows = await query(`SELECT * FROM read_parquet(${quote(local)}, hive_partitioning = false)`);
      for (const row of rows) {
        for (const c of t.partitionColumns) if (!(c in row)) row[c] = f.partitionValues[c] ?? null;
        out.push(row);
      }
    }
    return out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
