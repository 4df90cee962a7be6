// Thrift's compact protocol, writing only: what Parquet's page headers and footer need
// (structs, i32, i64, binary, bool, lists of structs, strings and i32).
// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
import type { ByteSink } from './byte-sink';

const T_TRUE = 1;
const T_FALSE = 2;
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

export type ListElement = 'i32' | 'binary' | 'struct';
const LIST_TYPE: Record<ListElement, number> = { i32: T_I32, binary: T_BINARY, struct: T_STRUCT };

export class CompactWriter {
  /** The last field id of each open struct (field ids are written as deltas). */
  private readonly lastIds: number[] = [0];

  constructor(readonly out: ByteSink) {}

  private fieldHeader(id: number, type: number): void {
    const last = this.lastIds[this.lastIds.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | type);
    else {
      this.out.u8(type);
      this.out.varint(zigzag(id));
    }
    this.lastIds[this.lastIds.length - 1] = id;
  }

  i32(id: number, v: number): void {
    this.fieldHeader(id, T_I32);
    this.out.varint(zigzag(v));
  }

  i64(id: number, v: number): void {
    this.fieldHeader(id, T_I64);
    this.out.varint(zigzag(v));
  }

  bool(id: number, v: boolean): void {
    this.fieldHeader(id, v ? T_TRUE : T_FALSE);
  }

  binary(id: number, b: Uint8Array): void {
    this.fieldHeader(id, T_BINARY);
    this.out.varint(b.length);
    this.out.bytes(b);
  }

  string(id: number, s: string): void {
    this.binary(id, Buffer.from(s, 'utf8'));
  }

  /** Opens a struct-typed field; close it with `end()`. */
  struct(id: number): void {
    this.fieldHeader(id, T_STRUCT);
    this.lastIds.push(0);
  }

  /** Opens a list-typed field of `size` elements; write them with the element methods below. */
  list(id: number, element: ListElement, size: number): void {
    this.fieldHeader(id, T_LIST);
    const type = LIST_TYPE[element];
    if (size < 15) this.out.u8((size << 4) | type);
    else {
      this.out.u8(0xf0 | type);
      this.out.varint(size);
    }
  }

  /** A struct element of a list; close it with `end()`. */
  listStruct(): void {
    this.lastIds.push(0);
  }

  listI32(v: number): void {
    this.out.varint(zigzag(v));
  }

  listString(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.out.varint(b.length);
    this.out.bytes(b);
  }

  /** Closes the innermost open struct (the top-level struct too). */
  end(): void {
    this.out.u8(0);
    this.lastIds.pop();
    if (!this.lastIds.length) this.lastIds.push(0);
  }
}

function zigzag(v: number): number {
  if (!Number.isSafeInteger(v) || Math.abs(v) > 2 ** 51) throw new Error(`thrift: expected an integer within ±2^51, got ${v}`);
  return v >= 0 ? v * 2 : -v * 2 - 1;
}
