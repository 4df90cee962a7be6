// A DuckDB session for gold: in memory, UTC, with the money macros loaded.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import type { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../delta/duck';

/** SQL text of a file in sql/ (shipped next to the compiled code). */
export async function sqlFile(name: string): Promise<string> {
  return fs.readFile(path.join(__dirname, 'sql', `${name}.sql`), 'utf8');
}

/** A SQL string literal (the Delta module's: a NUL inside is spliced in as chr(0)). */
export const lit = sqlString;

/** DuckDB reads JSON lines of at most this many bytes unless told more. */
const DEFAULT_JSON_OBJECT_BYTES = 16 << 20;

/** read_json's option for lines of up to `longestLineBytes`, when over DuckDB's 16 MB default (a larger limit costs buffers of that size). */
export function jsonObjectSizeOption(longestLineBytes: number): string {
  return longestLineBytes > DEFAULT_JSON_OBJECT_BYTES ? `, maximum_object_size = ${longestLineBytes + 1}` : '';
}

/** A SQL list of string literals, for read_parquet([...]) and IN (...). */
export function litList(items: readonly string[]): string {
  return `[${items.map(lit).join(', ')}]`;
}

export class Duck {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /**
   * With `dbPath` the database is a file (in a temp folder): its tables can then be evicted to
   * disk, so `memoryLimit` bounds the process instead of failing a query that needs more.
   * `preserveInsertionOrder: false` lets a query without ORDER BY return rows in any order; a
   * table filled from thousands of files then fits the memory limit (in order, it did not).
   */
  static async open(opts: { threads?: number; memoryLimit?: string; dbPath?: string; preserveInsertionOrder?: boolean } = {}): Promise<Duck> {
    // Loaded on first use: the native engine costs about 80 ms to load, and the CLI's other
    // commands and the bronze and silver functions never need it.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(opts.dbPath ?? ':memory:', { threads: String(opts.threads ?? 2) });
    const conn = await instance.connect();
    const duck = new Duck(instance, conn);
    await duck.run(`SET TimeZone = 'UTC'`);
    if (opts.memoryLimit) await duck.run(`SET memory_limit = ${lit(opts.memoryLimit)}`);
    if (opts.preserveInsertionOrder === false) await duck.run('SET preserve_insertion_order = false');
    await duck.run(`SET temp_directory = ${lit(path.join(opts.dbPath ? path.dirname(opts.dbPath) : os.tmpdir(), 'duckdb-spill'))}`);
    await duck.run(await sqlFile('_macros'));
    return duck;
  }

  async run(sql: string): Promise<void> {
    try {
      await this.conn.run(sql);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  in SQL: ${sql.slice(0, 400)}`);
    }
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    try {
      return (await this.conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  in SQL: ${sql.slice(0, 400)}`);
    }
  }

  /** Column names and DuckDB types of a table or view. */
  async columns(relation: string): Promise<Array<{ name: string; type: string }>> {
    const rows = await this.rows(`DESCRIBE SELECT * FROM ${relation}`);
    return rows.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
