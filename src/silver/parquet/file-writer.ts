// Leaves to a Parquet file: one row group, one column chunk per leaf, V1 data pages (the
// page version every reader takes, Power BI's included), PLAIN values or a PLAIN dictionary
// with RLE_DICTIONARY indices, RLE levels, no compression, statistics per chunk.
import { ByteSink } from './byte-sink';
import { CompactWriter } from './thrift';
import { writeHybrid, bitWidth } from './hybrid';
import { ENCODING, dataPageHeader, dictionaryPageHeader, fileMetaData, type ChunkMeta } from './footer';
import type { Leaf, LeafValues } from './leaf';
import { PlainStringsBuilder, plainBytes, type PlainStrings } from './plain-strings';
import type { Column } from './schema';

/** A page ends at the first row boundary past this many value bytes (readers hold a page in memory). */
export const PAGE_BYTES = 1 << 20;
/** Min/max of longer strings are left out of the footer (a body of megabytes would be copied twice). */
const MAX_STAT_BYTES = 256;
const MAGIC = Buffer.from('PAR1', 'ascii');
/** Typed arrays are in the host's byte order; Parquet's is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export interface WriteOptions {
  createdBy?: string;
}

// Reused from file to file (writing is synchronous): growing fresh buffers for each file cost
// more in garbage collection than the copy of the finished file does.
const FILE = new ByteSink(1 << 20);
const SCRATCH: Scratch = { levels: new ByteSink(16 << 10), values: new ByteSink(256 << 10) };
/** A buffer grown past this by a huge file is let go afterwards rather than kept for the next. */
const KEEP_BYTES = 16 << 20;

/** The bytes of a Parquet file holding `leaves` (made by toLeaves from `columns`). */
export function writeParquet(columns: readonly Column<never>[], leaves: readonly Leaf[], numRows: number, opts: WriteOptions = {}): Uint8Array {
  const file = FILE;
  file.reset();
  file.bytes(MAGIC);
  const chunks = leaves.map((l) => writeChunk(file, l, SCRATCH));
  const footerStart = file.length;
  // Parquet-mr reads statistics of text columns only from writers named "<app> version <v>".
  fileMetaData(new CompactWriter(file), columns, chunks, numRows, opts.createdBy ?? 'orderlake version 1 (silver parquet writer)');
  file.i32(file.length - footerStart);
  file.bytes(MAGIC);
  const bytes = new Uint8Array(file.view());
  for (const sink of [file, SCRATCH.levels, SCRATCH.values]) sink.release(KEEP_BYTES);
  return bytes;
}

interface Scratch {
  levels: ByteSink;
  values: ByteSink;
}

function writeChunk(file: ByteSink, leaf: Leaf, scratch: Scratch): ChunkMeta {
  const start = file.length;
  const useDictionary = leaf.dictionary !== null && worthADictionary(leaf);
  let dictionaryPageOffset: number | undefined;
  if (useDictionary) {
    dictionaryPageOffset = start;
    const body = scratch.values;
    body.reset();
    for (const v of leaf.dictionary!) body.lengthPrefixedUtf8(v);
    dictionaryPageHeader(new CompactWriter(file), body.length, leaf.dictionary!.length);
    file.bytes(body.view());
  }
  const dataPageOffset = file.length;
  const values = useDictionary ? null : leaf.values ?? expandDictionary(leaf);
  const indexWidth = useDictionary ? bitWidth(leaf.dictionary!.length - 1) : 0;
  for (const page of pages(leaf, values)) {
    const body = scratch.values;
    body.reset();
    let valueBytes: Uint8Array;
    if (useDictionary) {
      body.u8(indexWidth);
      writeHybrid(body, leaf.indices!, page.valueFrom, page.valueTo, indexWidth);
      valueBytes = body.view();
    } else valueBytes = plainPage(body, leaf.type, values!, page.valueFrom, page.valueTo);
    writePage(file, leaf, page.levelFrom, page.levelTo, valueBytes, scratch.levels, useDictionary);
  }
  const [min, max] = statBounds(leaf);
  return {
    path: leaf.path, type: leaf.type, numValues: leaf.levels, bytes: file.length - start,
    encodings: useDictionary ? [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY] : [ENCODING.PLAIN, ENCODING.RLE],
    dataPageOffset, dictionaryPageOffset, nullCount: leaf.levels - leaf.count, min, max,
  };
}

interface PageRange {
  levelFrom: number;
  levelTo: number;
  valueFrom: number;
  valueTo: number;
}

/** Level and value ranges of the pages: each ends at a row boundary once PAGE_BYTES of values are in it. */
function pages(leaf: Leaf, values: LeafValues): PageRange[] {
  const { defs, reps, maxDef, levels, count } = leaf;
  const strings = values !== null && 'ends' in values ? values : null;
  const width = values === null ? 1 : leaf.type === 'boolean' ? 1 / 8 : leaf.type === 'integer' || leaf.type === 'date' ? 4 : 8;
  // Most files are one page: no need to walk the levels.
  const total = strings ? plainBytes(strings, 0, count).length : count * width;
  if (total < PAGE_BYTES) return [{ levelFrom: 0, levelTo: levels, valueFrom: 0, valueTo: count }];
  const out: PageRange[] = [];
  let page: PageRange = { levelFrom: 0, levelTo: 0, valueFrom: 0, valueTo: 0 };
  let pageStartByte = strings ? strings.start : 0;
  let v = 0;
  for (let i = 0; i < levels; i++) {
    const bytes = strings ? (v ? strings.ends[v - 1]! : strings.start) - pageStartByte : (v - page.valueFrom) * width;
    if (bytes >= PAGE_BYTES && (reps === null || reps[i] === 0)) {
      out.push({ ...page, levelTo: i, valueTo: v });
      page = { levelFrom: i, levelTo: i, valueFrom: v, valueTo: v };
      pageStartByte += bytes;
    }
    if (defs[i] === maxDef) v++;
  }
  out.push({ ...page, levelTo: levels, valueTo: v });
  return out;
}

/** The PLAIN bytes of values [from, to): little-endian numbers, length-prefixed UTF-8, bit-packed booleans. */
function plainPage(body: ByteSink, type: Leaf['type'], values: NonNullable<LeafValues>, from: number, to: number): Uint8Array {
  if ('ends' in values) return plainBytes(values, from, to);
  switch (type) {
    case 'integer': case 'date': {
      const ints = values as Int32Array;
      if (LITTLE_ENDIAN) return new Uint8Array(ints.buffer, ints.byteOffset + from * 4, (to - from) * 4);
      for (let i = from; i < to; i++) body.i32(ints[i]!);
      break;
    }
    case 'double': {
      const doubles = values as Float64Array;
      if (LITTLE_ENDIAN) return new Uint8Array(doubles.buffer, doubles.byteOffset + from * 8, (to - from) * 8);
      for (let i = from; i < to; i++) body.f64(doubles[i]!);
      break;
    }
    case 'long': case 'timestamp': {
      const longs = values as Float64Array;
      for (let i = from; i < to; i++) body.i64(longs[i]!);
      break;
    }
    case 'boolean': {
      const bools = values as Uint8Array;
      for (let i = from; i < to; i += 8) {
        let byte = 0;
        for (let k = 0; k < 8 && i + k < to; k++) byte |= bools[i + k]! << k;
        body.u8(byte);
      }
      break;
    }
    case 'string':
      throw new Error('parquet: string values are PLAIN bytes already');
  }
  return body.view();
}

/** A dictionary pays when values repeat: at most half as many distinct values as values. */
function worthADictionary(leaf: Leaf): boolean {
  const d = leaf.dictionary!;
  return d.length > 0 && d.length * 2 <= leaf.count;
}

/** PLAIN strings of a dictionary column whose dictionary did not pay. */
function expandDictionary(leaf: Leaf): PlainStrings {
  const arena = new ByteSink(leaf.count * 16 + 64);
  const out = new PlainStringsBuilder(arena, leaf.count);
  for (let i = 0; i < leaf.count; i++) out.add(leaf.dictionary![leaf.indices![i]!]!);
  return out.finish();
}

function writePage(file: ByteSink, leaf: Leaf, from: number, to: number, values: Uint8Array, levels: ByteSink, dictionary: boolean): void {
  levels.reset();
  if (leaf.reps) lengthPrefixedLevels(levels, leaf.reps, from, to, leaf.maxRep);
  lengthPrefixedLevels(levels, leaf.defs, from, to, leaf.maxDef);
  dataPageHeader(new CompactWriter(file), levels.length + values.length, to - from, dictionary ? ENCODING.RLE_DICTIONARY : ENCODING.PLAIN);
  file.bytes(levels.view());
  file.bytes(values);
}

function lengthPrefixedLevels(out: ByteSink, levels: Uint8Array, from: number, to: number, max: number): void {
  const at = out.length;
  out.i32(0);
  writeHybrid(out, levels, from, to, bitWidth(max));
  out.patchI32(at, out.length - at - 4);
}

/** Footer min/max: little-endian values, UTF-8 text; -0 as the min and +0 as the max of zeros. */
function statBounds(leaf: Leaf): [Uint8Array | undefined, Uint8Array | undefined] {
  if (leaf.min === undefined || leaf.max === undefined) return [undefined, undefined];
  const enc = (x: string | number | boolean, isMin: boolean): Uint8Array => {
    switch (leaf.type) {
      case 'string': return Buffer.from(x as string, 'utf8');
      case 'boolean': return Uint8Array.of(x ? 1 : 0);
      case 'integer': case 'date': { const b = Buffer.alloc(4); b.writeInt32LE(x as number); return b; }
      case 'long': case 'timestamp': { const s = new ByteSink(8); s.i64(x as number); return s.view(); }
      case 'double': { const b = Buffer.alloc(8); b.writeDoubleLE(x === 0 ? (isMin ? -0 : 0) : (x as number)); return b; }
    }
  };
  const min = enc(leaf.min, true);
  const max = enc(leaf.max, false);
  return min.length > MAX_STAT_BYTES || max.length > MAX_STAT_BYTES ? [undefined, undefined] : [min, max];
}
