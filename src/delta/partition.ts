// Partition values: their string form in the log (PROTOCOL.md §Partition Value Serialization)
// and the Hive-style folder a file of a partition goes in (a convention only, P §Data Files;
// escaping as kernel-java PartitionUtils.escapePartitionValue).
import { decimalType, type DeltaType } from './schema';
import type { PartitionValues } from './types';
import { numberToPlain } from '../util/decimal';

const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO-8601 UTC with microseconds, as kernel-java writes timestamp partition values. */
function timestampText(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMs = Number(micros - ms * 1000n);
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new Error(`expected a timestamp in range, got ${micros} µs`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}${pad(subMs, 3)}Z`;
}

function integerText(value: unknown, type: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return String(BigInt(value));
  throw new Error(`expected an integer for a ${type} partition value, got ${JSON.stringify(String(value))}`);
}

/**
 * The log's string for a partition value of a column of `type` (null stays null). Strings as
 * they are (an empty string would mean null, so it is refused); numbers in decimal; booleans
 * "true"/"false"; dates "YYYY-MM-DD"; timestamps ISO-8601 UTC with microseconds.
 */
export function serializePartitionValue(type: DeltaType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof type !== 'string') throw new Error(`expected a primitive partition column type, got ${JSON.stringify(type)}`);
  const fail = (): never => {
    throw new Error(`expected a ${type} partition value, got ${JSON.stringify(value instanceof Date ? value.toISOString() : String(value))}`);
  };
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail();
      if (value === '') throw new Error('expected a non-empty string partition value (the log reads "" as null); pass null for a null value');
      return value as string;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return integerText(value, type);
    case 'double':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail();
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      return String(value);
    case 'date': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) fail();
        return value.toISOString().slice(0, 10);
      }
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) fail();
      return value as string;
    }
    case 'timestamp': {
      if (typeof value === 'bigint') return timestampText(value);
      if (value instanceof Date && !Number.isNaN(value.getTime())) return timestampText(BigInt(value.getTime()) * 1000n);
      return fail();
    }
    default: {
      const dec = decimalType(type);
      if (!dec) throw new Error(`expected a partition column of a primitive type, got ${type}`);
      const text = typeof value === 'number' ? numberToPlain(value) : typeof value === 'string' || typeof value === 'bigint' ? String(value) : fail();
      if (!/^-?\d+(\.\d+)?$/.test(text)) fail();
      return text;
    }
  }
}

// Hive-style escaping of a partition value in a folder name (kernel-java CHARS_TO_ESCAPE).
const ESCAPE = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\x7f', '{', '[', ']', '^']);

export function escapePartitionValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += (code >= 0x01 && code <= 0x1f) || ESCAPE.has(ch) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** The folder of a partition, e.g. "order_date=2024-01-05" ('' for an unpartitioned table). */
export function partitionFolder(partitionColumns: readonly string[], values: PartitionValues): string {
  return partitionColumns
    .map((c) => {
      if (!(c in values)) throw new Error(`expected a value for partition column ${c}, got keys ${JSON.stringify(Object.keys(values))}`);
      const v = values[c];
      return `${escapePartitionValue(c)}=${v === null || v === undefined ? HIVE_NULL : escapePartitionValue(v)}`;
    })
    .join('/');
}
