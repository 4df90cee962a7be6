// Writes the stream as JSON lines, the landing-file format `orderlake run` reads.
import { createWriteStream } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FileSinkProgress {
  written: number;
}

/** Write events to a file (appending), buffering so that millions of lines stay fast. */
export async function writeEventsToFile(file: string, events: Iterable<string>, onProgress?: (p: FileSinkProgress) => void): Promise<number> {
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
    for (const e of events) {
      buf.push(e);
      if (++written % 5000 === 0) {
        await flush();
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
