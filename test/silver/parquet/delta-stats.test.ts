import { deltaStats, truncateMax, truncateMin, STRING_PREFIX } from '../../../src/silver/parquet/delta-stats';
import { toLeaves } from '../../../src/silver/parquet/leaves';
import type { Column } from '../../../src/silver/parquet/schema';

describe('STRING_PREFIX', () => {
  it("is Spark's default prefix length for string statistics", () => {
    expect(STRING_PREFIX).toBe(32);
  });
});

describe('truncateMin', () => {
  it('keeps 32 characters, 33 rather than split a surrogate pair', () => {
    expect(truncateMin('a'.repeat(40))).toBe('a'.repeat(32));
    expect(truncateMin(`${'a'.repeat(31)}😀z`)).toBe(`${'a'.repeat(31)}😀`);
    expect(truncateMin('short')).toBe('short');
  });
});

describe('truncateMax', () => {
  it("cuts as Delta's truncateMaxStringAgg does: U+007F after an ASCII character, U+10FFFF otherwise", () => {
    expect(truncateMax(`${'a'.repeat(32)}bcd`)).toBe(`${'a'.repeat(32)}\u007f`);
    expect(truncateMax(`${'a'.repeat(32)}écd`)).toBe(`${'a'.repeat(32)}\u{10ffff}`);
    expect(truncateMax('a'.repeat(32))).toBe('a'.repeat(32));
  });

  it('extends past characters that are already the largest, and gives up (null) past twice the prefix', () => {
    const top = '\u{10ffff}';
    expect(truncateMax(`${'a'.repeat(32)}${top}b`)).toBe(`${'a'.repeat(32)}${top}\u007f`);
    expect(truncateMax(`${'a'.repeat(32)}${top}`)).toBe(`${'a'.repeat(32)}${top}`);
    expect(truncateMax(top.repeat(40))).toBeNull();
  });

  it('gives a bound no value with the same prefix exceeds, in UTF-8 order', () => {
    for (const s of [`${'q'.repeat(32)}~~~`, `${'q'.repeat(32)}中文`, `${'q'.repeat(31)}😀😀`]) {
      expect(Buffer.compare(Buffer.from(truncateMax(s)!), Buffer.from(s))).toBe(1);
    }
  });
});

describe('deltaStats', () => {
  interface Row { d: string | null; t: string; x: number; on: boolean; tags: string[]; s: string | null }
  const columns: Column<Row>[] = [
    { name: 'd', type: 'date', get: (r) => r.d },
    { name: 't', type: 'timestamp', get: (r) => r.t },
    { name: 'x', type: 'double', get: (r) => r.x },
    { name: 'on', type: 'boolean', get: (r) => r.on },
    { name: 'tags', type: 'list<string>', get: (r) => r.tags },
    { name: 's', type: 'string', get: (r) => r.s },
  ];

  it('gives dates as YYYY-MM-DD, timestamps with milliseconds and Z, numbers, cut strings; nullCount for every column', () => {
    const rows: Row[] = [
      { d: '2026-03-01', t: '2026-03-01T10:00:00.120Z', x: 1e300, on: true, tags: ['a'], s: 'x'.repeat(40) },
      { d: null, t: '2026-02-28T23:00:00.000Z', x: -0.5, on: false, tags: [], s: null },
    ];
    expect(deltaStats(columns, toLeaves(columns, rows), 2)).toEqual({
      numRecords: 2,
      minValues: { d: '2026-03-01', t: '2026-02-28T23:00:00.000Z', x: -0.5, s: 'x'.repeat(32) },
      maxValues: { d: '2026-03-01', t: '2026-03-01T10:00:00.120Z', x: 1e300, s: `${'x'.repeat(32)}\u007f` },
      nullCount: { d: 1, t: 0, x: 0, on: 0, tags: 0, s: 1 },
    });
  });

  it('leaves out min and max of a column whose values are all null', () => {
    const stats = deltaStats(columns, toLeaves(columns, [{ d: null, t: '2026-01-01T00:00:00.000Z', x: 0, on: true, tags: [], s: null }]), 1);
    expect(Object.keys(stats.minValues)).toEqual(['t', 'x']);
    expect(stats.nullCount['d']).toBe(1);
  });
});
