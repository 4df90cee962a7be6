// A file's text appended straight into UTF-8 bytes. Concatenating a file's lines into one
// string and then encoding it costs a rope flatten and a second copy: about 3x the time of
// writing each piece into a growing buffer (docs/performance-notes.md).

/** Appends strings as UTF-8; `bytes()` is the text so far, without a copy. */
export class Utf8Writer {
  private buf: Buffer;
  private size = 0;

  constructor(initialBytes = 16 << 10) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  write(s: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = this.size + s.length * 3;
    if (worst > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(worst, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.size);
      this.buf = grown;
    }
    this.size += this.buf.write(s, this.size, 'utf8');
  }

  get length(): number {
    return this.size;
  }

  /** The bytes written so far (a view: later writes may reuse the space beyond it, never change it). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.size);
  }
}
