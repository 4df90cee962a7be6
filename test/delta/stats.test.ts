import { compareUtf8, hasMinMax, JsonNumber, serializeStats, statsColumns, timestampStat, truncateMaxString, truncateMinString } from '../../src/delta/stats';
import { arrayOf, type DeltaField } from '../../src/delta';

const a32 = 'a'.repeat(32);
const MAXCP = String.fromCodePoint(0x10ffff);

describe('truncateMinString', () => {
  it('keeps the first 32 code points', () => {
    expect(truncateMinString('a'.repeat(40))).toBe(a32);
    expect(truncateMinString('😀'.repeat(40))).toBe('😀'.repeat(32));
    expect(truncateMinString('short')).toBe('short');
  });
});

describe('truncateMaxString', () => {
  it('appends U+007F after an ASCII cut and U+10FFFF after a higher one, as Spark does', () => {
    expect(truncateMaxString('a'.repeat(40))).toBe(`${a32}\u007f`);
    expect(truncateMaxString(`${a32}é and more`)).toBe(`${a32}${MAXCP}`);
    expect(truncateMaxString(`${a32}\u007fzz`)).toBe(`${a32}${MAXCP}`); // U+007F itself is not below the ASCII tie-breaker
    expect(truncateMaxString('exactly thirty-two characters..!')).toBe('exactly thirty-two characters..!');
  });

  it('never cuts a surrogate pair, skips U+10FFFF, and gives up after 64 units', () => {
    expect(truncateMaxString(`${'a'.repeat(31)}😀bbbbbbbbbb`)).toBe(`${'a'.repeat(31)}😀\u007f`);
    expect(truncateMaxString(`${a32}${MAXCP}bbbb`)).toBe(`${a32}${MAXCP}\u007f`);
    expect(truncateMaxString(`${a32}${MAXCP.repeat(17)}b`)).toBeUndefined();
  });
});

describe('compareUtf8', () => {
  it('orders by UTF-8 bytes: characters above U+FFFF after every BMP character', () => {
    expect(compareUtf8('a', 'b')).toBeLessThan(0);
    expect(compareUtf8('ｚ', '😀')).toBeLessThan(0); // JS '<' says the opposite
    expect('ｚ' < '😀').toBe(false);
    expect(compareUtf8('ab', 'a')).toBeGreaterThan(0);
    expect(compareUtf8('é', 'é')).toBe(0);
  });
});

describe('timestampStat', () => {
  it('floors microseconds to milliseconds, before and after 1970', () => {
    expect(timestampStat(1_767_607_200_123_999n)).toBe('2026-01-05T10:00:00.123Z');
    expect(timestampStat(-1n)).toBe('1969-12-31T23:59:59.999Z');
  });
});

describe('hasMinMax', () => {
  it('is true for numbers, decimals, date, timestamp and string only', () => {
    expect(['long', 'integer', 'short', 'byte', 'double', 'float', 'decimal(10,2)', 'date', 'timestamp', 'string'].map(hasMinMax)).toEqual(Array(10).fill(true));
    expect(['boolean', 'binary', arrayOf('string')].map(hasMinMax)).toEqual([false, false, false]);
  });
});

describe('statsColumns', () => {
  const fields: DeltaField[] = [
    { name: 'a', type: 'long' },
    { name: 'p', type: 'date' },
    { name: 's', type: { type: 'struct', fields: [{ name: 'x', type: 'long' }, { name: 'y', type: 'long' }] } },
    { name: 'b', type: 'string' },
    { name: 'c', type: arrayOf('string') },
  ];
  const names = (fs: DeltaField[]) => fs.map((f) => f.name);

  it('leaves out partition columns and counts leaf columns up to delta.dataSkippingNumIndexedCols', () => {
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: 32, dataSkippingStatsColumns: undefined }))).toEqual(['a', 'b', 'c']);
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: 3, dataSkippingStatsColumns: undefined }))).toEqual(['a']); // a + s.x + s.y
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: 4, dataSkippingStatsColumns: undefined }))).toEqual(['a', 'b']);
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: -1, dataSkippingStatsColumns: undefined }))).toEqual(['a', 'b', 'c']);
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: 0, dataSkippingStatsColumns: undefined }))).toEqual([]);
  });

  it('takes delta.dataSkippingStatsColumns first (names compared ignoring case)', () => {
    expect(names(statsColumns(fields, ['p'], { dataSkippingNumIndexedCols: 1, dataSkippingStatsColumns: ['C', 'b', 'p'] }))).toEqual(['b', 'c']);
  });
});

describe('serializeStats', () => {
  it('writes numRecords, minValues, maxValues, nullCount with exact number text', () => {
    expect(serializeStats(3, [
      { name: 'amount', nullCount: 0, min: new JsonNumber('0.10'), max: new JsonNumber('12345678901234567.89') },
      { name: 's', nullCount: 1, min: 'a"b', max: 'z' },
      { name: 'flag', nullCount: 3 },
    ])).toBe('{"numRecords":3,"minValues":{"amount":0.10,"s":"a\\"b"},"maxValues":{"amount":12345678901234567.89,"s":"z"},"nullCount":{"amount":0,"s":1,"flag":3}}');
    expect(serializeStats(0, [])).toBe('{"numRecords":0,"minValues":{},"maxValues":{},"nullCount":{}}');
  });

  it('refuses a number text JSON cannot hold', () => {
    expect(() => new JsonNumber('NaN')).toThrow('expected JSON number text, got "NaN"');
    expect(() => serializeStats(-1, [])).toThrow('expected numRecords as a non-negative integer, got -1');
  });
});
