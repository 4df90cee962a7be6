import { writeParquet, PAGE_BYTES } from '../../../src/silver/parquet/file-writer';
import { toLeaves } from '../../../src/silver/parquet/leaves';
import type { Column } from '../../../src/silver/parquet/schema';
import { closeDuck, query, readBack, saved } from '../../helpers/parquet';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
afterAll(closeDuck);

interface Row { id: string | null; flag: boolean | null; kind: string | null; x: number | null }
const COLUMNS: Column<Row>[] = [
  { name: 'id', type: 'string', get: (r) => r.id },
  { name: 'flag', type: 'boolean', get: (r) => r.flag },
  { name: 'kind', type: 'string', dictionary: true, get: (r) => r.kind },
  { name: 'x', type: 'double', get: (r) => r.x },
];
const file = (rows: Row[]) => writeParquet(COLUMNS, toLeaves(COLUMNS, rows), rows.length);

describe('PAGE_BYTES', () => {
  it('is 1 MiB, the page size readers are built for', () => {
    expect(PAGE_BYTES).toBe(1 << 20);
  });
});

describe('writeParquet', () => {
  it('writes nulls, bit-packed booleans past a byte, and a dictionary for repeated text', async () => {
    const rows: Row[] = Array.from({ length: 21 }, (_, i) => ({
      id: i % 5 === 0 ? null : `id-${i}`, flag: i % 7 === 0 ? null : i % 3 === 0, kind: i % 4 === 0 ? null : ['a', 'b'][i % 2]!, x: i === 20 ? null : i / 4,
    }));
    const path = saved(tmp(), 'mixed.parquet', file(rows));
    expect((await readBack(path)).rows).toEqual(rows);
    const [kind] = await query(`SELECT encodings, stats_null_count::INTEGER AS nulls FROM parquet_metadata('${path}') WHERE path_in_schema = 'kind'`);
    expect(kind).toEqual({ encodings: 'PLAIN, RLE, RLE_DICTIONARY', nulls: 6 });
  });

  it('writes PLAIN text when a dictionary would not pay (values that rarely repeat)', async () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({ id: null, flag: null, kind: `k${i}`, x: null }));
    const path = saved(tmp(), 'plain.parquet', file(rows));
    expect((await readBack(path)).rows).toEqual(rows);
    const [kind] = await query(`SELECT encodings, stats_min_value AS min, stats_max_value AS max FROM parquet_metadata('${path}') WHERE path_in_schema = 'kind'`);
    expect(kind).toEqual({ encodings: 'PLAIN, RLE', min: 'k0', max: 'k9' });
  });

  it('writes a file of no rows that readers open', async () => {
    const path = saved(tmp(), 'empty.parquet', file([]));
    expect(await readBack(path)).toEqual({ types: [['id', 'VARCHAR'], ['flag', 'BOOLEAN'], ['kind', 'VARCHAR'], ['x', 'DOUBLE']], rows: [] });
  });

  it('writes footer bounds -0 for a minimum zero and +0 for a maximum zero, and none for text over 256 bytes', async () => {
    const path = saved(tmp(), 'bounds.parquet', file([{ id: 'y'.repeat(300), flag: true, kind: null, x: 0 }, { id: 'a', flag: false, kind: null, x: -0 }]));
    const stats = await query(`SELECT path_in_schema AS col, stats_min_value AS min, stats_max_value AS max FROM parquet_metadata('${path}') WHERE path_in_schema IN ('id', 'x') ORDER BY 1`);
    expect(stats).toEqual([{ col: 'id', min: null, max: null }, { col: 'x', min: '-0.0', max: '0.0' }]);
  });
});
