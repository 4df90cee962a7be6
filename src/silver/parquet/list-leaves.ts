// Leaves of list columns, in Spark's 3-level LIST form (optional group, repeated group `list`,
// optional `element`): repetition level 0 starts a row, 1 continues its list; the definition
// level says how far down the value is defined.
import type { ByteSink } from './byte-sink';
import { PlainStringsBuilder } from './plain-strings';
import { leafOf, typeError, type Leaf } from './leaf';

/** Levels of a list of text: 0 null list, 1 empty list, 2 null element, 3 a value. */
export function stringListLeaf<R>(name: string, rows: readonly R[], get: (row: R) => readonly (string | null)[] | null, arena: ByteSink): Leaf {
  const values = new PlainStringsBuilder(arena, rows.length);
  const defs: number[] = [];
  const reps: number[] = [];
  let rowNulls = 0;
  for (const row of rows) {
    const list = get(row);
    if (list === null) {
      rowNulls++;
      defs.push(0);
      reps.push(0);
    } else if (!list.length) {
      defs.push(1);
      reps.push(0);
    } else {
      for (let k = 0; k < list.length; k++) {
        const v = list[k]!;
        reps.push(k ? 1 : 0);
        if (v === null) {
          defs.push(2);
          continue;
        }
        if (typeof v !== 'string') throw typeError(`${name}[${k}]`, 'a string', v);
        defs.push(3);
        values.add(v);
      }
    }
  }
  return leafOf([name, 'list', 'element'], 'string', 3, 1, Uint8Array.from(defs), Uint8Array.from(reps), values.finish(), values.count, values.min, values.max, rowNulls);
}

/** Levels of one text field of a list of records: 0 null list, 1 empty, 2 null record, 3 null field, 4 a value. */
export function recordListLeaf<R>(
  name: string, field: string, rows: readonly R[],
  get: (row: R) => readonly (Readonly<Record<string, string | null>> | null)[] | null, arena: ByteSink,
): Leaf {
  const values = new PlainStringsBuilder(arena, rows.length);
  const defs: number[] = [];
  const reps: number[] = [];
  let rowNulls = 0;
  for (const row of rows) {
    const list = get(row);
    if (list === null) {
      rowNulls++;
      defs.push(0);
      reps.push(0);
    } else if (!list.length) {
      defs.push(1);
      reps.push(0);
    } else {
      for (let k = 0; k < list.length; k++) {
        const rec = list[k]!;
        reps.push(k ? 1 : 0);
        const v = rec === null ? undefined : rec[field] ?? null;
        if (v === undefined) defs.push(2);
        else if (v === null) defs.push(3);
        else {
          if (typeof v !== 'string') throw typeError(`${name}[${k}].${field}`, 'a string', v);
          defs.push(4);
          values.add(v);
        }
      }
    }
  }
  return leafOf([name, 'list', 'element', field], 'string', 4, 1, Uint8Array.from(defs), Uint8Array.from(reps), values.finish(), values.count, values.min, values.max, rowNulls);
}
