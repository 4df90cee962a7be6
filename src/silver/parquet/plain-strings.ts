// A leaf's strings, encoded once, as they are gathered, straight into their PLAIN page form
// (4-byte length + UTF-8) in an arena shared by the file's columns; pages are then slices of
// it. Min and max come with them: compared as JS strings while every value is ASCII (the same
// order as UTF-8 bytes there, and far cheaper), in UTF-8 byte order from the first that is not.
import type { ByteSink } from './byte-sink';
import { utf8Compare } from './values';

export interface PlainStrings {
  arena: ByteSink;
  /** Value k spans arena bytes [k ? ends[k - 1] : start, ends[k]). */
  start: number;
  ends: Int32Array;
}

export class PlainStringsBuilder {
  private readonly start: number;
  private ends: Int32Array;
  count = 0;
  min: string | undefined;
  max: string | undefined;
  /** Set by the first non-ASCII value: from then on bounds are compared byte-wise. */
  private utf8Order = false;

  constructor(private readonly arena: ByteSink, capacity: number) {
    this.start = arena.length;
    this.ends = new Int32Array(Math.max(capacity, 16));
  }

  add(v: string): void {
    if (!this.arena.lengthPrefixedUtf8(v)) {
      this.utf8Order = true;
      // A lone surrogate has no UTF-8 form: the file holds U+FFFD for it, so the bounds do too.
      if (!v.isWellFormed()) v = v.toWellFormed();
    }
    if (this.count === this.ends.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.arena.length;
    const min = this.min;
    if (min === undefined) {
      this.min = this.max = v;
    } else if (this.utf8Order) {
      if (utf8Compare(v, min) < 0) this.min = v;
      else if (utf8Compare(v, this.max!) > 0) this.max = v;
    } else if (v < min) this.min = v;
    else if (v > this.max!) this.max = v;
  }

  finish(): PlainStrings {
    return { arena: this.arena, start: this.start, ends: this.ends.subarray(0, this.count) };
  }
}

/** The bytes of values [from, to) as one PLAIN run (a view into the arena). */
export function plainBytes(s: PlainStrings, from: number, to: number): Uint8Array {
  const begin = from ? s.ends[from - 1]! : s.start;
  const end = to ? s.ends[to - 1]! : s.start;
  return s.arena.view().subarray(begin, end);
}
