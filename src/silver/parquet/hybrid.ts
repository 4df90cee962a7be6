// Parquet's RLE / bit-packing hybrid encoding, for definition and repetition levels and for
// dictionary indices. Repeats of 8 or more become one RLE run (a column without nulls is one
// run: 2-3 bytes); the rest is bit-packed in groups of 8.
// Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/#RLE
import type { ByteSink } from './byte-sink';

/** Bits needed for values 0..max (at least 1: some readers refuse width 0). */
export function bitWidth(max: number): number {
  let w = 1;
  while (max >= 2 ** w) w++;
  return w;
}

/** Appends `values[start..end)` hybrid-encoded with `width` bits (1..24), without a length prefix. */
export function writeHybrid(out: ByteSink, values: ArrayLike<number>, start: number, end: number, width: number): void {
  if (width < 1 || width > 24) throw new Error(`hybrid encoding: expected a bit width in 1..24, got ${width}`);
  const valueBytes = (width + 7) >> 3;
  let i = start;
  while (i < end) {
    const run = runLength(values, i, end, Infinity);
    if (run >= 8) {
      out.varint(run * 2);
      let v = values[i]!;
      for (let b = 0; b < valueBytes; b++, v >>>= 8) out.u8(v & 0xff);
      i += run;
      continue;
    }
    // Bit-packed groups of 8, until a group would start a run of 8 (or the values end; the
    // last group is padded with zeros, which readers ignore past the value count).
    let groupEnd = i;
    let groups = 0;
    do {
      groups++;
      groupEnd += 8;
    } while (groupEnd < end && runLength(values, groupEnd, end, 8) < 8);
    out.varint(groups * 2 + 1);
    out.ensure(groups * width);
    let acc = 0;
    let bits = 0;
    for (let k = i; k < i + groups * 8; k++) {
      acc |= (k < end ? values[k]! : 0) << bits;
      bits += width;
      while (bits >= 8) {
        out.u8(acc & 0xff);
        acc >>>= 8;
        bits -= 8;
      }
    }
    i = Math.min(groupEnd, end);
  }
}

function runLength(values: ArrayLike<number>, at: number, end: number, cap: number): number {
  const v = values[at];
  let j = at + 1;
  while (j < end && j - at < cap && values[j] === v) j++;
  return j - at;
}
