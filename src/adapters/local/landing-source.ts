// The local stand-in for Event Hubs: lines of landing files become events. Each line
// gets a partition (hash of its order_id, as a partition key would), a per-partition
// sequence number and byte offset, and an enqueued time. Chunks are handed out in file
// order; the checkpoint (bytes read per file, counters per partition) is saved only when
// the consumer commits a chunk, so a crash re-reads the same lines into the same positions.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fnv1a, fnv1aBytes } from '../../util/hash';
import type { SourceBatch, SourceEvent } from '../../pipeline/types';
import type { LocalDocuments } from './local-state';
import { landingLines, MAX_LINE_BYTES } from './landing-lines';
import { escapeControls } from '../../util/show';

export interface LandingCheckpoint {
  partitionCount: number;
  /** Bytes read per file. */
  files: Record<string, number>;
  /** Per file, a hash of its first bytes as read (up to HEAD_BYTES): a file replaced since no longer matches. */
  heads?: Record<string, { bytes: number; hash: number }>;
  partitions: Record<string, { nextSeq: number; nextOffset: number }>;
}

export interface LandingChunk {
  batches: SourceBatch[];
  events: number;
  /** Persist the checkpoint up to the end of this chunk. */
  commit(): Promise<void>;
}

export interface LandingOptions {
  input: string;
  partitions: number;
  batchSize: number;
  /** Follow mode: a last line without its newline may still be being written, so wait for it. */
  follow?: boolean;
  now?: () => Date;
  warn?: (message: string) => void;
  /** Longer lines go on cut to this many bytes (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
}

const CHECKPOINT = 'landing-source';
const BLOCK = 8 << 20;
const HEAD_BYTES = 4096;
const ORDER_ID = /"order_id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

interface Line {
  file: string;
  end: number;
  body: string | undefined;
  base64?: string;
  bytes: number;
  blank: boolean;
}

/**
 * The files of an input: the file itself, or a folder's visible files (links to files
 * included) in name order. Subfolders are not read; `warn` names them, so nothing is left out
 * unsaid.
 */
export async function inputFiles(input: string, warn?: (message: string) => void): Promise<string[]> {
  let st;
  try {
    st = await fs.stat(input);
  } catch (e) {
    throw new Error(`cannot read input ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
  }
  if (st.isFile()) return [path.resolve(input)];
  if (!st.isDirectory()) throw new Error(`expected --input to be a file or a folder, got ${input}`);
  const files: string[] = [];
  const folders: string[] = [];
  const broken: string[] = [];
  for (const e of await fs.readdir(input, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const kind = e.isSymbolicLink() ? await fs.stat(path.join(input, e.name)).catch(() => undefined) : e;
    if (kind?.isFile()) files.push(e.name);
    else if (kind?.isDirectory()) folders.push(e.name);
    else if (!kind) broken.push(e.name);
  }
  const names = (list: string[]) => escapeControls(list.sort().join(', '));
  if (folders.length) warn?.(`${escapeControls(input)}: not reading its subfolder(s) ${names(folders)}: --input takes the files directly in a folder`);
  if (broken.length) warn?.(`${escapeControls(input)}: not reading link(s) ${names(broken)}: their target cannot be read`);
  return files.sort().map((n) => path.resolve(input, n));
}

export class LandingFileSource {
  constructor(
    private readonly opts: LandingOptions,
    private readonly docs: LocalDocuments,
  ) {
    if (!Number.isInteger(opts.partitions) || opts.partitions < 1 || opts.partitions > 1024) {
      throw new Error(`expected partitions to be an integer in 1..1024, got ${opts.partitions}`);
    }
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new Error(`expected batch size to be a positive integer, got ${opts.batchSize}`);
  }

  private async checkpoint(): Promise<LandingCheckpoint> {
    const cp = await this.docs.get<LandingCheckpoint>(CHECKPOINT);
    if (!cp) return { partitionCount: this.opts.partitions, files: {}, partitions: {} };
    if (cp.partitionCount !== this.opts.partitions) {
      throw new Error(`this lake's landing source uses ${cp.partitionCount} partitions, got --partitions ${this.opts.partitions}; use ${cp.partitionCount} or a new lake`);
    }
    return cp;
  }

  /** Set when a file was found replaced or truncated (its checkpoint entry went back to 0). */
  private reset = false;

  /** The first bytes of each file read, for the checkpoint's heads. */
  private readonly heads = new Map<string, Buffer>();

  async *chunks(): AsyncGenerator<LandingChunk> {
    const cp = await this.checkpoint();
    const chunkSize = this.opts.batchSize * this.opts.partitions;
    let pending: Line[] = [];
    for (const file of await inputFiles(this.opts.input, this.opts.warn)) {
      for await (const lines of this.readNew(file, cp)) {
        for (const l of lines) pending.push(l);
        while (pending.length >= chunkSize) yield this.chunk(cp, pending.splice(0, chunkSize));
      }
    }
    // A file read again from its start that gave no line yet: its reset is kept all the same.
    if (pending.length || this.reset) yield this.chunk(cp, pending);
  }

  /**
   * New complete lines of a file from a byte offset, in blocks. A file that is shorter than
   * what was read, or whose first bytes changed, was replaced or truncated: it is read again
   * from its start (events already taken count as duplicates by their event_id).
   */
  private async *readNew(file: string, cp: LandingCheckpoint): AsyncGenerator<Line[]> {
    const fh = await fs.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      await fh.read(head, 0, head.length, 0);
      this.heads.set(file, head);
      let from = cp.files[file] ?? 0;
      const was = cp.heads?.[file];
      const why = size < from ? `is shorter (${size} bytes) than the ${from} bytes already read` : was && (head.length < was.bytes || fnv1aBytes(head.subarray(0, was.bytes)) !== was.hash) ? 'starts with other bytes than when it was read' : undefined;
      if (why) {
        this.opts.warn?.(`${escapeControls(file)} ${why}: it was replaced or truncated, so it is read again from its start (events already taken count as duplicates)`);
        from = 0;
        cp.files[file] = 0;
        delete cp.heads?.[file];
        this.reset = true;
      }
      async function* blocks(): AsyncGenerator<Buffer> {
        for (let pos = from; pos < size; ) {
          const want = Math.min(BLOCK, size - pos);
          const block = Buffer.allocUnsafe(want);
          const { bytesRead } = await fh.read(block, 0, want, pos);
          if (bytesRead === 0) return;
          pos += bytesRead;
          yield block.subarray(0, bytesRead);
        }
      }
      // A last line without a newline is complete in a file at rest; in follow mode it may be half-written.
      const max = this.opts.maxLineBytes ?? MAX_LINE_BYTES;
      for await (const block of landingLines(blocks(), { from, last: !this.opts.follow, maxLineBytes: max })) {
        for (const l of block.lines) if (l.cut) this.opts.warn?.(`${escapeControls(file)}: the line at byte ${l.offset} is ${l.bytes} bytes, over the ${max} an event may hold: its first ${max} bytes go on as the event, which silver quarantines`);
        yield block.lines.map((l) => ({ file, end: l.end, body: l.body, bytes: l.bytes, blank: l.blank, ...(l.base64 !== undefined ? { base64: l.base64 } : {}) }));
      }
    } finally {
      await fh.close();
    }
  }

  private chunk(cp: LandingCheckpoint, lines: Line[]): LandingChunk {
    const enqueued = (this.opts.now?.() ?? new Date()).toISOString();
    const perPartition = new Map<string, SourceEvent[]>();
    for (const l of lines) {
      cp.files[l.file] = l.end;
      if (l.blank) continue; // not an event
      const m = l.body === undefined ? null : ORDER_ID.exec(l.body);
      const key = m ? (m[1] as string).trim() : (l.body ?? l.base64 ?? '');
      const partition = String(fnv1a(key) % this.opts.partitions);
      const counters = (cp.partitions[partition] ??= { nextSeq: 0, nextOffset: 0 });
      const ev: SourceEvent = {
        partition,
        offset: String(counters.nextOffset),
        sequenceNumber: counters.nextSeq,
        enqueuedTime: enqueued,
        body: l.body,
      };
      if (l.base64 !== undefined) ev.bodyBase64 = l.base64;
      counters.nextSeq++;
      counters.nextOffset += l.bytes;
      let list = perPartition.get(partition);
      if (!list) perPartition.set(partition, (list = []));
      list.push(ev);
    }
    for (const file of new Set(lines.map((l) => l.file))) {
      const head = this.heads.get(file)!.subarray(0, Math.min(cp.files[file]!, HEAD_BYTES));
      (cp.heads ??= {})[file] = { bytes: head.length, hash: fnv1aBytes(head) };
    }
    this.reset = false;
    const snapshot = JSON.stringify(cp);
    const batches: SourceBatch[] = [];
    for (const [partition, events] of [...perPartition].sort((a, b) => Number(a[0]) - Number(b[0]))) {
      for (let i = 0; i < events.length; i += this.opts.batchSize) batches.push({ partition, events: events.slice(i, i + this.opts.batchSize) });
    }
    return {
      batches,
      events: batches.reduce((n, b) => n + b.events.length, 0),
      commit: () => this.docs.put(CHECKPOINT, JSON.parse(snapshot)),
    };
  }
}
