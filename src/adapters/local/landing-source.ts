// The local stand-in for Event Hubs: lines of landing files become events. Each line
// gets a partition (hash of its order_id, as a partition key would), a per-partition
// sequence number and byte offset, and an enqueued time. Chunks are handed out in file
// order; the checkpoint (bytes read per file, counters per partition) is saved only when
// the consumer commits a chunk, so a crash re-reads the same lines into the same positions.
import { promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { fnv1a } from '../../util/hash';
import type { SourceBatch, SourceEvent } from '../../pipeline/types';
import type { LocalDocuments } from './local-state';

export interface LandingCheckpoint {
  partitionCount: number;
  files: Record<string, number>;
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
}

const CHECKPOINT = 'landing-source';
const BLOCK = 8 << 20;
const ORDER_ID = /"order_id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

interface Line {
  file: string;
  end: number;
  body: string | undefined;
  base64?: string;
  bytes: number;
}

/** The files of an input: the file itself, or a folder's visible regular files in name order. */
export async function inputFiles(input: string): Promise<string[]> {
  let st;
  try {
    st = await fs.stat(input);
  } catch (e) {
    throw new Error(`cannot read input ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
  }
  if (st.isFile()) return [path.resolve(input)];
  if (!st.isDirectory()) throw new Error(`expected --input to be a file or a folder, got ${input}`);
  const entries = await fs.readdir(input, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .map((n) => path.resolve(input, n));
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

  async *chunks(): AsyncGenerator<LandingChunk> {
    const cp = await this.checkpoint();
    const chunkSize = this.opts.batchSize * this.opts.partitions;
    let pending: Line[] = [];
    for (const file of await inputFiles(this.opts.input)) {
      for await (const lines of this.readNew(file, cp.files[file] ?? 0)) {
        for (const l of lines) pending.push(l);
        while (pending.length >= chunkSize) yield this.chunk(cp, pending.splice(0, chunkSize));
      }
    }
    if (pending.length) yield this.chunk(cp, pending);
  }

  /** New complete lines of a file from a byte offset, in blocks. */
  private async *readNew(file: string, from: number): AsyncGenerator<Line[]> {
    const fh = await fs.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      if (size < from) {
        this.opts.warn?.(`${file} is shorter (${size} bytes) than the ${from} bytes already read: it was truncated or replaced; skipping it`);
        return;
      }
      let pos = from;
      let carry = Buffer.alloc(0);
      while (pos < size) {
        const want = Math.min(BLOCK, size - pos);
        const block = Buffer.allocUnsafe(want);
        const { bytesRead } = await fh.read(block, 0, want, pos);
        if (bytesRead === 0) break;
        const data = carry.length ? Buffer.concat([carry, block.subarray(0, bytesRead)]) : block.subarray(0, bytesRead);
        const base = pos - carry.length;
        pos += bytesRead;
        const lastNl = data.lastIndexOf(10);
        if (lastNl < 0) {
          carry = data;
          continue;
        }
        yield splitLines(file, data.subarray(0, lastNl + 1), base);
        carry = Buffer.from(data.subarray(lastNl + 1));
      }
      // A last line without a newline is complete in a file at rest; in follow mode it may be half-written.
      if (carry.length && !this.opts.follow) yield splitLines(file, carry, pos - carry.length, true);
    } finally {
      await fh.close();
    }
  }

  private chunk(cp: LandingCheckpoint, lines: Line[]): LandingChunk {
    const enqueued = (this.opts.now?.() ?? new Date()).toISOString();
    const perPartition = new Map<string, SourceEvent[]>();
    for (const l of lines) {
      cp.files[l.file] = l.end;
      if (l.bytes === 0) continue; // blank line: not an event
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

/** Splits a buffer of lines; a line that is not UTF-8 keeps its bytes as base64. */
function splitLines(file: string, data: Buffer, base: number, lastWithoutNewline = false): Line[] {
  const out: Line[] = [];
  const valid = isUtf8(data);
  // A UTF-8 byte order mark (editors on Windows write one) marks the file's encoding: it is not
  // part of the first body, which would otherwise not parse as JSON.
  let start = base === 0 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (start < data.length) {
    let nl = data.indexOf(10, start);
    if (nl < 0) {
      if (!lastWithoutNewline) break;
      nl = data.length;
    }
    let end = nl;
    if (end > start && data[end - 1] === 13) end--; // CRLF
    const bytes = end - start;
    const blank = isBlank(data, start, end);
    const line: Line = { file, end: base + Math.min(nl + 1, data.length), body: undefined, bytes: blank ? 0 : bytes };
    if (!blank) {
      if (valid || isUtf8(data.subarray(start, end))) line.body = data.toString('utf8', start, end);
      else line.base64 = data.toString('base64', start, end);
    }
    out.push(line);
    start = nl + 1;
  }
  return out;
}

function isBlank(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
