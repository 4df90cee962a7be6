// Rows to Parquet leaf columns (see leaf.ts). A scalar column is one leaf; a list of text is one
// leaf (path name.list.element); a list of records is one leaf per record field.
import type { Column, ScalarColumn } from './schema';
import { ByteSink } from './byte-sink';
import { PlainStringsBuilder } from './plain-strings';
import { stringListLeaf, recordListLeaf } from './list-leaves';
import { leafOf, typeError, type Leaf } from './leaf';
import { dateDays, timestampMs, utf8Compare } from './values';

export type { Leaf } from './leaf';

/**
 * The leaves of every column of `rows`, in schema order. Their strings go into `arena` (by
 * default a new one), which must not be reset while the leaves are in use.
 */
export function toLeaves<R>(columns: readonly Column<R>[], rows: readonly R[], arena = new ByteSink(Math.max(64 << 10, rows.length * columns.length * 16))): Leaf[] {
  const leaves: Leaf[] = [];
  for (const c of columns) {
    if (c.type === 'list<string>') leaves.push(stringListLeaf(c.name, rows, c.get, arena));
    else if (c.type === 'list<record>') {
      for (const f of c.fields) leaves.push(recordListLeaf(c.name, f, rows, c.get, arena));
    } else leaves.push(scalarLeaf(c, rows, arena));
  }
  return leaves;
}

// One gathering loop per type: each loop's stores stay of one element kind, which V8 keeps fast.

function scalarLeaf<R>(c: ScalarColumn<R>, rows: readonly R[], arena: ByteSink): Leaf {
  switch (c.type) {
    case 'string': return c.dictionary ? dictionaryLeaf(c, rows) : stringLeaf(c, rows, arena);
    case 'boolean': return booleanLeaf(c, rows);
    case 'integer': return int32Leaf(c, rows);
    case 'date': return dateLeaf(c, rows);
    case 'timestamp': return timestampLeaf(c, rows);
    case 'long': case 'double': return float64Leaf(c, rows);
  }
}

function stringLeaf<R>(c: ScalarColumn<R>, rows: readonly R[], arena: ByteSink): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values = new PlainStringsBuilder(arena, n);
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'string') throw typeError(c.name, 'a string', v);
    defs[i] = 1;
    values.add(v);
  }
  return leafOf([c.name], 'string', 1, 0, defs, null, values.finish(), values.count, values.min, values.max, n - values.count);
}

/** Up to this many distinct values, a value's index is found by comparing with each (cheaper than hashing it). */
const SCAN_LIMIT = 16;

function dictionaryLeaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values: string[] = [];
  let ids: Map<string, number> | null = null;
  const indices = new Int32Array(n);
  let count = 0;
  let last: string | undefined;
  let lastId = 0;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'string') throw typeError(c.name, 'a string', v);
    defs[i] = 1;
    if (v !== last) {
      let id = -1;
      if (ids === null) {
        for (let k = 0; k < values.length; k++) {
          if (values[k] === v) {
            id = k;
            break;
          }
        }
      } else id = ids.get(v) ?? -1;
      if (id < 0) {
        id = values.length;
        values.push(v);
        if (ids) ids.set(v, id);
        else if (values.length > SCAN_LIMIT) ids = new Map(values.map((s, k) => [s, k]));
      }
      last = v;
      lastId = id;
    }
    indices[count++] = lastId;
  }
  let min: string | undefined;
  let max: string | undefined;
  for (const text of values) {
    const v = text.toWellFormed(); // as written: a lone surrogate becomes U+FFFD
    if (min === undefined || utf8Compare(v, min) < 0) min = v;
    if (max === undefined || utf8Compare(v, max) > 0) max = v;
  }
  return leafOf([c.name], 'string', 1, 0, defs, null, null, count, min, max, n - count, { indices: indices.subarray(0, count), values });
}

function booleanLeaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values = new Uint8Array(n);
  let count = 0;
  let trues = 0;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'boolean') throw typeError(c.name, 'a boolean', v);
    defs[i] = 1;
    if (v) {
      values[count] = 1;
      trues++;
    }
    count++;
  }
  return leafOf([c.name], 'boolean', 1, 0, defs, null, values.subarray(0, count), count, count ? trues === count : undefined, count ? trues > 0 : undefined, n - count);
}

function int32Leaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values = new Int32Array(n);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'number' || (v | 0) !== v) throw typeError(c.name, 'a 32-bit integer', v);
    defs[i] = 1;
    values[count++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return leafOf([c.name], 'integer', 1, 0, defs, null, values.subarray(0, count), count, count ? min : undefined, count ? max : undefined, n - count);
}

/** long (safe integers) and double; -0 and +0 are equal here, the footer sets their bounds. */
function float64Leaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const integers = c.type === 'long';
  const defs = new Uint8Array(n);
  const values = new Float64Array(n);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'number' || (integers && !Number.isSafeInteger(v))) throw typeError(c.name, integers ? 'an integer within ±2^53' : 'a number', v);
    defs[i] = 1;
    values[count++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return leafOf([c.name], c.type, 1, 0, defs, null, values.subarray(0, count), count, count ? min : undefined, count ? max : undefined, n - count);
}

/** Dates as days since the epoch; a run of one date (rows are sorted by it) is parsed once. */
function dateLeaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values = new Int32Array(n);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let last = '';
  let days = 0;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'string') throw typeError(c.name, 'a date string', v);
    if (v !== last) {
      days = dateDays(v, c.name);
      last = v;
      if (days < min) min = days;
      if (days > max) max = days;
    }
    defs[i] = 1;
    values[count++] = days;
  }
  return leafOf([c.name], 'date', 1, 0, defs, null, values.subarray(0, count), count, count ? min : undefined, count ? max : undefined, n - count);
}

/** Timestamps as microseconds since the epoch; a repeated text (ingestion_time) is parsed once. */
function timestampLeaf<R>(c: ScalarColumn<R>, rows: readonly R[]): Leaf {
  const n = rows.length;
  const get = c.get;
  const defs = new Uint8Array(n);
  const values = new Float64Array(n);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let last = '';
  let us = 0;
  for (let i = 0; i < n; i++) {
    const v = get(rows[i]!);
    if (v === null) continue;
    if (typeof v !== 'string') throw typeError(c.name, 'a timestamp string', v);
    if (v !== last) {
      us = timestampMs(v, c.name) * 1000;
      last = v;
      if (us < min) min = us;
      if (us > max) max = us;
    }
    defs[i] = 1;
    values[count++] = us;
  }
  return leafOf([c.name], 'timestamp', 1, 0, defs, null, values.subarray(0, count), count, count ? min : undefined, count ? max : undefined, n - count);
}
