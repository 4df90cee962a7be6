import * as path from 'node:path';
import { parquetFileStats, statsFromValues, arrayOf } from '../../src/delta';
import { withDuckDb } from '../../src/delta/duck';
import { tempDirs } from '../helpers/tmp';
import { writeParquet } from '../helpers/delta-tables';

jest.setTimeout(120_000);

const tmp = tempDirs();

const SELECT = `SELECT * FROM (VALUES
    (5::BIGINT, 12.30::DECIMAL(20,2), 1.5::DOUBLE, 0.1::FLOAT, 3::SMALLINT, DATE '2026-01-05', TIMESTAMPTZ '2026-01-05 10:00:00.123456+00', 'b', true, ['a'], NULL::VARCHAR, 'nan'::DOUBLE, DATE '2026-01-05'),
    (NULL, 123456789012345678.90::DECIMAL(20,2), -0.25, 2.5, -2, DATE '2025-12-31', TIMESTAMPTZ '2026-01-05 09:00:00+00', 'ｚ', NULL, NULL, NULL, 1, DATE '2026-01-05'),
    (9007199254740993, NULL, NULL, NULL, NULL, NULL, TIMESTAMPTZ '2026-01-05 12:30:00.999999+02', '😀', false, [], NULL, 2, DATE '2026-01-05')
  ) AS t(id, amount, price, r, small, day, "at", sku, gift, tags, note, bad, order_date)`;

const EXPECTED =
  '{"numRecords":3,' +
  '"minValues":{"id":5,"amount":12.30,"price":-0.25,"r":0.1,"small":-2,"day":"2025-12-31","at":"2026-01-05T09:00:00.000Z","sku":"b"},' +
  '"maxValues":{"id":9007199254740993,"amount":123456789012345678.90,"price":1.5,"r":2.5,"small":3,"day":"2026-01-05","at":"2026-01-05T10:30:00.999Z","sku":"😀"},' +
  '"nullCount":{"id":1,"amount":1,"price":1,"r":1,"small":1,"day":1,"at":0,"sku":0,"gift":1,"tags":1,"note":3,"bad":0}}';

describe('parquetFileStats', () => {
  it('computes exact stats of a DuckDB-written file, partition column left out, NaN column without min/max', async () => {
    const file = path.join(tmp(), 'order_date=2026-01-05', 'part-1.parquet');
    await writeParquet(file, SELECT);
    const r = await parquetFileStats(file, { partitionColumns: ['order_date'] });
    expect(r.numRecords).toBe(3);
    expect(r.stats).toBe(EXPECTED);
    expect(r.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'long'], ['amount', 'decimal(20,2)'], ['price', 'double'], ['r', 'float'], ['small', 'short'], ['day', 'date'], ['at', 'timestamp'],
      ['sku', 'string'], ['gift', 'boolean'], ['tags', arrayOf('string')], ['note', 'string'], ['bad', 'double'], ['order_date', 'date'],
    ]);
  });

  it('agrees with statsFromValues on the same values', () => {
    expect(statsFromValues(3, [
      { name: 'id', type: 'long', values: [5, null, 9_007_199_254_740_993n] },
      { name: 'amount', type: 'decimal(20,2)', values: ['12.30', '123456789012345678.90', null] },
      { name: 'price', type: 'double', values: [1.5, -0.25, null] },
      { name: 'r', type: 'float', values: [0.1, 2.5, null] },
      { name: 'small', type: 'short', values: [3, -2, null] },
      { name: 'day', type: 'date', values: ['2026-01-05', '2025-12-31', null] },
      { name: 'at', type: 'timestamp', values: ['2026-01-05T10:00:00.123456Z', '2026-01-05T09:00:00Z', '2026-01-05T12:30:00.999999+02:00'] },
      { name: 'sku', type: 'string', values: ['b', 'ｚ', '😀'] },
      { name: 'gift', type: 'boolean', values: [true, null, false] },
      { name: 'tags', type: arrayOf('string'), values: [['a'], null, []] },
      { name: 'note', type: 'string', values: [null, null, null] },
      { name: 'bad', type: 'double', values: [Number.NaN, 1, 2] },
      { name: 'order_date', type: 'date', values: ['2026-01-05', '2026-01-05', '2026-01-05'] },
    ], { partitionColumns: ['order_date'] })).toBe(EXPECTED);
  });

  it('runs on a DuckDB session the caller passes (gold reuses its own)', async () => {
    const file = path.join(tmp(), 'part-2.parquet');
    await writeParquet(file, 'SELECT range AS n FROM range(10)');
    const stats = await withDuckDb((db) => parquetFileStats(file, { sql: db }));
    expect(stats.stats).toBe('{"numRecords":10,"minValues":{"n":0},"maxValues":{"n":9},"nullCount":{"n":0}}');
  });
});
