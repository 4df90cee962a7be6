// Stats of a Parquet file the project wrote (gold), computed exactly by one DuckDB aggregate
// over the file: row count, nulls per column, min/max per eligible column (DuckDB compares
// VARCHAR by bytes, the UTF-8 order Delta wants). Values come back as text so no digit is lost.
import { deltaTypeOfDuckDb, decimalType, type DeltaField } from './schema';
import { tableProperties } from './properties';
import { hasMinMax, JsonNumber, serializeStats, statsColumns, timestampStat, truncateMaxString, truncateMinString, type ColumnStats } from './stats';
import { sqlIdent, sqlString, withDuckDb, type SqlRunner } from './duck';
import type { StatsOptions } from './stats-values';

export interface ParquetStatsOptions extends StatsOptions {
  /** A DuckDB session to use (gold's Duck); default: a fresh one for this call. */
  sql?: SqlRunner;
}

export interface ParquetStats {
  numRecords: number;
  /** The add.stats string. */
  stats: string;
  /** The file's columns with their Delta types (partition columns included if the file has them). */
  fields: DeltaField[];
}

function text(row: Record<string, unknown>, key: string): string | undefined {
  const v = row[key];
  return v === null || v === undefined ? undefined : String(v);
}

/** Stats of the local Parquet file `file`, per the table's partition columns and configuration. */
export async function parquetFileStats(file: string, opts: ParquetStatsOptions = {}): Promise<ParquetStats> {
  const run = async (db: SqlRunner): Promise<ParquetStats> => {
    const source = `read_parquet(${sqlString(file)}, hive_partitioning = false)`;
    const described = await db.rows(`DESCRIBE SELECT * FROM ${source}`);
    const fields: DeltaField[] = described.map((r) => ({ name: String(r['column_name']), type: deltaTypeOfDuckDb(String(r['column_type'])) }));
    const chosen = statsColumns(fields, opts.partitionColumns ?? [], tableProperties(opts.configuration ?? {}));
    const selects = ['CAST(count(*) AS VARCHAR) AS n'];
    chosen.forEach((f, i) => {
      const c = sqlIdent(f.name);
      selects.push(`CAST(count(*) - count(${c}) AS VARCHAR) AS nulls_${i}`);
      if (!hasMinMax(f.type)) return;
      if (f.type === 'timestamp') selects.push(`CAST(epoch_us(min(${c})) AS VARCHAR) AS lo_${i}`, `CAST(epoch_us(max(${c})) AS VARCHAR) AS hi_${i}`);
      else selects.push(`CAST(min(${c}) AS VARCHAR) AS lo_${i}`, `CAST(max(${c}) AS VARCHAR) AS hi_${i}`);
      if (f.type === 'double' || f.type === 'float') selects.push(`CAST(coalesce(bool_or(isnan(${c}) OR isinf(${c})), false) AS VARCHAR) AS bad_${i}`);
    });
    const [row] = await db.rows(`SELECT ${selects.join(', ')} FROM ${source}`);
    if (!row) throw new Error(`${file}: expected one row of stats from DuckDB, got none`);
    const numRecords = Number(text(row, 'n'));
    const columns: ColumnStats[] = chosen.map((f, i) => {
      const out: ColumnStats = { name: f.name, nullCount: Number(text(row, `nulls_${i}`)) };
      const lo = text(row, `lo_${i}`);
      const hi = text(row, `hi_${i}`);
      if (lo === undefined || hi === undefined || text(row, `bad_${i}`) === 'true') return out; // all null, or NaN/±Inf
      if (f.type === 'timestamp') return { ...out, min: timestampStat(BigInt(lo)), max: timestampStat(BigInt(hi)) };
      if (f.type === 'string') {
        const max = truncateMaxString(hi);
        return { ...out, min: truncateMinString(lo), ...(max !== undefined ? { max } : {}) };
      }
      if (f.type === 'date') return { ...out, min: lo, max: hi };
      if (f.type === 'double' || f.type === 'float') return { ...out, min: new JsonNumber(String(Number(lo))), max: new JsonNumber(String(Number(hi))) };
      if (decimalType(f.type) || typeof f.type === 'string') return { ...out, min: new JsonNumber(lo), max: new JsonNumber(hi) }; // integers and decimals: DuckDB's exact text
      return out;
    });
    return { numRecords, stats: serializeStats(numRecords, columns), fields };
  };
  return opts.sql ? run(opts.sql) : withDuckDb(run);
}
