// The checkpoint Parquet file itself, written and read with DuckDB. The schema is Spark's
// (field order as Spark 3 writes it, which Trino has read by position; PROTOCOL.md
// §Checkpoint Schema): every field OPTIONAL, versions INT32, longs INT64, real Parquet MAPs and
// 3-level LISTs, stats as a JSON string, no stats_parsed, no commitInfo/cdc columns.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAction } from './actions';
import { sqlString, withDuckDb } from './duck';
import type { Action } from './types';

const MAP = 'MAP(VARCHAR, VARCHAR)';

/** DuckDB column types of the checkpoint, in Spark's order. */
export const CHECKPOINT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['txn', 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)'],
  ['add', `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, tags ${MAP}, stats VARCHAR)`],
  ['remove', `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT)`],
  [
    'metaData',
    `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT)`,
  ],
  ['protocol', 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)'],
];

/** A checkpoint row as JSON: the action's struct under its column name, fields the checkpoint does not keep left out. */
function rowJson(a: Action, writeStats: boolean): string {
  if ('add' in a) {
    const { path: p, partitionValues, size, modificationTime, dataChange, tags, stats } = a.add;
    return JSON.stringify({ add: { path: p, partitionValues, size, modificationTime, dataChange, tags: tags ?? null, stats: writeStats ? (stats ?? null) : null } });
  }
  if ('remove' in a) {
    // Checkpoints keep no remove.stats or remove.tags (P §Checkpoints).
    const { path: p, deletionTimestamp, dataChange, extendedFileMetadata, partitionValues, size } = a.remove;
    return JSON.stringify({ remove: { path: p, deletionTimestamp: deletionTimestamp ?? null, dataChange, extendedFileMetadata: extendedFileMetadata ?? null, partitionValues: partitionValues ?? null, size: size ?? null } });
  }
  if ('commitInfo' in a) throw new Error('expected checkpoint actions, got commitInfo (checkpoints never keep commit provenance)');
  return JSON.stringify(a);
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-delta-'));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The Parquet bytes of a checkpoint holding `actions`, one row each. */
export async function checkpointParquet(actions: readonly Action[], opts: { writeStatsAsJson: boolean }): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const rows = path.join(dir, 'rows.json');
    const out = path.join(dir, 'checkpoint.parquet');
    await fs.writeFile(rows, actions.map((a) => rowJson(a, opts.writeStatsAsJson)).join('\n') + '\n');
    const columns = CHECKPOINT_COLUMNS.map(([name, type]) => `${name}: ${sqlString(type)}`).join(', ');
    await withDuckDb(async (db) => {
      await db.rows(`COPY (SELECT ${CHECKPOINT_COLUMNS.map(([n]) => n).join(', ')}
        FROM read_json(${sqlString(rows)}, format = 'newline_delimited', maximum_object_size = 1073741824, columns = {${columns}}))
        TO ${sqlString(out)} (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy)`);
    });
    return fs.readFile(out);
  });
}

/** The actions of a checkpoint (all its parts, local files), in file order. */
export async function readCheckpointFiles(files: readonly string[], where: string): Promise<Action[]> {
  const rows = await withDuckDb((db) => db.rows(`SELECT to_json(t) AS j FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true) t`));
  const out: Action[] = [];
  rows.forEach((r, i) => {
    const action = parseAction(JSON.parse(String(r['j'])), `${where} row ${i + 1}`);
    if (action) out.push(action);
  });
  return out;
}

/** Reads checkpoint parts given as bytes (a lake without local paths), through temporary files. */
export async function readCheckpointBytes(parts: readonly Buffer[], where: string): Promise<Action[]> {
  return withTempDir(async (dir) => {
    const files: string[] = [];
    for (const [i, data] of parts.entries()) {
      const f = path.join(dir, `part-${i}.parquet`);
      await fs.writeFile(f, data);
      files.push(f);
    }
    return readCheckpointFiles(files, where);
  });
}
