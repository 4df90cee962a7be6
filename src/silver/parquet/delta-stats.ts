// Delta Lake per-file statistics (the `stats` of an add action) from a file's leaves, in the
// form Spark writes them: dates 'YYYY-MM-DD', timestamps ISO-8601 in UTC with milliseconds,
// strings cut to 32 characters (the max extended so it still bounds every value), min/max
// for numbers, dates, timestamps and strings, nullCount for every top-level column.
// https://github.com/delta-io/delta/blob/master/PROTOCOL.md#per-file-statistics
import type { Leaf } from './leaf';
import type { Column } from './schema';
import { dateText } from './values';

export interface DeltaFileStats {
  numRecords: number;
  minValues: Record<string, string | number>;
  maxValues: Record<string, string | number>;
  nullCount: Record<string, number>;
}

/** Spark's default prefix length for string statistics (delta.dataSkippingStringPrefixLength). */
export const STRING_PREFIX = 32;
const ASCII_MAX = '\u007f';
const UTF8_MAX = '\u{10ffff}';

export function deltaStats(columns: readonly Column<never>[], leaves: readonly Leaf[], numRecords: number): DeltaFileStats {
  const stats: DeltaFileStats = { numRecords, minValues: {}, maxValues: {}, nullCount: {} };
  let at = 0;
  for (const c of columns) {
    const leaf = leaves[at]!;
    at += c.type === 'list<record>' ? c.fields.length : 1;
    stats.nullCount[c.name] = leaf.rowNulls;
    if (c.type === 'list<string>' || c.type === 'list<record>' || c.type === 'boolean') continue;
    if (leaf.min === undefined || leaf.max === undefined) continue;
    const min = statValue(c.type, leaf.min, 'min');
    const max = statValue(c.type, leaf.max, 'max');
    if (min !== null) stats.minValues[c.name] = min;
    if (max !== null) stats.maxValues[c.name] = max;
  }
  return stats;
}

function statValue(type: Leaf['type'], v: string | number | boolean, bound: 'min' | 'max'): string | number | null {
  switch (type) {
    case 'string': return bound === 'min' ? truncateMin(v as string) : truncateMax(v as string);
    case 'date': return dateText(v as number);
    // Microseconds to the millisecond: silver's timestamps are whole milliseconds, so exact.
    case 'timestamp': return new Date(Math.floor((v as number) / 1000)).toISOString();
    default: return v as number;
  }
}

/** A prefix of 32 UTF-16 units (33 rather than split a surrogate pair): never above the value. */
export function truncateMin(s: string, prefix = STRING_PREFIX): string {
  if (s.length <= prefix) return s;
  const hi = s.charCodeAt(prefix - 1);
  const lo = s.charCodeAt(prefix);
  return s.slice(0, hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff ? prefix + 1 : prefix);
}

/**
 * A short string not below `s` in UTF-8 order, as Delta's truncateMaxStringAgg makes it: the
 * prefix, extended past characters that are already the largest, then U+007F or U+10FFFF as a
 * tie-breaker. Null (no max) when no such string fits in twice the prefix length.
 */
export function truncateMax(s: string, prefix = STRING_PREFIX): string | null {
  if (s.length <= prefix) return s;
  let len = truncateMin(s, prefix).length;
  while (len <= 2 * prefix) {
    if (len >= s.length) return s;
    if (len + 1 < s.length && s.slice(len, len + 2) === UTF8_MAX) len += 2;
    else if (s.charCodeAt(len) < 0x7f) return s.slice(0, len) + ASCII_MAX;
    else return s.slice(0, len) + UTF8_MAX;
  }
  return null;
}
