import { sqlIdent, sqlString, withDuckDb } from '../../src/delta/duck';

jest.setTimeout(120_000);

describe('sqlString', () => {
  it("doubles quotes", () => expect(sqlString("it's")).toBe("'it''s'"));
  it('splices a NUL in as chr(0), which DuckDB reads back as the same string (found by a hunt: a customer id with a NUL cut the SQL text)', async () => {
    const id = "RC\0CU'ST\0";
    expect(sqlString(id)).toBe("('RC' || chr(0) || 'CU''ST' || chr(0) || '')");
    expect(await withDuckDb((db) => db.rows(`SELECT ${sqlString(id)} AS s, ${sqlString(id)} IN (SELECT unnest([${sqlString(id)}, 'x'])) AS found`))).toEqual([{ s: id, found: true }]);
  });
});

describe('sqlIdent', () => {
  it('quotes identifiers', () => expect(sqlIdent('a"b')).toBe('"a""b"'));
});

describe('withDuckDb', () => {
  it('runs queries in UTC and reports the SQL that failed', async () => {
    expect(await withDuckDb((db) => db.rows(`SELECT current_setting('TimeZone') AS tz, ${sqlString("it's")} AS s`))).toEqual([{ tz: 'UTC', s: "it's" }]);
    await expect(withDuckDb((db) => db.rows('SELECT nope'))).rejects.toThrow('in SQL: SELECT nope');
  });

  it('gives each task its own connection to one engine per process: tasks run side by side, a failed one leaves the engine usable', async () => {
    // A temp table is per connection: a second task does not see the first's.
    const [a, b] = await Promise.all([
      withDuckDb(async (db) => (await db.rows('CREATE TEMP TABLE t AS SELECT 1 AS x'), db.rows('SELECT x FROM t'))),
      withDuckDb(async (db) => (await db.rows('CREATE TEMP TABLE t AS SELECT 2 AS x'), db.rows('SELECT x FROM t'))),
    ]);
    expect([a, b]).toEqual([[{ x: 1 }], [{ x: 2 }]]);
    await expect(withDuckDb((db) => db.rows('SELECT x FROM t'))).rejects.toThrow('in SQL: SELECT x FROM t');
    // One engine: a table one task leaves in the in-memory database, the next task sees.
    await withDuckDb((db) => db.rows('CREATE TABLE probe AS SELECT 7 AS x'));
    expect(await withDuckDb((db) => db.rows('SELECT x FROM probe'))).toEqual([{ x: 7 }]);
    await withDuckDb((db) => db.rows('DROP TABLE probe'));
  });
});
