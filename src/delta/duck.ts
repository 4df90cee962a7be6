// An in-memory DuckDB for the Parquet work of the Delta module (checkpoints, file stats): one
// per process, loaded on first use, a connection per task. Each table read from a checkpoint
// used to start an engine of its own, about 17 ms each, 17 of them in one local cycle (every
// table, every run); silver's writers read snapshots without ever needing it when the table
// has no checkpoint yet.
import type { DuckDBInstance } from '@duckdb/node-api';

/** What the module needs of a SQL engine; gold's Duck (src/gold/duck.ts) has this shape. */
export interface SqlRunner {
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

/**
 * A SQL string literal. DuckDB's parser ends the statement's text at a NUL character, so a NUL
 * (valid in a customer id, say) is spliced in as chr(0) instead of written in the literal.
 */
export function sqlString(s: string): string {
  const quoted = `'${s.replace(/'/g, "''")}'`;
  return s.includes('\0') ? `(${quoted.split('\0').join("' || chr(0) || '")})` : quoted;
}

/** A quoted SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

let shared: Promise<DuckDBInstance> | undefined;

/** The process's engine for this module, created on first use (again after a failed start). */
function engine(): Promise<DuckDBInstance> {
  shared ??= import('@duckdb/node-api')
    .then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:', { threads: '1' }))
    .catch((e: unknown) => {
      shared = undefined;
      throw e;
    });
  return shared;
}

/**
 * Runs `fn` on a new connection (UTC) to the process's single-threaded in-memory DuckDB,
 * closed afterwards. Tasks share nothing but the engine: each reads files or writes one.
 */
export async function withDuckDb<T>(fn: (db: SqlRunner) => Promise<T>): Promise<T> {
  const conn = await (await engine()).connect();
  try {
    const db: SqlRunner = {
      rows: async (sql) => {
        try {
          return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
        } catch (e) {
          throw new Error(`${(e as Error).message}\n  in SQL: ${sql.slice(0, 400)}`);
        }
      },
    };
    await db.rows(`SET TimeZone = 'UTC'`);
    return await fn(db);
  } finally {
    conn.closeSync();
  }
}
