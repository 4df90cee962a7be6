import * as path from 'node:path';
import { arrayOf, deltaTypeOfDuckDb, parseSchemaString, schemaString, validateSchema, type DeltaField } from '../../src/delta';
import { decimalType } from '../../src/delta/schema';
import { withDuckDb } from '../../src/delta/duck';
import { tempDirs } from '../helpers/tmp';
import { writeParquet } from '../helpers/delta-tables';

jest.setTimeout(120_000);

const tmp = tempDirs();

describe('schemaString', () => {
  it('serializes primitives, decimals and array<string> as PROTOCOL.md §Schema Serialization Format', () => {
    const fields: DeltaField[] = [
      { name: 'order_id', type: 'string', nullable: false },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'tags', type: arrayOf('string') },
      { name: 'attrs', type: { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true } },
    ];
    expect(schemaString(fields)).toBe(
      '{"type":"struct","fields":[' +
        '{"name":"order_id","type":"string","nullable":false,"metadata":{}},' +
        '{"name":"amount","type":"decimal(12,2)","nullable":true,"metadata":{}},' +
        '{"name":"tags","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},' +
        '{"name":"attrs","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}}]}',
    );
  });
});

describe('parseSchemaString', () => {
  it('reads back what schemaString wrote', () => {
    const fields: DeltaField[] = [
      { name: 'a', type: 'long', nullable: true, metadata: {} },
      { name: 's', type: { type: 'struct', fields: [{ name: 'x', type: arrayOf('date'), nullable: true, metadata: {} }] }, nullable: false, metadata: { comment: 'c' } },
    ];
    expect(parseSchemaString(schemaString(fields))).toEqual(fields);
  });

  it('says what it expected', () => {
    expect(() => parseSchemaString('{"type":"array"}', 'm')).toThrow('m: expected {"type":"struct","fields":[...]}, got {"type":"array"}');
    expect(() => parseSchemaString('nope', 'm')).toThrow('m: expected JSON, got "nope"');
  });
});

describe('validateSchema', () => {
  it('refuses unknown types, bad decimals and names equal ignoring case', () => {
    expect(() => validateSchema([{ name: 'a', type: 'int' }])).toThrow('a: expected a Delta type (string, long, integer, short, byte, double, float, boolean, date, timestamp, binary, decimal(p,s), array, map, struct), got "int"');
    expect(() => validateSchema([{ name: 'a', type: 'decimal(39,2)' }])).toThrow('a: expected decimal(p,s) with 1 <= p <= 38 and s <= p, got decimal(39,2)');
    expect(() => validateSchema([{ name: 'Id', type: 'long' }, { name: 'id', type: 'long' }])).toThrow('expected column names unique ignoring case, got "id" twice');
  });
});

describe('decimalType', () => {
  it('reads precision and scale', () => {
    expect(decimalType('decimal(12,2)')).toEqual({ precision: 12, scale: 2 });
    expect(decimalType('long')).toBeUndefined();
  });
});

describe('deltaTypeOfDuckDb', () => {
  it('maps each DuckDB type to the Delta type of the Parquet DuckDB writes for it', () => {
    expect(['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'DECIMAL(18,3)', 'BLOB'].map(deltaTypeOfDuckDb)).toEqual([
      'long', 'integer', 'short', 'byte', 'double', 'float', 'boolean', 'string', 'date', 'timestamp', 'decimal(18,3)', 'binary',
    ]);
    expect(deltaTypeOfDuckDb('VARCHAR[]')).toEqual(arrayOf('string'));
    expect(deltaTypeOfDuckDb('STRUCT("a b" INTEGER, c VARCHAR[])')).toEqual({ type: 'struct', fields: [{ name: 'a b', type: 'integer', nullable: true, metadata: {} }, { name: 'c', type: arrayOf('string'), nullable: true, metadata: {} }] });
    expect(deltaTypeOfDuckDb('MAP(VARCHAR, DECIMAL(10,2))')).toEqual({ type: 'map', keyType: 'string', valueType: 'decimal(10,2)', valueContainsNull: true });
  });

  it('refuses the types DuckDB writes as something else, naming the cast', () => {
    expect(() => deltaTypeOfDuckDb('HUGEINT')).toThrow('expected a DuckDB type with a Delta equivalent, got HUGEINT (it is written as a Parquet DOUBLE; cast it to BIGINT or DECIMAL(38,0))');
    expect(() => deltaTypeOfDuckDb('UBIGINT')).toThrow('(it is written as an unsigned INT64; cast it to BIGINT or DECIMAL(20,0))');
    expect(() => deltaTypeOfDuckDb('TIMESTAMP')).toThrow('(it is written with isAdjustedToUTC=false (timestamp_ntz, a reader 3 / writer 7 feature); cast it to TIMESTAMPTZ)');
    expect(() => deltaTypeOfDuckDb('UUID')).toThrow('cast it to VARCHAR');
  });

  it('matches what DuckDB really writes: each type read back from its Parquet file maps to the same Delta type', async () => {
    const file = path.join(tmp(), 'types.parquet');
    await writeParquet(file, `SELECT 1::BIGINT a, 1::INTEGER b, 1::SMALLINT c, 1::TINYINT d, 1::DOUBLE e, 1::FLOAT f, true g, 'x' h, DATE '2026-01-01' i,
      TIMESTAMPTZ '2026-01-01 00:00:00+00' j, 1.5::DECIMAL(12,2) k, 'x'::BLOB l, ['x'] m`);
    const rows = await withDuckDb(async (db) => ({
      described: await db.rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`),
      physical: await db.rows(`SELECT name, type, converted_type FROM parquet_schema('${file}') WHERE type IS NOT NULL`),
    }));
    expect(rows.described.map((r) => deltaTypeOfDuckDb(String(r['column_type'])))).toEqual([
      'long', 'integer', 'short', 'byte', 'double', 'float', 'boolean', 'string', 'date', 'timestamp', 'decimal(12,2)', 'binary', arrayOf('string'),
    ]);
    // The Parquet types Delta requires for those (P §Delta Data Type to Parquet Type Mappings).
    expect(rows.physical.map((r) => `${r['name']}:${r['type']}:${r['converted_type'] ?? ''}`)).toEqual([
      'a:INT64:INT_64', 'b:INT32:INT_32', 'c:INT32:INT_16', 'd:INT32:INT_8', 'e:DOUBLE:', 'f:FLOAT:', 'g:BOOLEAN:', 'h:BYTE_ARRAY:UTF8', 'i:INT32:DATE',
      'j:INT64:TIMESTAMP_MICROS', 'k:INT64:DECIMAL', 'l:BYTE_ARRAY:', 'element:BYTE_ARRAY:UTF8',
    ]);
  });
});
