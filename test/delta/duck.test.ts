import { sqlIdent, sqlString, withDuckDb } from '../../src/delta/duck';

jest.setTimeout(120_000);

describe('sqlString', () => {
  it("doubles quotes", () => expect(sqlString("it's")).toBe("'it''s'"));
});

describe('sqlIdent', () => {
  it('quotes identifiers', () => expect(sqlIdent('a"b')).toBe('"a""b"'));
});

describe('withDuckDb', () => {
  it('runs queries in UTC and reports the SQL that failed', async () => {
    expect(await withDuckDb((db) => db.rows(`SELECT current_setting('TimeZone') AS tz, ${sqlString("it's")} AS s`))).toEqual([{ tz: 'UTC', s: "it's" }]);
    await expect(withDuckDb((db) => db.rows('SELECT nope'))).rejects.toThrow('in SQL: SELECT nope');
  });
});
