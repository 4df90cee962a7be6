// A growable little-endian byte buffer: the one place where Parquet pages, Thrift headers and
// the file are assembled. Strings go straight into it as UTF-8 (no intermediate copies).

export class ByteSink {
  private buf: Buffer;
  length = 0;

  constructor(initialBytes = 64 << 10) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for `more` bytes after the current end. */
  ensure(more: number): void {
    const need = this.length + more;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }

  /** A signed 64-bit integer given as a safe JS integer (|v| < 2^53). */
  i64(v: number): void {
    this.ensure(8);
    const b = this.buf;
    const at = this.length;
    const lo = v >>> 0; // ToUint32 is v mod 2^32, also for negative v
    const hi = Math.floor(v / 0x1_0000_0000) | 0;
    b[at] = lo;
    b[at + 1] = lo >>> 8;
    b[at + 2] = lo >>> 16;
    b[at + 3] = lo >>> 24;
    b[at + 4] = hi;
    b[at + 5] = hi >>> 8;
    b[at + 6] = hi >>> 16;
    b[at + 7] = hi >>> 24;
    this.length = at + 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }

  /** Unsigned LEB128, as Thrift's compact protocol and the RLE hybrid use (v < 2^53). */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The UTF-8 bytes of `s`, without a length; returns how many bytes it took. */
  utf8(s: string): number {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.length, 'utf8');
    this.length += n;
    return n;
  }

  /** Parquet PLAIN BYTE_ARRAY: a 4-byte length, then the UTF-8 bytes. True when `s` is all ASCII. */
  lengthPrefixedUtf8(s: string): boolean {
    const n = s.length;
    this.ensure(4 + n * 3);
    const b = this.buf;
    const at = this.length;
    // Short ASCII text (ids, codes, names) is copied in a loop: a native call costs more.
    let i = 0;
    if (n <= 64) for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[at + 4 + i] = c;
    }
    // Each UTF-16 unit of 0x80 or more takes 2 or more bytes: n bytes means all ASCII.
    const bytes = i === n ? n : b.write(s, at + 4, 'utf8');
    b[at] = bytes;
    b[at + 1] = bytes >>> 8;
    b[at + 2] = bytes >>> 16;
    b[at + 3] = bytes >>> 24;
    this.length = at + 4 + bytes;
    return bytes === n;
  }

  /** Sets bits in the last byte written. */
  orLastByte(mask: number): void {
    this.buf[this.length - 1]! |= mask;
  }

  /** Overwrites 4 bytes already written (a length known only afterwards). */
  patchI32(at: number, v: number): void {
    this.buf.writeInt32LE(v, at);
  }

  /** The bytes so far, as a view (valid until the next reset). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Empties the sink (views taken before are overwritten by later writes). */
  reset(): void {
    this.length = 0;
  }

  /** Empties the sink and, when its buffer grew past `keepBytes`, lets that buffer go. */
  release(keepBytes: number): void {
    this.length = 0;
    if (this.buf.length > keepBytes) this.buf = Buffer.allocUnsafe(64 << 10);
  }
}
