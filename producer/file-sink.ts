// Writes the stream as JSON lines, the landing-file format `orderlake run` reads.
import { createWriteStream } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FileSinkProgress {
  written: number;
}

/** Write events to a file (appending), buffering so that millions of lines stay fast. */
export async function writeEventsToFile(file: string, events: Iterable<string> | AsyncIterable<string>, onProgress?: (p: FileSinkProgress) => void, flushEvery = 5000): Promise<number> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const out = createWriteStream(file, { flags: 'a' });
  let written = 0;
  let buf: string[] = [];
  const flush = async () => {
    if (!buf.length) return;
    const text = buf.join('\n') + '\n';
    buf = [];
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  try {
    let lastFlush = Date.now();
    for await (const e of events) {
      buf.push(e);
      // Flush by count, and by time so that a slow (followed) stream reaches readers within 100 ms.
      if (++written % flushEvery === 0 || Date.now() - lastFlush >= 100) {
        await flush();
        lastFlush = Date.now();
        onProgress?.({ written });
      }
    }
    await flush();
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  onProgress?.({ written });
  return written;
}
