import { ByteSink } from '../../../src/silver/parquet/byte-sink';
import { CompactWriter } from '../../../src/silver/parquet/thrift';
import { dataPageHeader, dictionaryPageHeader, physicalOf, PHYSICAL } from '../../../src/silver/parquet/footer';
import { toLeaves } from '../../../src/silver/parquet/leaves';
import { writeParquet } from '../../../src/silver/parquet/file-writer';
import type { Column } from '../../../src/silver/parquet/schema';
import { closeDuck, query, saved } from '../../helpers/parquet';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
afterAll(closeDuck);

const hex = (write: (w: CompactWriter) => void) => {
  const s = new ByteSink();
  write(new CompactWriter(s));
  return Buffer.from(s.view()).toString('hex');
};

describe('physicalOf', () => {
  it('stores text as BYTE_ARRAY, integer and date as INT32, long and timestamp as INT64', () => {
    expect(['string', 'integer', 'date', 'long', 'timestamp', 'double', 'boolean'].map((t) => physicalOf(t as never)))
      .toEqual([PHYSICAL.BYTE_ARRAY, PHYSICAL.INT32, PHYSICAL.INT32, PHYSICAL.INT64, PHYSICAL.INT64, PHYSICAL.DOUBLE, PHYSICAL.BOOLEAN]);
  });
});

describe('dataPageHeader', () => {
  it('is a V1 DATA_PAGE header: type 0, sizes, then num_values, encoding and RLE levels', () => {
    expect(hex((w) => dataPageHeader(w, 100, 3, 8))).toBe('1500' + '15c801' + '15c801' + '2c' + '1506' + '1510' + '1506' + '1506' + '00' + '00');
  });
});

describe('dictionaryPageHeader', () => {
  it('is a DICTIONARY_PAGE header with PLAIN values', () => {
    expect(hex((w) => dictionaryPageHeader(w, 10, 2))).toBe('1504' + '1514' + '1514' + '4c' + '1504' + '1500' + '00' + '00');
  });
});

describe('fileMetaData', () => {
  it('declares the schema Spark and Power BI read: UTF8 strings, DATE, TIMESTAMP(µs, UTC), 3-level LISTs, all OPTIONAL', async () => {
    interface Row { s: string; d: string; t: string; l: string[]; e: Array<{ c: string }> }
    const columns: Column<Row>[] = [
      { name: 's', type: 'string', get: (r) => r.s },
      { name: 'd', type: 'date', get: (r) => r.d },
      { name: 't', type: 'timestamp', get: (r) => r.t },
      { name: 'l', type: 'list<string>', get: (r) => r.l },
      { name: 'e', type: 'list<record>', fields: ['c'], get: (r) => r.e },
    ];
    const rows = [{ s: 'a', d: '2026-01-01', t: '2026-01-01T00:00:00.000Z', l: ['x'], e: [{ c: 'y' }] }];
    const file = saved(tmp(), 'schema.parquet', writeParquet(columns, toLeaves(columns, rows), 1));
    const schema = await query(`SELECT name, type, repetition_type AS rep, converted_type AS conv, logical_type::VARCHAR AS logical FROM parquet_schema('${file}')`);
    expect(schema).toEqual([
      { name: 'schema', type: null, rep: null, conv: null, logical: null },
      { name: 's', type: 'BYTE_ARRAY', rep: 'OPTIONAL', conv: 'UTF8', logical: 'StringType()' },
      { name: 'd', type: 'INT32', rep: 'OPTIONAL', conv: 'DATE', logical: 'DateType()' },
      { name: 't', type: 'INT64', rep: 'OPTIONAL', conv: 'TIMESTAMP_MICROS', logical: 'TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))' },
      { name: 'l', type: null, rep: 'OPTIONAL', conv: 'LIST', logical: 'ListType()' },
      { name: 'list', type: null, rep: 'REPEATED', conv: null, logical: null },
      { name: 'element', type: 'BYTE_ARRAY', rep: 'OPTIONAL', conv: 'UTF8', logical: 'StringType()' },
      { name: 'e', type: null, rep: 'OPTIONAL', conv: 'LIST', logical: 'ListType()' },
      { name: 'list', type: null, rep: 'REPEATED', conv: null, logical: null },
      { name: 'element', type: null, rep: 'OPTIONAL', conv: null, logical: null },
      { name: 'c', type: 'BYTE_ARRAY', rep: 'OPTIONAL', conv: 'UTF8', logical: 'StringType()' },
    ]);
  });
});
