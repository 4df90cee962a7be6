import { statsFromValues, arrayOf } from '../../src/delta';

describe('statsFromValues', () => {
  it('writes min, max and null count per type, as Delta readers parse them', () => {
    const stats = statsFromValues(3, [
      { name: 'id', type: 'long', values: [5, null, 9_007_199_254_740_993n] },
      { name: 'qty', type: 'integer', values: [2, 7, -1] },
      { name: 'amount', type: 'decimal(20,2)', values: ['12.3', '123456789012345678.90', null] },
      { name: 'price', type: 'double', values: [1.5, -0.25, null] },
      { name: 'day', type: 'date', values: ['2026-01-05', new Date('2025-12-31T23:00:00Z'), null] },
      { name: 'at', type: 'timestamp', values: ['2026-01-05T10:00:00.123456Z', new Date('2026-01-05T09:00:00.000Z'), '2026-01-05T12:30:00.999999+02:00'] },
      { name: 'sku', type: 'string', values: ['b', 'ｚ', '😀'] },
      { name: 'gift', type: 'boolean', values: [true, null, false] },
      { name: 'tags', type: arrayOf('string'), values: [['a'], null, []] },
      { name: 'note', type: 'string', values: [null, null, null] },
    ]);
    expect(JSON.parse(stats)).toEqual({
      numRecords: 3,
      minValues: { id: 5, qty: -1, amount: 12.3, price: -0.25, day: '2025-12-31', at: '2026-01-05T09:00:00.000Z', sku: 'b' },
      maxValues: { id: 9007199254740992, qty: 7, amount: 123456789012345680, price: 1.5, day: '2026-01-05', at: '2026-01-05T10:30:00.999Z', sku: '😀' },
      nullCount: { id: 1, qty: 0, amount: 1, price: 1, day: 1, at: 0, sku: 0, gift: 1, tags: 1, note: 3 },
    });
    // The text keeps every digit JSON.parse above rounds: bigints and decimals at the column's scale.
    expect(stats).toContain('"minValues":{"id":5,"qty":-1,"amount":12.30,');
    expect(stats).toContain('"maxValues":{"id":9007199254740993,"qty":7,"amount":123456789012345678.90,');
  });

  it('leaves min and max out for a float column holding NaN or Infinity, and for all-null columns', () => {
    expect(statsFromValues(2, [
      { name: 'x', type: 'double', values: [1, Number.NaN] },
      { name: 'y', type: 'float', values: [Number.POSITIVE_INFINITY, 2] },
      { name: 'z', type: 'long', values: [null, undefined] },
    ])).toBe('{"numRecords":2,"minValues":{},"maxValues":{},"nullCount":{"x":0,"y":0,"z":2}}');
  });

  it('truncates long strings as Spark does', () => {
    expect(JSON.parse(statsFromValues(2, [{ name: 's', type: 'string', values: ['b'.repeat(40), 'a'.repeat(40)] }]))).toEqual({
      numRecords: 2,
      minValues: { s: 'a'.repeat(32) },
      maxValues: { s: `${'b'.repeat(32)}\u007f` },
      nullCount: { s: 0 },
    });
  });

  it('leaves out partition columns and those past delta.dataSkippingNumIndexedCols', () => {
    const cols = [
      { name: 'a', type: 'long', values: [1] },
      { name: 'order_date', type: 'date', values: ['2026-01-05'] },
      { name: 'b', type: 'long', values: [2] },
    ];
    expect(statsFromValues(1, cols, { partitionColumns: ['order_date'], configuration: { 'delta.dataSkippingNumIndexedCols': '1' } })).toBe(
      '{"numRecords":1,"minValues":{"a":1},"maxValues":{"a":1},"nullCount":{"a":0}}',
    );
  });

  it('says which column and value do not fit', () => {
    expect(() => statsFromValues(1, [{ name: 'a', type: 'long', values: ['1'] }])).toThrow('column a: expected a long value, got "1"');
    expect(() => statsFromValues(1, [{ name: 'm', type: 'decimal(5,2)', values: ['1.234'] }])).toThrow('column m: expected at most 2 decimal places for decimal(5,2), got 1.234');
    expect(() => statsFromValues(2, [{ name: 'a', type: 'long', values: [1] }])).toThrow('column a: expected 2 values (numRecords), got 1');
  });
});
