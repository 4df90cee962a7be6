// Stats of a file from the column values it holds, for writers that have the rows in memory
// (silver). Values per Delta type:
//   long/integer/short/byte: number (safe integer) or bigint
//   double/float: number (any NaN or ±Infinity: min/max left out, JSON cannot hold them)
//   decimal(p,s): string with the exact digits, bigint, or number (its shortest decimal text)
//   date: "YYYY-MM-DD" or a Date (its UTC day)
//   timestamp: Date, ISO-8601 text with a zone (µs kept), or bigint µs since the epoch
//   string: string; others (boolean, binary, array, map): anything, nullCount only
// null and undefined are nulls.
import { decimalType, type DeltaField, type DeltaType } from './schema';
import { tableProperties } from './properties';
import { compareUtf8, hasMinMax, JsonNumber, serializeStats, statsColumns, timestampStat, truncateMaxString, truncateMinString, type ColumnStats } from './stats';
import { numberToPlain } from '../util/decimal';

export interface ColumnValues {
  name: string;
  type: DeltaType;
  values: ReadonlyArray<unknown>;
}

export interface StatsOptions {
  partitionColumns?: readonly string[];
  /** The table's configuration (delta.dataSkippingNumIndexedCols, delta.dataSkippingStatsColumns). */
  configuration?: Readonly<Record<string, string>>;
}

/** A comparable key and its stats text, per type. */
interface Ordered<K> {
  key: K;
  value: unknown;
}

function fail(column: string, type: string, value: unknown): never {
  throw new Error(`column ${column}: expected a ${type} value, got ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}`);
}

function integerKey(column: string, type: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return fail(column, type, v);
}

function decimalUnits(column: string, type: string, scale: number, v: unknown): bigint {
  const text = typeof v === 'bigint' ? v.toString() : typeof v === 'number' && Number.isFinite(v) ? numberToPlain(v) : typeof v === 'string' ? v.trim() : fail(column, type, v);
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return fail(column, type, v);
  const frac = m[3] ?? '';
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new Error(`column ${column}: expected at most ${scale} decimal places for ${type}, got ${text}`);
  const units = BigInt(`${m[2]}${frac.slice(0, scale).padEnd(scale, '0')}`);
  return m[1] === '-' ? -units : units;
}

function decimalText(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

const ISO = /^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

function timestampMicros(column: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return BigInt(v.getTime()) * 1000n;
  if (typeof v === 'string') {
    const m = ISO.exec(v);
    if (m) {
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
      const fracUs = BigInt((m[7] ?? '').padEnd(9, '0').slice(0, 6));
      let offsetMin = 0;
      if (m[8] !== 'Z') {
        const z = m[8]!.replace(':', '');
        offsetMin = (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
      }
      if (!Number.isNaN(ms)) return BigInt(ms - offsetMin * 60_000) * 1000n + fracUs;
    }
  }
  return fail(column, 'timestamp (Date, ISO-8601 with a zone, or bigint µs)', v);
}

function dateText(column: string, v: unknown): string {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  return fail(column, 'date ("YYYY-MM-DD" or Date)', v);
}

/** Min and max of non-null values under `compare`. */
function extremes<K>(items: Array<Ordered<K>>, compare: (a: K, b: K) => number): { min: K; max: K } | undefined {
  if (!items.length) return undefined;
  let min = items[0]!.key;
  let max = min;
  for (const { key } of items) {
    if (compare(key, min) < 0) min = key;
    if (compare(key, max) > 0) max = key;
  }
  return { min, max };
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function columnStats(c: ColumnValues): ColumnStats {
  const present = c.values.filter((v) => v !== null && v !== undefined);
  const out: ColumnStats = { name: c.name, nullCount: c.values.length - present.length };
  if (!hasMinMax(c.type) || typeof c.type !== 'string') return out;
  const type = c.type;
  const wrap = <K>(keyOf: (v: unknown) => K) => present.map((value) => ({ key: keyOf(value), value }));
  const dec = decimalType(type);
  if (dec) {
    const e = extremes(wrap((v) => decimalUnits(c.name, type, dec.scale, v)), cmpBig);
    if (e) Object.assign(out, { min: new JsonNumber(decimalText(e.min, dec.scale)), max: new JsonNumber(decimalText(e.max, dec.scale)) });
    return out;
  }
  switch (type) {
    case 'long':
    case 'integer':
    case 'short':
    case 'byte': {
      const e = extremes(wrap((v) => integerKey(c.name, type, v)), cmpBig);
      if (e) Object.assign(out, { min: new JsonNumber(e.min.toString()), max: new JsonNumber(e.max.toString()) });
      return out;
    }
    case 'double':
    case 'float': {
      const nums = wrap((v) => (typeof v === 'number' ? v : fail(c.name, type, v)));
      if (nums.some((n) => !Number.isFinite(n.key))) return out; // NaN/±Infinity: no JSON form, leave min/max out
      const e = extremes(nums, (a, b) => a - b);
      if (e) Object.assign(out, { min: new JsonNumber(String(e.min)), max: new JsonNumber(String(e.max)) });
      return out;
    }
    case 'date': {
      const e = extremes(wrap((v) => dateText(c.name, v)), (a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (e) Object.assign(out, { min: e.min, max: e.max });
      return out;
    }
    case 'timestamp': {
      const e = extremes(wrap((v) => timestampMicros(c.name, v)), cmpBig);
      if (e) Object.assign(out, { min: timestampStat(e.min), max: timestampStat(e.max) });
      return out;
    }
    default: {
      const e = extremes(wrap((v) => (typeof v === 'string' ? v : fail(c.name, 'string', v))), compareUtf8);
      if (e) {
        out.min = truncateMinString(e.min);
        const max = truncateMaxString(e.max);
        if (max !== undefined) out.max = max;
      }
      return out;
    }
  }
}

/**
 * The add.stats string of a file of `numRecords` rows whose columns hold `columns` (every
 * column of the file, in schema order; each with numRecords values). Partition columns and
 * columns past the table's stats limit are left out.
 */
export function statsFromValues(numRecords: number, columns: readonly ColumnValues[], opts: StatsOptions = {}): string {
  for (const c of columns) {
    if (c.values.length !== numRecords) throw new Error(`column ${c.name}: expected ${numRecords} values (numRecords), got ${c.values.length}`);
  }
  const fields: DeltaField[] = columns.map((c) => ({ name: c.name, type: c.type }));
  const chosen = new Set(statsColumns(fields, opts.partitionColumns ?? [], tableProperties(opts.configuration ?? {})).map((f) => f.name));
  return serializeStats(numRecords, columns.filter((c) => chosen.has(c.name)).map(columnStats));
}
