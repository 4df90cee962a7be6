import { toLeaves } from '../../../src/silver/parquet/leaves';
import { plainBytes, type PlainStrings } from '../../../src/silver/parquet/plain-strings';
import type { Column } from '../../../src/silver/parquet/schema';

interface Row { s: string | null; d: string | null; n: number | null; b: boolean | null; t: string | null; day: string | null; big: number | null; tags: string[] | null }

const COLUMNS: Column<Row>[] = [
  { name: 's', type: 'string', get: (r) => r.s },
  { name: 'd', type: 'string', dictionary: true, get: (r) => r.d },
  { name: 'n', type: 'integer', get: (r) => r.n },
  { name: 'b', type: 'boolean', get: (r) => r.b },
  { name: 't', type: 'timestamp', get: (r) => r.t },
  { name: 'day', type: 'date', get: (r) => r.day },
  { name: 'big', type: 'long', get: (r) => r.big },
  { name: 'tags', type: 'list<string>', get: (r) => r.tags },
];

const ROWS: Row[] = [
  { s: 'x', d: 'EU', n: 3, b: true, t: '2026-01-01T00:00:00.001Z', day: '2026-01-02', big: 2 ** 40, tags: [] },
  { s: null, d: 'US', n: null, b: null, t: null, day: null, big: null, tags: null },
  { s: 'é', d: 'EU', n: -7, b: false, t: '2026-01-01T00:00:00.001Z', day: '1969-12-31', big: -1, tags: ['a'] },
];

describe('toLeaves', () => {
  const leaves = toLeaves(COLUMNS, ROWS);

  it('makes one leaf per scalar column with definition levels 1 for a value and 0 for null', () => {
    expect(leaves.map((l) => [l.path.join('.'), [...l.defs], l.count, l.rowNulls])).toEqual([
      ['s', [1, 0, 1], 2, 1], ['d', [1, 1, 1], 3, 0], ['n', [1, 0, 1], 2, 1], ['b', [1, 0, 1], 2, 1],
      ['t', [1, 0, 1], 2, 1], ['day', [1, 0, 1], 2, 1], ['big', [1, 0, 1], 2, 1], ['tags.list.element', [1, 0, 3], 1, 1],
    ]);
  });

  it('keeps dense values: PLAIN strings, dictionary indices, integers, 0/1 booleans, µs timestamps, days', () => {
    const [s, d, n, b, t, day, big] = leaves;
    expect(Buffer.from(plainBytes(s!.values as PlainStrings, 0, 2)).toString('hex')).toBe('0100000078' + '02000000c3a9');
    expect([d!.dictionary, [...d!.indices!]]).toEqual([['EU', 'US'], [0, 1, 0]]);
    expect([...(n!.values as Int32Array)]).toEqual([3, -7]);
    expect([...(b!.values as Uint8Array)]).toEqual([1, 0]);
    expect([...(t!.values as Float64Array)]).toEqual([1_767_225_600_001_000, 1_767_225_600_001_000]);
    expect([...(day!.values as Int32Array)]).toEqual([20_455, -1]);
    expect([...(big!.values as Float64Array)]).toEqual([2 ** 40, -1]);
  });

  it('gives min and max of the values of each leaf', () => {
    expect(leaves.map((l) => [l.min, l.max])).toEqual([
      ['x', 'é'], ['EU', 'US'], [-7, 3], [false, true], [1_767_225_600_001_000, 1_767_225_600_001_000], [-1, 20_455], [-1, 2 ** 40], ['a', 'a'],
    ]);
  });

  it('refuses a value of another type than its column, and integers beyond the column type', () => {
    const one = (over: Partial<Row>) => () => toLeaves(COLUMNS, [{ ...ROWS[0]!, ...over }]);
    expect(one({ s: 5 as never })).toThrow('parquet: column s expects a string or null, got number 5');
    expect(one({ n: 2 ** 31 })).toThrow('parquet: column n expects a 32-bit integer or null, got number 2147483648');
    expect(one({ big: 2 ** 53 })).toThrow('parquet: column big expects an integer within ±2^53 or null, got number 9007199254740992');
    expect(one({ b: 'yes' as never })).toThrow('parquet: column b expects a boolean or null, got string "yes"');
  });
});
