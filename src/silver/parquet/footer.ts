// Parquet's footer (FileMetaData) and page headers in Thrift, by the field ids of
// parquet.thrift (https://github.com/apache/parquet-format/blob/master/src/main/thrift/parquet.thrift).
import { CompactWriter } from './thrift';
import type { Column, ScalarType } from './schema';

export const PHYSICAL = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, LIST: 3, DATE: 6, TIMESTAMP_MICROS: 10 } as const;
const PAGE = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

export function physicalOf(t: ScalarType): number {
  switch (t) {
    case 'string': return PHYSICAL.BYTE_ARRAY;
    case 'integer': case 'date': return PHYSICAL.INT32;
    case 'long': case 'timestamp': return PHYSICAL.INT64;
    case 'double': return PHYSICAL.DOUBLE;
    case 'boolean': return PHYSICAL.BOOLEAN;
  }
}

/** What the footer says of one column chunk. */
export interface ChunkMeta {
  path: string[];
  type: ScalarType;
  encodings: number[];
  numValues: number;
  bytes: number;
  dataPageOffset: number;
  dictionaryPageOffset: number | undefined;
  nullCount: number;
  min: Uint8Array | undefined;
  max: Uint8Array | undefined;
}

/** A V1 data page header (PLAIN or RLE_DICTIONARY values, RLE levels), uncompressed. */
export function dataPageHeader(w: CompactWriter, bodyBytes: number, numValues: number, encoding: number): void {
  w.i32(1, PAGE.DATA_PAGE);
  w.i32(2, bodyBytes);
  w.i32(3, bodyBytes);
  w.struct(5);
  w.i32(1, numValues);
  w.i32(2, encoding);
  w.i32(3, ENCODING.RLE);
  w.i32(4, ENCODING.RLE);
  w.end();
  w.end();
}

export function dictionaryPageHeader(w: CompactWriter, bodyBytes: number, numValues: number): void {
  w.i32(1, PAGE.DICTIONARY_PAGE);
  w.i32(2, bodyBytes);
  w.i32(3, bodyBytes);
  w.struct(7);
  w.i32(1, numValues);
  w.i32(2, ENCODING.PLAIN);
  w.end();
  w.end();
}

/** The whole FileMetaData: schema, one row group, the column order for statistics. */
export function fileMetaData(w: CompactWriter, columns: readonly Column<never>[], chunks: readonly ChunkMeta[], numRows: number, createdBy: string): void {
  w.i32(1, 1);
  const elements = schemaElementCount(columns);
  w.list(2, 'struct', elements);
  w.listStruct();
  w.string(4, 'schema');
  w.i32(5, columns.length);
  w.end();
  for (const c of columns) writeColumnSchema(w, c);
  w.i64(3, numRows);
  w.list(4, 'struct', 1);
  w.listStruct();
  w.list(1, 'struct', chunks.length);
  let total = 0;
  for (const ch of chunks) {
    total += ch.bytes;
    writeChunk(w, ch);
  }
  w.i64(2, total);
  w.i64(3, numRows);
  if (chunks.length) w.i64(5, chunks[0]!.dictionaryPageOffset ?? chunks[0]!.dataPageOffset);
  w.i64(6, total);
  w.end();
  w.string(6, createdBy);
  // TYPE_DEFINED_ORDER per leaf: without it, readers may not trust min_value/max_value.
  w.list(7, 'struct', chunks.length);
  for (let i = 0; i < chunks.length; i++) {
    w.listStruct();
    w.struct(1);
    w.end();
    w.end();
  }
  w.end();
}

function schemaElementCount(columns: readonly Column<never>[]): number {
  let n = 1;
  for (const c of columns) n += c.type === 'list<string>' ? 3 : c.type === 'list<record>' ? 3 + c.fields.length : 1;
  return n;
}

function writeColumnSchema(w: CompactWriter, c: Column<never>): void {
  if (c.type === 'list<string>' || c.type === 'list<record>') {
    listGroup(w, c.name);
    if (c.type === 'list<string>') leafElement(w, 'element', 'string');
    else {
      w.listStruct();
      w.i32(3, REPETITION.OPTIONAL);
      w.string(4, 'element');
      w.i32(5, c.fields.length);
      w.end();
      for (const f of c.fields) leafElement(w, f, 'string');
    }
    return;
  }
  leafElement(w, c.name, c.type);
}

/** The outer two levels of a 3-level LIST: `optional group name (LIST) { repeated group list { ... } }`. */
function listGroup(w: CompactWriter, name: string): void {
  w.listStruct();
  w.i32(3, REPETITION.OPTIONAL);
  w.string(4, name);
  w.i32(5, 1);
  w.i32(6, CONVERTED.LIST);
  w.struct(10);
  w.struct(3);
  w.end();
  w.end();
  w.end();
  w.listStruct();
  w.i32(3, REPETITION.REPEATED);
  w.string(4, 'list');
  w.i32(5, 1);
  w.end();
}

function leafElement(w: CompactWriter, name: string, type: ScalarType): void {
  w.listStruct();
  w.i32(1, physicalOf(type));
  w.i32(3, REPETITION.OPTIONAL);
  w.string(4, name);
  if (type === 'string') {
    w.i32(6, CONVERTED.UTF8);
    w.struct(10);
    w.struct(1);
    w.end();
    w.end();
  } else if (type === 'date') {
    w.i32(6, CONVERTED.DATE);
    w.struct(10);
    w.struct(6);
    w.end();
    w.end();
  } else if (type === 'timestamp') {
    w.i32(6, CONVERTED.TIMESTAMP_MICROS);
    w.struct(10);
    w.struct(8);
    w.bool(1, true); // isAdjustedToUTC
    w.struct(2); // unit
    w.struct(2); // MICROS
    w.end();
    w.end();
    w.end();
    w.end();
  }
  w.end();
}

function writeChunk(w: CompactWriter, ch: ChunkMeta): void {
  w.listStruct();
  w.i64(2, ch.dictionaryPageOffset ?? ch.dataPageOffset);
  w.struct(3);
  w.i32(1, physicalOf(ch.type));
  w.list(2, 'i32', ch.encodings.length);
  for (const e of ch.encodings) w.listI32(e);
  w.list(3, 'binary', ch.path.length);
  for (const p of ch.path) w.listString(p);
  w.i32(4, 0); // UNCOMPRESSED
  w.i64(5, ch.numValues);
  w.i64(6, ch.bytes);
  w.i64(7, ch.bytes);
  w.i64(9, ch.dataPageOffset);
  if (ch.dictionaryPageOffset !== undefined) w.i64(11, ch.dictionaryPageOffset);
  w.struct(12);
  w.i64(3, ch.nullCount);
  if (ch.min && ch.max) {
    w.binary(5, ch.max);
    w.binary(6, ch.min);
  }
  w.end();
  w.end();
  w.end();
}
