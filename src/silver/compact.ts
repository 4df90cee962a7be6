// Compaction of silver: many small batch files of one table into few large ones, sorted by
// order_date (then any further keys) so each output covers a narrow, non-overlapping date
// range and Delta's per-file statistics skip most files for a date filter. DuckDB sorts and
// writes (spilling to disk past its memory limit); the Delta statistics of each output are
// then computed from the output itself, exactly, in the form silver's writer gives them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Duck, lit, litList } from '../gold/duck';
import { truncateMax, truncateMin, type DeltaFileStats } from './parquet/delta-stats';

export interface CompactOptions {
  /** Sort keys, most significant first (default: order_date). */
  orderBy?: readonly string[];
  /** About how large each output file gets (DuckDB closes a file at the first row group past it). Default 128 MiB. */
  targetFileBytes?: number;
  /** Rows per row group (default 122,880, DuckDB's; a group holds at least 2,048). Smaller groups let files end nearer the target. */
  rowGroupRows?: number;
  /** DuckDB's memory limit for the sort (default '1GB'; it spills to a temp folder past it). */
  memoryLimit?: string;
  /** Output file names start with this (default 'part'). */
  prefix?: string;
}

export interface CompactedFile {
  /** The output file, in `outDir`. */
  path: string;
  bytes: number;
  stats: DeltaFileStats;
}

/**
 * Rewrites `inputs` (local Parquet files of one silver table, same columns) as files in `outDir`
 * sorted by `orderBy`, in that order: file k's order_date range ends where file k+1's begins.
 * The inputs are left as they are (the caller's Delta commit removes them).
 */
export async function compactSilverFiles(inputs: readonly string[], outDir: string, opts: CompactOptions = {}): Promise<CompactedFile[]> {
  if (!inputs.length) return [];
  const duck = await Duck.open({ threads: 1, memoryLimit: opts.memoryLimit ?? '1GB' });
  try {
    return await writeSorted(duck, `read_parquet(${litList(inputs)})`, 'true', outDir, opts);
  } finally {
    duck.close();
  }
}

/**
 * Rewrites `input` (a local silver Parquet file) without its rows whose `column` is one of
 * `values`, sorted as compaction sorts: Delta's copy-on-write delete, for a replayed batch
 * whose earlier rows compaction merged into a larger file. Undefined when no row matches (the
 * file stays as it is); `outputs` is empty when every row matched.
 */
export async function rewriteWithout(input: string, outDir: string, column: string, values: readonly string[], opts: CompactOptions = {}): Promise<{ removedRows: number; outputs: CompactedFile[] } | undefined> {
  if (!values.length) return undefined;
  const duck = await Duck.open({ threads: 1, memoryLimit: opts.memoryLimit ?? '1GB' });
  try {
    const source = `read_parquet(${lit(input)})`;
    await duck.run(`CREATE TEMP TABLE purge AS SELECT unnest(${litList(values)}) AS v`);
    const [row] = await duck.rows(`SELECT count(*)::BIGINT AS n FROM ${source} WHERE ${ident(column)} IN (SELECT v FROM purge)`);
    const removedRows = Number(row?.['n'] ?? 0);
    if (!removedRows) return undefined;
    const outputs = await writeSorted(duck, source, `${ident(column)} IS NULL OR ${ident(column)} NOT IN (SELECT v FROM purge)`, outDir, opts);
    return { removedRows, outputs };
  } finally {
    duck.close();
  }
}

/** COPY of `source`'s rows where `where` holds, sorted, into files of about the target size, each with its Delta statistics. */
async function writeSorted(duck: Duck, source: string, where: string, outDir: string, opts: CompactOptions): Promise<CompactedFile[]> {
  const orderBy = opts.orderBy ?? ['order_date'];
  const prefix = opts.prefix ?? 'part';
  const run = randomUUID();
  const staging = path.join(outDir, `.compact-${run}`);
  await fs.mkdir(outDir, { recursive: true });
  try {
    const columns = await duck.columns(source);
    for (const key of orderBy) {
      if (!columns.some((c) => c.name === key)) throw new Error(`compactSilverFiles: sort key ${key} is not a column of the inputs (${columns.map((c) => c.name).join(', ')})`);
    }
    // One thread keeps the rows in sort order across files (DuckDB preserves insertion order).
    await duck.run(`COPY (SELECT * FROM ${source} WHERE ${where} ORDER BY ${orderBy.map(ident).join(', ')}) TO ${lit(staging)} (FORMAT parquet,
      COMPRESSION snappy, ROW_GROUP_SIZE ${opts.rowGroupRows ?? 122_880}, FILE_SIZE_BYTES ${opts.targetFileBytes ?? 128 << 20},
      FILENAME_PATTERN ${lit(`${prefix}-${run}-{i}`)})`);
    // Files come out numbered in write order, which is sort order.
    const written = (await listOrNone(staging)).filter((f) => f.endsWith('.parquet'))
      .sort((a, b) => fileNumber(a) - fileNumber(b));
    const out: CompactedFile[] = [];
    for (const name of written) {
      const staged = path.join(staging, name);
      const stats = await fileStats(duck, staged, columns);
      // DuckDB may open a last file just as the rows end; an empty file is no use to a table.
      if (!stats.numRecords) continue;
      const target = path.join(outDir, name);
      await fs.rename(staged, target);
      out.push({ path: target, bytes: (await fs.stat(target)).size, stats });
    }
    return out;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** A folder's entries; none when COPY wrote no file (no rows). */
async function listOrNone(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

function fileNumber(name: string): number {
  return Number(/-(\d+)\.parquet$/.exec(name)?.[1] ?? NaN);
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Types whose min and max Delta records (as Spark does): numbers, dates, timestamps, text. */
function boundKind(type: string): 'text' | 'number' | 'date' | 'timestamp' | undefined {
  if (type === 'VARCHAR') return 'text';
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE'].includes(type)) return 'number';
  if (type === 'DATE') return 'date';
  if (type === 'TIMESTAMP WITH TIME ZONE' || type === 'TIMESTAMP') return 'timestamp';
  return undefined;
}

/** The Delta statistics of one Parquet file, by one scan of it. */
async function fileStats(duck: Duck, file: string, columns: ReadonlyArray<{ name: string; type: string }>): Promise<DeltaFileStats> {
  const select = ['count(*)::BIGINT AS "n"'];
  columns.forEach((c, i) => {
    select.push(`count(*) FILTER (WHERE ${ident(c.name)} IS NULL)::BIGINT AS "null${i}"`);
    const kind = boundKind(c.type);
    if (!kind) return;
    const as = (agg: string) => (kind === 'date' ? `strftime(${agg}, '%Y-%m-%d')` : kind === 'timestamp' ? `strftime(${agg}, '%Y-%m-%dT%H:%M:%S.%gZ')` : kind === 'number' ? `${agg}::DOUBLE` : agg);
    select.push(`${as(`min(${ident(c.name)})`)} AS "min${i}"`, `${as(`max(${ident(c.name)})`)} AS "max${i}"`);
  });
  const [row] = await duck.rows(`SELECT ${select.join(', ')} FROM read_parquet(${lit(file)})`);
  if (!row) throw new Error(`compactSilverFiles: no statistics row for ${file}`);
  const stats: DeltaFileStats = { numRecords: Number(row['n']), minValues: {}, maxValues: {}, nullCount: {} };
  columns.forEach((c, i) => {
    stats.nullCount[c.name] = Number(row[`null${i}`]);
    const min = row[`min${i}`];
    const max = row[`max${i}`];
    if (min === null || min === undefined || max === null || max === undefined) return;
    if (boundKind(c.type) === 'text') {
      stats.minValues[c.name] = truncateMin(min as string);
      const cut = truncateMax(max as string);
      if (cut !== null) stats.maxValues[c.name] = cut;
    } else {
      stats.minValues[c.name] = min as string | number;
      stats.maxValues[c.name] = max as string | number;
    }
  });
  return stats;
}
