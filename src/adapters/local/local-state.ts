// Pipeline state on local disk, under <lake>/_state: the dedup ledger and the commit
// log as append-only logs, checkpoints and queue messages as small whole files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AppendLog } from './append-log';
import { UuidOwnerIndex } from './uuid-owner-index';
import { mergeRanges, type Range } from '../../pipeline/ranges';
import type { BatchCommit, BronzeMessage, CommitLog, DedupLedger, DocumentStore } from '../../pipeline/ports';

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

export class LocalLedger implements DedupLedger {
  private owners: UuidOwnerIndex | undefined;
  private readonly log: AppendLog;

  constructor(dir: string) {
    this.log = new AppendLog(path.join(dir, 'ledger.log'));
  }

  private async load(): Promise<UuidOwnerIndex> {
    if (this.owners) return this.owners;
    const owners = new UuidOwnerIndex();
    await this.log.forEachLine((line) => {
      const tab = line.indexOf('\t');
      if (tab < 0) return;
      const id = line.slice(0, tab);
      const owner = line.slice(tab + 1);
      // '-' marks a release (replay no longer accepts the event at that position).
      if (owner.startsWith('-')) {
        if (owners.get(id) === owner.slice(1)) owners.delete(id);
      } else if (owners.get(id) === undefined) owners.set(id, owner);
    });
    return (this.owners = owners);
  }

  async claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>> {
    const owners = await this.load();
    const result = new Map<string, string>();
    const fresh: string[] = [];
    for (const { eventId, position } of claims) {
      let owner = owners.get(eventId);
      if (owner === undefined) {
        owner = position;
        owners.set(eventId, position);
        fresh.push(`${eventId}\t${position}`);
      }
      result.set(eventId, owner);
    }
    await this.log.append(fresh);
    return result;
  }

  async release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void> {
    const owners = await this.load();
    const lines: string[] = [];
    for (const { eventId, position } of claims) {
      if (owners.get(eventId) === position) {
        owners.delete(eventId);
        lines.push(`${eventId}\t-${position}`);
      }
    }
    await this.log.append(lines);
  }
}

/** What the silver path needs of a commit: a batch's partition and sequence ranges. */
interface CommitPositions {
  partition: string;
  sequences: Array<[number, number]>;
}

/**
 * The commit log. Memory holds only each batch's positions (what dedup and redelivery need)
 * and where each line starts: whole commits (file lists, data-quality rows) are read back from
 * the log when asked for. Holding them cost about 70 MB of heap at 10M events, and V8 lets
 * garbage grow in proportion to the live heap (figure 4 of docs/benchmarks.md). Gold, which
 * only reads commits, never parses the log for positions: it finds line starts by bytes.
 */
export class LocalCommitLog implements CommitLog {
  private positions: Map<string, CommitPositions> | undefined;
  private ranges = new Map<string, Range[]>();
  /** Byte offset of every commit line, in log order (a cursor is an index into it), and the log's size. */
  private index: { offsets: number[]; bytes: number } | undefined;
  private readonly log: AppendLog;

  constructor(dir: string) {
    this.log = new AppendLog(path.join(dir, 'commits.log'));
  }

  /** Every batch's positions (the silver path): one parse of the log, which also gives the line index. */
  private async load(): Promise<Map<string, CommitPositions>> {
    if (this.positions) return this.positions;
    const positions = new Map<string, CommitPositions>();
    const offsets: number[] = [];
    let bytes = 0;
    await this.log.forEachLine((line) => {
      const c = JSON.parse(line) as BatchCommit;
      offsets.push(bytes);
      bytes += Buffer.byteLength(line) + 1;
      positions.delete(c.batchId); // a re-commit (replay) moves to the end, in commit order
      positions.set(c.batchId, { partition: c.partition, sequences: c.sequences });
    });
    this.index = { offsets, bytes };
    this.positions = positions;
    this.rebuildRanges();
    return positions;
  }

  /** Where each commit line starts, found by bytes without parsing (readers: gold, stats). */
  private async lineIndex(): Promise<{ offsets: number[]; bytes: number }> {
    if (!this.index) {
      const { starts, end } = await this.log.lineStarts();
      this.index = { offsets: starts, bytes: end };
    }
    return this.index;
  }

  private rebuildRanges(): void {
    const per = new Map<string, Range[]>();
    for (const c of this.positions!.values()) {
      const list = per.get(c.partition) ?? [];
      list.push(...c.sequences);
      per.set(c.partition, list);
    }
    this.ranges = new Map([...per].map(([p, list]) => [p, mergeRanges(list)]));
  }

  async committedRanges(partition: string): Promise<Array<[number, number]>> {
    await this.load();
    return this.ranges.get(partition) ?? [];
  }

  async commit(c: BatchCommit): Promise<void> {
    const positions = await this.load();
    const index = await this.lineIndex();
    const line = JSON.stringify(c);
    await this.log.append([line]);
    index.offsets.push(index.bytes);
    index.bytes += Buffer.byteLength(line) + 1;
    const replaced = positions.has(c.batchId);
    positions.delete(c.batchId);
    positions.set(c.batchId, { partition: c.partition, sequences: c.sequences });
    if (replaced) this.rebuildRanges();
    else this.ranges.set(c.partition, mergeRanges([...(this.ranges.get(c.partition) ?? []), ...c.sequences]));
  }

  /** Commit lines from byte `from`, parsed. */
  private async read(from: number): Promise<BatchCommit[]> {
    const out: BatchCommit[] = [];
    await this.log.forEachLine((line) => out.push(JSON.parse(line) as BatchCommit), from);
    return out;
  }

  async all(): Promise<BatchCommit[]> {
    const byId = new Map<string, BatchCommit>();
    for (const c of await this.read(0)) {
      byId.delete(c.batchId);
      byId.set(c.batchId, c);
    }
    return [...byId.values()];
  }

  /** The cursor is the number of commit lines read: the log only grows. */
  async since(cursor: string | undefined): Promise<{ commits: BatchCommit[]; cursor: string }> {
    const { offsets } = await this.lineIndex();
    const count = offsets.length;
    const from = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(from) || from < 0 || from > count) {
      throw new Error(`expected a commit cursor in 0..${count}, got ${JSON.stringify(cursor)}`);
    }
    const commits = from < count ? await this.read(offsets[from]!) : [];
    // Lines another writer appended since the index was built are not this cursor's yet.
    return { commits: commits.slice(0, count - from), cursor: String(count) };
  }
}

/** Named JSON documents (checkpoints, gold state): one small file each, replaced atomically. */
export class LocalDocuments implements DocumentStore {
  constructor(private readonly dir: string) {}

  async get<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await fs.readFile(path.join(this.dir, `${name}.json`), 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async put(name: string, value: unknown): Promise<void> {
    await writeAtomic(path.join(this.dir, `${name}.json`), JSON.stringify(value));
  }
}

/** Bronze batches waiting for silver, and batches a `fail` rule stopped (the local poison queue). */
export class LocalQueue {
  constructor(private readonly dir: string) {}

  async send(m: BronzeMessage): Promise<void> {
    await writeAtomic(path.join(this.dir, `${m.batchId}.json`), JSON.stringify(m));
  }

  async pending(): Promise<BronzeMessage[]> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: BronzeMessage[] = [];
    for (const n of names) out.push(JSON.parse(await fs.readFile(path.join(this.dir, n), 'utf8')) as BronzeMessage);
    return out;
  }

  async complete(m: BronzeMessage): Promise<void> {
    await fs.rm(path.join(this.dir, `${m.batchId}.json`), { force: true });
  }
}

/** One writer per lake: a lock file holding the owner's pid; a dead owner's lock is taken over. */
export class LocalLock {
  constructor(private readonly file: string) {}

  async acquire(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.writeFile(this.file, String(process.pid), { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(await fs.readFile(this.file, 'utf8').catch(() => ''));
        if (pid && pid !== process.pid && isAlive(pid)) {
          throw new Error(`the lake is in use by process ${pid} (lock ${this.file}); wait for it to finish, or remove the lock if that process is gone`);
        }
        await fs.rm(this.file, { force: true });
      }
    }
    throw new Error(`could not take the lock ${this.file}`);
  }

  async release(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Everything local state holds, under one folder. */
export class LocalState {
  readonly ledger: LocalLedger;
  readonly commits: LocalCommitLog;
  readonly documents: LocalDocuments;
  readonly queue: LocalQueue;
  readonly failed: LocalQueue;
  readonly lock: LocalLock;
  /** Gold's scratch folder (DuckDB files, outputs before upload): on the lake's disk, not in a RAM-backed /tmp. */
  readonly goldScratch: string;

  constructor(public readonly dir: string) {
    this.ledger = new LocalLedger(dir);
    this.commits = new LocalCommitLog(dir);
    this.documents = new LocalDocuments(path.join(dir, 'documents'));
    this.queue = new LocalQueue(path.join(dir, 'queue'));
    this.failed = new LocalQueue(path.join(dir, 'failed'));
    this.lock = new LocalLock(path.join(dir, 'lock'));
    this.goldScratch = path.join(dir, 'gold-scratch');
  }
}
