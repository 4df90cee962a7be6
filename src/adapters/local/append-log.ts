// An append-only log of lines. A crash can cut the last append short; that torn tail
// is cut off when the log is opened, so every line read back is one that was whole.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export class AppendLog {
  private repaired = false;

  constructor(public readonly file: string) {}

  /** All whole lines. Repairs a torn tail first. */
  async readLines(): Promise<string[]> {
    let buf: Buffer;
    try {
      buf = await fs.readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const end = buf.lastIndexOf(10) + 1;
    if (end < buf.length) await fs.truncate(this.file, end);
    this.repaired = true;
    if (end === 0) return [];
    return buf.toString('utf8', 0, end - 1).split('\n');
  }

  async append(lines: readonly string[]): Promise<void> {
    if (!lines.length) return;
    if (!this.repaired) await this.readLines();
    const text = lines.join('\n') + '\n';
    try {
      await fs.appendFile(this.file, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.appendFile(this.file, text);
    }
  }
}
