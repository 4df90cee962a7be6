// Per-file statistics (PROTOCOL.md §Per-file Statistics): which columns get them, how each value
// is written, and the add.stats string. Shared by the in-memory (silver) and Parquet (gold)
// producers in stats-values.ts and parquet-stats.ts.
import { decimalType, type DeltaField, type DeltaType } from './schema';
import type { TableProperties } from './properties';

/** A number written to the JSON as this exact text (decimals keep every digit; JS numbers would not). */
export class JsonNumber {
  constructor(public readonly text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new Error(`expected JSON number text, got ${JSON.stringify(text)}`);
  }
}

export type StatValue = string | JsonNumber;

/** One column's statistics: min/max absent when unknown (all null, ineligible type, NaN ...). */
export interface ColumnStats {
  name: string;
  nullCount: number;
  min?: StatValue;
  max?: StatValue;
}

/** Spark's stats string prefix length (spark.databricks.delta.stats.skipping.string.prefixLength). */
export const STRING_PREFIX_LENGTH = 32;

const MIN_MAX_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'date', 'timestamp', 'string']);

/** Types with min/max stats (Spark SkippingEligibleDataType): numbers, date, timestamp, string. Others get nullCount only. */
export function hasMinMax(type: DeltaType): boolean {
  return typeof type === 'string' && (MIN_MAX_TYPES.has(type) || decimalType(type) !== undefined);
}

function leafCount(type: DeltaType): number {
  return typeof type !== 'string' && type.type === 'struct' ? type.fields.reduce((n, f) => n + leafCount(f.type), 0) : 1;
}

/**
 * The columns that get stats, in schema order: partition columns never (their values are in the
 * log); delta.dataSkippingStatsColumns when set; else the first delta.dataSkippingNumIndexedCols
 * leaf columns (-1: all), counting a struct's leaves as Spark does. Struct columns themselves are
 * left out (this module writes no nested stats; readers treat missing stats as unknown).
 */
export function statsColumns(fields: readonly DeltaField[], partitionColumns: readonly string[], props: Pick<TableProperties, 'dataSkippingNumIndexedCols' | 'dataSkippingStatsColumns'>): DeltaField[] {
  const data = fields.filter((f) => !partitionColumns.includes(f.name));
  const isStruct = (f: DeltaField) => typeof f.type !== 'string' && f.type.type === 'struct';
  if (props.dataSkippingStatsColumns) {
    const wanted = new Set(props.dataSkippingStatsColumns.map((c) => c.toLowerCase()));
    return data.filter((f) => wanted.has(f.name.toLowerCase()) && !isStruct(f));
  }
  const limit = props.dataSkippingNumIndexedCols;
  const out: DeltaField[] = [];
  let leaves = 0;
  for (const f of data) {
    if (limit >= 0 && leaves >= limit) break;
    leaves += leafCount(f.type);
    if (!isStruct(f)) out.push(f);
  }
  return out;
}

/** Spark's min truncation: the first `prefix` code points (SQL substring). Any prefix of the min is a valid min. */
export function truncateMinString(s: string, prefix = STRING_PREFIX_LENGTH): string {
  const cps = Array.from(s);
  return cps.length <= prefix ? s : cps.slice(0, prefix).join('');
}

const ASCII_MAX = '\u007f';
const UTF8_MAX = String.fromCodePoint(0x10ffff);

/**
 * Spark's max truncation (StatisticsCollection.truncateMaxStringAgg, in UTF-16 units as Java
 * strings are): a prefix plus a tie-breaker (U+007F if the first cut char is below it, else
 * U+10FFFF) so every value stays <= the result in UTF-8 order; undefined when no such prefix
 * fits in 2 × prefix units (the max is then left out).
 */
export function truncateMaxString(s: string, prefix = STRING_PREFIX_LENGTH): string | undefined {
  if (s.length <= prefix) return s;
  const high = s.charCodeAt(prefix - 1);
  const low = s.charCodeAt(prefix);
  let len = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? prefix + 1 : prefix;
  while (len <= 2 * prefix) {
    if (len >= s.length) return s;
    if (len + 1 < s.length && s.slice(len, len + 2) === UTF8_MAX) len += 2;
    else if (s.charCodeAt(len) < 0x7f) return s.slice(0, len) + ASCII_MAX;
    else return s.slice(0, len) + UTF8_MAX;
  }
  return undefined;
}

/** Compares strings by their UTF-8 bytes (= code point order), Spark's and Parquet's string order. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (>= 0xD800 < 0xE000) is part of a code point above U+FFFF, which sorts after
    // every BMP char; UTF-16 order gets that wrong against U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** "YYYY-MM-DDTHH:MM:SS.mmmZ" of a timestamp in µs, floored to ms (the form Spark and kernel-java write). */
export function timestampStat(micros: bigint): string {
  let ms = micros / 1000n;
  if (micros % 1000n < 0n) ms -= 1n;
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new Error(`expected a timestamp within JavaScript's date range, got ${micros} µs`);
  return d.toISOString();
}

function jsonValue(v: StatValue): string {
  return v instanceof JsonNumber ? v.text : JSON.stringify(v);
}

function jsonObject(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** The add.stats string: {"numRecords":..,"minValues":{..},"maxValues":{..},"nullCount":{..}}. */
export function serializeStats(numRecords: number, columns: readonly ColumnStats[]): string {
  if (!Number.isSafeInteger(numRecords) || numRecords < 0) throw new Error(`expected numRecords as a non-negative integer, got ${numRecords}`);
  const min = columns.flatMap((c) => (c.min === undefined ? [] : [[c.name, jsonValue(c.min)] as const]));
  const max = columns.flatMap((c) => (c.max === undefined ? [] : [[c.name, jsonValue(c.max)] as const]));
  const nulls = columns.map((c) => [c.name, String(c.nullCount)] as const);
  return jsonObject([
    ['numRecords', String(numRecords)],
    ['minValues', jsonObject(min)],
    ['maxValues', jsonObject(max)],
    ['nullCount', jsonObject(nulls)],
  ]);
}
