// A Lake that counts what is read through it, for figure 7 (bench/aging.ts): files opened and
// bytes read per cycle, by area of the lake. Reads come two ways: readFile (the bytes pass
// through the lake), and localPath, by which gold, compaction and the Delta checkpoint reader
// hand a file's local path to DuckDB instead; each local path handed out counts as a file
// opened, its size as bytes read (an upper bound: DuckDB may read only some columns and row
// groups, and a view over the file may be scanned more than once).
import { statSync } from 'node:fs';
import { NotFoundError, type Lake } from '../src/pipeline/ports';

export interface Tally {
  files: number;
  bytes: number;
}

export interface ReadCounts {
  /** Files opened: readFile calls that found the file, and local paths handed out. */
  files: number;
  bytes: number;
  /** Of `files`, those handed out as local paths. */
  localPaths: number;
  /** Of `files` and `bytes`, those in a Delta log (_delta_log/: commits, checkpoints, _last_checkpoint). */
  log: Tally;
  /** readFile calls on absent files (a Delta reader probes the commit after the newest one). */
  misses: number;
  /** list, listEntries and scanEntries calls. */
  lists: number;
  /** `files` and `bytes` by area (areaOf). */
  byArea: Record<string, Tally>;
}

export function emptyReadCounts(): ReadCounts {
  return { files: 0, bytes: 0, localPaths: 0, log: { files: 0, bytes: 0 }, misses: 0, lists: 0, byArea: {} };
}

/**
 * The area of a lake path, for the breakdowns: Delta log checkpoints and other log files apart
 * from data, gold's work data (gold/_work/) apart from the gold tables, else the top folder.
 */
export function areaOf(p: string): string {
  if (p.includes('/_delta_log/')) return p.endsWith('.parquet') ? 'log checkpoints' : 'log commits';
  if (p.startsWith('gold/_work/')) return 'gold work';
  const top = p.split('/')[0]!;
  return ['bronze', 'silver', 'quarantine', 'gold'].includes(top) ? top : 'other';
}

/** Counts reads; `take` returns the counts since the last take and starts again from zero. */
export class ReadCounter {
  private counts = emptyReadCounts();

  read(p: string, bytes: number, viaLocalPath: boolean): void {
    const c = this.counts;
    c.files++;
    c.bytes += bytes;
    if (viaLocalPath) c.localPaths++;
    if (p.includes('/_delta_log/')) {
      c.log.files++;
      c.log.bytes += bytes;
    }
    const area = (c.byArea[areaOf(p)] ??= { files: 0, bytes: 0 });
    area.files++;
    area.bytes += bytes;
  }

  miss(): void {
    this.counts.misses++;
  }

  list(): void {
    this.counts.lists++;
  }

  take(): ReadCounts {
    const out = this.counts;
    this.counts = emptyReadCounts();
    return out;
  }
}

/** A file's size on this machine; 0 when it is absent (a path handed out for a file not there is no read). */
export function localFileSize(abs: string): number {
  return statSync(abs, { throwIfNoEntry: false })?.size ?? 0;
}

/** `inner` with every read counted in `counter`; writes, deletes and sweeps pass through. */
export function countingLake(inner: Lake, counter: ReadCounter, sizeOf: (localPath: string) => number = localFileSize): Lake {
  const lake: Lake = {
    writeFile: (p, data) => inner.writeFile(p, data),
    readFile: async (p) => {
      try {
        const data = await inner.readFile(p);
        counter.read(p, data.length, false);
        return data;
      } catch (e) {
        if (e instanceof NotFoundError) counter.miss();
        throw e;
      }
    },
    list: (prefix) => {
      counter.list();
      return inner.list(prefix);
    },
    deleteFile: (p) => inner.deleteFile(p),
    writeFileIfAbsent: (p, data) => inner.writeFileIfAbsent(p, data),
    sweepTemporary: (before) => inner.sweepTemporary(before),
  };
  if (inner.listEntries) {
    lake.listEntries = (prefix) => {
      counter.list();
      return inner.listEntries!(prefix);
    };
  }
  if (inner.scanEntries) {
    const scan = inner.scanEntries.bind(inner);
    lake.scanEntries = (prefix) => {
      counter.list();
      return scan(prefix);
    };
  }
  if (inner.localPath) {
    lake.localPath = (p) => {
      const abs = inner.localPath!(p);
      counter.read(p, sizeOf(abs), true);
      return abs;
    };
  }
  return lake;
}
