// Files between the lake and DuckDB for a gold run: lake files made local (in place on a
// folder lake, downloaded with bounded concurrency on ADLS, each once per run), and query
// results written as Parquet and uploaded. Only the files a run needs are ever read.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Duck, lit, litList } from './duck';
import { parquetFileStats } from '../delta';
import { mapLimit } from '../util/map-limit';
import type { Lake } from '../pipeline/ports';

/** Downloads in flight at once on a remote lake: enough to hide latency, never thousands of requests at once. */
const DOWNLOADS_IN_FLIGHT = 8;

export class GoldFiles {
  private readonly downloaded = new Map<string, Promise<string>>();
  /** Bytes read from a remote lake this run (figure 7 reports them). */
  bytesRead = 0;
  /** Lake files made local this run. */
  filesRead = 0;

  constructor(private readonly lake: Lake, private readonly scratch: string, readonly duck: Duck) {}

  /** Local paths of lake files, in order. */
  async local(paths: readonly string[]): Promise<string[]> {
    this.filesRead += paths.filter((p) => !this.downloaded.has(p)).length;
    if (this.lake.localPath) return paths.map((p) => this.lake.localPath!(p));
    return mapLimit(paths, DOWNLOADS_IN_FLIGHT, (p) => {
      let got = this.downloaded.get(p);
      if (!got) {
        got = (async () => {
          const target = path.join(this.scratch, 'in', ...p.split('/'));
          await fs.mkdir(path.dirname(target), { recursive: true });
          const data = await this.lake.readFile(p);
          this.bytesRead += data.length;
          await fs.writeFile(target, data);
          return target;
        })();
        this.downloaded.set(p, got);
      }
      return got;
    });
  }

  /** A view over Parquet files of the lake, or `empty` (a typed, empty SELECT) when there are none. */
  async parquetView(name: string, paths: readonly string[], empty: string): Promise<void> {
    const local = await this.local(paths);
    await this.duck.run(`CREATE OR REPLACE TEMP VIEW ${name} AS ${local.length ? `SELECT * FROM read_parquet(${litList(local)}, hive_partitioning = false, union_by_name = true)` : empty}`);
  }

  /**
   * Writes the rows of `select` as one Parquet file at `lakePath` (V1 pages, snappy: what Power
   * BI reads); returns its size and row count, or undefined when the query has no row.
   */
  async writeParquet(select: string, lakePath: string, opts: { partitionColumns?: readonly string[]; stats?: boolean } = {}): Promise<{ size: number; numRecords: number; stats?: string } | undefined> {
    const local = path.join(this.scratch, 'out', `${randomUUID()}.parquet`);
    await fs.mkdir(path.dirname(local), { recursive: true });
    const [copied] = await this.duck.rows(`COPY (${select}) TO ${lit(local)} (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy)`);
    // Delta statistics (row count, nulls, min and max per column) for a table's add action, from
    // the file itself; gold's own work files need the row count only, which COPY reports.
    let numRecords: number;
    let stats: string | undefined;
    if (opts.stats === false) {
      if (copied?.['Count'] === undefined) throw new Error(`expected DuckDB's COPY to report a Count for ${lakePath}, got ${JSON.stringify(Object.keys(copied ?? {}))}`);
      numRecords = Number(copied['Count']);
    } else ({ numRecords, stats } = await parquetFileStats(local, { partitionColumns: [...(opts.partitionColumns ?? [])], sql: this.duck }));
    if (!numRecords) {
      await fs.rm(local, { force: true });
      return undefined;
    }
    const data = await fs.readFile(local);
    await this.lake.writeFile(lakePath, data);
    await fs.rm(local, { force: true });
    return { size: data.length, numRecords, ...(stats !== undefined ? { stats } : {}) };
  }
}
