// Silver rows as a test reads them: every row of the Parquet files a set of lake paths names,
// through DuckDB (an independent reader), with dates and times as text, sorted.
import { query } from './parquet';
import type { Lake } from '../../src/pipeline/ports';

/** Rows of these silver Parquet files (lake paths on a folder lake), as JSON text per row, sorted. */
export async function silverRowsOf(lake: Lake & { localPath(p: string): string }, files: readonly string[]): Promise<string[]> {
  if (!files.length) return [];
  const list = files.map((f) => `'${lake.localPath(f).replace(/'/g, "''")}'`).join(', ');
  const rows = await query(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet([${list}], hive_partitioning = false) AS t`);
  return rows.map((r) => String(r['j'])).sort();
}

/** The event ids of these silver order_events files, sorted. */
export async function eventIdsOf(lake: Lake & { localPath(p: string): string }, files: readonly string[]): Promise<string[]> {
  return (await silverRowsOf(lake, files)).map((j) => (JSON.parse(j) as { event_id: string }).event_id).sort();
}
