// Pipeline state on local disk, under <lake>/_state: the dedup ledger in a LevelDB store
// (local-ledger.ts), the commit log as an append-only log, checkpoints and queue messages as
// small whole files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AppendLog } from './append-log';
import { LocalLedger } from './local-ledger';
import { advanceHead, emptyHead } from '../../pipeline/heads';
import type { BatchCommit, BronzeMessage, CommitLog, CommitsSince, DocumentStore, PartitionHead } from '../../pipeline/ports';

export { LocalLedger };

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

/** A line of the local commit log: the commit, its number, and every partition's head after it. */
interface CommitLine extends BatchCommit {
  /** Partition heads after this commit: opening the log reads only its last line. */
  heads?: Record<string, PartitionHead>;
}

/** A commit as the log holds it, without the heads (they are the log's, not the commit's). */
function parseCommitLine(text: string): BatchCommit {
  const { heads: _heads, ...commit } = JSON.parse(text) as CommitLine;
  return commit;
}

/**
 * The commit log: one JSON line per commit, appended under the lake's lock (one writer). Each
 * line carries every partition's head after it, so opening the log reads its last line, not
 * the whole history; `since` resumes at a byte offset. Logs written before heads existed are
 * read whole once, and their next commit writes the heads.
 */
export class LocalCommitLog implements CommitLog {
  private heads_: Map<string, PartitionHead> | undefined;
  private readonly log: AppendLog;

  constructor(dir: string) {
    this.log = new AppendLog(path.join(dir, 'commits.log'));
  }

  private async load(): Promise<Map<string, PartitionHead>> {
    if (this.heads_) return this.heads_;
    const { line } = await this.log.lastLine();
    const last = line === undefined ? undefined : (JSON.parse(line) as CommitLine);
    if (!last || last.heads) {
      this.heads_ = new Map(Object.entries(last?.heads ?? {}));
      return this.heads_;
    }
    // A log from before heads: replay its live commits (a re-commit of a batch replaced the earlier one).
    const heads = new Map<string, PartitionHead>();
    for (const c of await this.all()) heads.set(c.partition, advanceHead(heads.get(c.partition) ?? emptyHead(c.partition), { ...c, replaces: undefined }));
    this.heads_ = heads;
    return heads;
  }

  async head(partition: string): Promise<PartitionHead> {
    return (await this.load()).get(partition) ?? emptyHead(partition);
  }

  async heads(): Promise<PartitionHead[]> {
    return [...(await this.load()).values()].sort((a, b) => a.partition.localeCompare(b.partition, 'en', { numeric: true }));
  }

  async commit(c: BatchCommit, head: PartitionHead): Promise<boolean> {
    const heads = await this.load();
    const current = heads.get(c.partition) ?? emptyHead(c.partition);
    if (current.seq !== head.seq) return false;
    const next = advanceHead(current, c);
    const all = new Map(heads).set(c.partition, next);
    const line: CommitLine = { ...c, seq: next.seq, heads: Object.fromEntries(all) };
    await this.log.append([JSON.stringify(line)]);
    heads.set(c.partition, next);
    return true;
  }

  /** Every line from byte `from`, parsed (heads left out: they are the log's, not the commit's). */
  private async read(from: number): Promise<{ commits: BatchCommit[]; end: number }> {
    const commits: BatchCommit[] = [];
    const end = await this.log.forEachLine((text) => commits.push(parseCommitLine(text)), from);
    return { commits, end };
  }

  async all(): Promise<BatchCommit[]> {
    const byId = new Map<string, BatchCommit>();
    for (const c of (await this.read(0)).commits) {
      byId.delete(c.batchId); // a re-commit (replay) moves to the end, in commit order
      byId.set(c.batchId, c);
    }
    return [...byId.values()];
  }

  /**
   * The cursor is `b<byte offset>`: the log only grows, so an offset is exact and resuming
   * costs what was added. A plain number is a cursor of older versions (a line count).
   */
  async since(cursor: string | undefined, limit?: number): Promise<CommitsSince> {
    let from = 0;
    if (cursor !== undefined) {
      const bytes = /^b(\d+)$/.exec(cursor);
      if (bytes) from = Number(bytes[1]);
      else if (/^\d+$/.test(cursor)) {
        const { starts, end } = await this.log.lineStarts();
        const n = Number(cursor);
        if (n > starts.length) throw new Error(`expected a commit cursor in 0..${starts.length}, got ${JSON.stringify(cursor)}`);
        from = n === starts.length ? end : starts[n]!;
      } else throw new Error(`expected a commit cursor like b1234 (a byte offset of ${this.log.file}), got ${JSON.stringify(cursor)}`);
    }
    const { end } = await this.log.lastLine();
    if (from > end) throw new Error(`expected a commit cursor at most b${end} (the size of ${this.log.file}), got ${JSON.stringify(cursor)}`);
    const { lines, end: read, more } = await this.log.readLinesFrom(from, limit === undefined ? Infinity : Math.max(1, limit));
    return { commits: lines.map(parseCommitLine), cursor: `b${read}`, more };
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

/**
 * One writer per lake: an OS-level lock (LevelDB's LOCK file, taken with fcntl), which the
 * kernel releases when the process dies however it dies. There is no stale lock to take over,
 * so no two processes can both decide a lock is stale and both take it (the pid-file lock did,
 * 7 times in 12). A pid file beside it only names the holder in the error message.
 */
export class LocalLock {
  private db: { close(): Promise<void> } | undefined;

  /** `beforeRelease`: closes what must not outlive the lock (the ledger's store, which has a lock of its own). */
  constructor(private readonly dir: string, private readonly beforeRelease?: () => Promise<void>) {}

  async acquire(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const { ClassicLevel } = await import('classic-level');
    const db = new ClassicLevel(this.dir);
    try {
      await db.open();
    } catch (e) {
      if ((e as { cause?: { code?: string } }).cause?.code !== 'LEVEL_LOCKED') throw e;
      const pid = await this.holderPid();
      throw new Error(`the lake is in use${pid ? ` by process ${pid}` : ''} (lock ${this.dir}); wait for it to finish`);
    }
    this.db = db;
    await fs.writeFile(path.join(this.dir, 'holder.pid'), String(process.pid));
  }

  /** The holder writes its pid just after it takes the lock: a moment's wait covers a holder that is that new. */
  private async holderPid(): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const pid = (await fs.readFile(path.join(this.dir, 'holder.pid'), 'utf8').catch(() => '')).trim();
      if (pid) return pid;
      await new Promise((r) => setTimeout(r, 50));
    }
    return '';
  }

  async release(): Promise<void> {
    const db = this.db;
    if (!db) return;
    this.db = undefined;
    try {
      await this.beforeRelease?.();
      // The pid goes while the lock is still held: a waiter never reads a stale holder's pid.
      await fs.rm(path.join(this.dir, 'holder.pid'), { force: true });
    } finally {
      await db.close();
    }
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
    // The ledger's store is closed before the lake's lock goes, so the next writer can open it.
    this.lock = new LocalLock(path.join(dir, 'writer-lock'), () => this.ledger.close());
    this.goldScratch = path.join(dir, 'gold-scratch');
  }
}
