// A leaf column of one file, ready to write: the dense non-null values, the definition and
// repetition levels (Dremel), and the statistics.
import type { ScalarType } from './schema';
import type { PlainStrings } from './plain-strings';

/** Non-null values: PLAIN strings; integer and date as Int32Array; long, double and timestamp (µs) as Float64Array; booleans 0/1; null for a dictionary leaf. */
export type LeafValues = PlainStrings | Int32Array | Float64Array | Uint8Array | null;

export interface Leaf {
  /** The column's top-level name and, for lists, the path below it. */
  path: string[];
  type: ScalarType;
  maxDef: number;
  maxRep: number;
  /** Level entries (rows for a scalar column; elements, empty and null lists for a list). */
  levels: number;
  defs: Uint8Array;
  /** Null for a scalar column (every entry starts a row). */
  reps: Uint8Array | null;
  values: LeafValues;
  count: number;
  /** Set for a dictionary column: the index of each non-null value in `dictionary`. */
  indices: Int32Array | null;
  dictionary: string[] | null;
  /** Min and max of the non-null values (timestamps in µs, dates in days); undefined when there is none. */
  min: string | number | boolean | undefined;
  max: string | number | boolean | undefined;
  /** Rows whose column is null (Delta's nullCount; on the first leaf of a column). */
  rowNulls: number;
}

export function leafOf(path: string[], type: ScalarType, maxDef: number, maxRep: number, defs: Uint8Array, reps: Uint8Array | null, values: LeafValues, count: number,
  min: Leaf['min'], max: Leaf['max'], rowNulls: number, dictionary: { indices: Int32Array; values: string[] } | null = null): Leaf {
  return {
    path, type, maxDef, maxRep, levels: defs.length, defs, reps, values, count,
    indices: dictionary?.indices ?? null, dictionary: dictionary?.values ?? null, min, max, rowNulls,
  };
}

export function typeError(column: string, expected: string, got: unknown): Error {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : String(got);
  return new Error(`parquet: column ${column} expects ${expected} or null, got ${typeof got} ${shown}`);
}
