// An append-only log of lines. A crash can cut the last append short: readers skip that torn
// tail, and the writer cuts it off before its first append, so every line read back is one
// that was whole. Only the writer (one at a time, under the lake's lock) changes the file: a
// reader in another process cannot tell a torn tail from an append still being written, and
// cutting that would lose the commit (found by the concurrency hunt: `stats` beside `run`).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Bytes read at a time: a log is streamed, never held whole (a ledger log reaches hundreds of MB). */
const CHUNK_BYTES = 4 << 20;

export class AppendLog {
  private repaired = false;

  constructor(public readonly file: string, private readonly chunkBytes = CHUNK_BYTES) {}

  /** Calls `fn` with every whole line from byte `from` (a line start), in order, reading the file in chunks. */
  async forEachLine(fn: (line: string) => void, from = 0): Promise<number> {
    return this.forEachChunk(from, (data) => {
      for (const line of data.toString('utf8', 0, data.length - 1).split('\n')) fn(line);
    });
  }

  /**
   * The last whole line and the byte offset where it ends (where the whole lines end), read
   * from the end: opening a long log costs one chunk, not a scan.
   */
  async lastLine(): Promise<{ line: string | undefined; end: number }> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { line: undefined, end: 0 };
      throw e;
    }
    try {
      const { size } = await handle.stat();
      // Walk back to the last newline (the end of the last whole line), then to the one before it.
      let end = -1;
      let start = -1;
      let tail = Buffer.alloc(0);
      for (let pos = size; pos > 0 && start < 0;) {
        const n = Math.min(this.chunkBytes, pos);
        pos -= n;
        const chunk = Buffer.allocUnsafe(n);
        await handle.read(chunk, 0, n, pos);
        tail = Buffer.concat([chunk, tail]);
        const rel = pos;
        if (end < 0) {
          const nl = tail.lastIndexOf(10);
          if (nl >= 0) end = rel + nl + 1;
        }
        if (end >= 0) {
          const prev = end - rel - 2 >= 0 ? tail.lastIndexOf(10, end - rel - 2) : -1;
          if (prev >= 0) start = rel + prev + 1;
          else if (pos === 0) start = 0;
        }
      }
      if (end < 0) end = 0;
      if (end === 0) return { line: undefined, end: 0 };
      const buf = Buffer.allocUnsafe(end - 1 - start);
      await handle.read(buf, 0, buf.length, start);
      return { line: buf.toString('utf8'), end };
    } finally {
      await handle.close();
    }
  }

  /** The byte offset of every whole line from byte `from`, and where the whole lines end; no decoding. */
  async lineStarts(from = 0): Promise<{ starts: number[]; end: number }> {
    const starts: number[] = [];
    const end = await this.forEachChunk(from, (data, base) => {
      for (let i = 0; i < data.length; i = data.indexOf(10, i) + 1) starts.push(base + i);
    });
    return { starts, end };
  }

  /**
   * Up to `max` whole lines from byte `from` (a line start), the offset after the last of them,
   * and whether a whole line follows it. Reads only as far as it needs.
   */
  async readLinesFrom(from: number, max: number): Promise<{ lines: string[]; end: number; more: boolean }> {
    const lines: string[] = [];
    let end = from;
    let more = false;
    await this.forEachChunk(from, (data, base) => {
      for (let i = 0; i < data.length;) {
        if (lines.length >= max) {
          more = true;
          return false;
        }
        const nl = data.indexOf(10, i);
        lines.push(data.toString('utf8', i, nl));
        i = nl + 1;
        end = base + i;
      }
      return true;
    });
    return { lines, end, more };
  }

  /**
   * Calls `fn` with chunks of whole lines (each ends with a newline) and the byte offset of
   * each chunk's start; returns the offset after the last whole line (a torn tail after it is
   * left as it is). `fn` returning false stops the reading there.
   */
  private async forEachChunk(from: number, fn: (data: Buffer, base: number) => boolean | void): Promise<number> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return from;
      throw e;
    }
    let whole = from; // bytes up to and including the last newline seen
    try {
      let carry = Buffer.alloc(0);
      const chunk = Buffer.allocUnsafe(this.chunkBytes);
      let pos = from;
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, pos);
        if (!bytesRead) break;
        pos += bytesRead;
        const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        const end = data.lastIndexOf(10) + 1;
        if (end) {
          if (fn(data.subarray(0, end), whole) === false) return whole;
          whole += end;
        }
        carry = Buffer.from(data.subarray(end));
      }
    } finally {
      await handle.close();
    }
    return whole;
  }

  /** All whole lines. */
  async readLines(): Promise<string[]> {
    const lines: string[] = [];
    await this.forEachLine((l) => lines.push(l));
    return lines;
  }

  /** For the one writer only: cuts a torn tail (a crashed append) and returns where the whole lines end. */
  async repair(): Promise<number> {
    const { end } = await this.lastLine();
    const size = await fs.stat(this.file).then((s) => s.size, () => 0);
    if (end < size) await fs.truncate(this.file, end);
    this.repaired = true;
    return end;
  }

  /** Appends whole lines; returns the byte offset where they start. The caller is the one writer: a torn tail is cut first. */
  async append(lines: readonly string[]): Promise<number> {
    if (!this.repaired) await this.repair();
    let start = 0;
    try {
      start = (await fs.stat(this.file)).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (!lines.length) return start;
    const text = lines.join('\n') + '\n';
    try {
      try {
        await fs.appendFile(this.file, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await fs.appendFile(this.file, text);
      }
    } catch (e) {
      this.repaired = false; // a write that failed part-way left a torn tail: cut it before the next append
      throw e;
    }
    return start;
  }
}
