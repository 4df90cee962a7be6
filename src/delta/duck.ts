// A short-lived in-memory DuckDB for the Parquet work of the Delta module (checkpoints, file
// stats). Loaded on first use: the native engine costs ~80 ms, and silver's writers read
// snapshots without ever needing it when the table has no checkpoint yet.

/** What the module needs of a SQL engine; gold's Duck (src/gold/duck.ts) has this shape. */
export interface SqlRunner {
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Runs `fn` with a fresh single-threaded in-memory DuckDB (UTC), closed afterwards. */
export async function withDuckDb<T>(fn: (db: SqlRunner) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
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
    instance.closeSync();
  }
}
