// The local dedup ledger: event id -> owner position in a LevelDB store under
// <state>/ledger/ (classic-level). Memory stays bounded whatever the lake's size: LevelDB keeps
// recent writes in a write buffer, a block cache of fixed size, and the index and Bloom filter of
// at most maxOpenFiles table files; the rest is on disk. A filter of fixed size in front of it
// (ledger-filter.ts) spares the lookup of ids that cannot be there. Earlier versions kept every
// id in memory, rebuilt from <state>/ledger.log at each start; such a log is imported once
// (ledger-log-import.ts).
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { KeyFilter } from './ledger-filter';
import { ledgerKeys } from './ledger-keys';
import { importLedgerLog } from './ledger-log-import';
import type { DedupLedger } from '../../pipeline/ports';

export type LedgerStore = ClassicLevel<Buffer, string>;

/**
 * LevelDB settings (bench/ledger-local.ts measures them). Keys are random, so compression
 * saves nothing and costs CPU. The write buffer stays at LevelDB's 4 MB: 8 and 16 MB cost as
 * much CPU per id here, hold 2 x more memory and make reopening slower (the unflushed buffer's
 * log is replayed: 0.25 s at 4 MB, 1.2 s at 16 MB). The table cache is bounded so that the
 * indexes and filters it holds are too.
 */
export const LEDGER_STORE_OPTIONS = {
  keyEncoding: 'buffer',
  valueEncoding: 'utf8',
  compression: false,
  cacheSize: 8 << 20,
  writeBufferSize: 4 << 20,
  maxOpenFiles: 200,
} as const;

/** One open store per folder and process (LevelDB's lock admits one), shared by every LocalLedger on it. */
interface Shared {
  db: LedgerStore;
  /** Undefined while the store is small: every id is looked up. */
  filter: KeyFilter | undefined;
  /** Keys written since the store was opened without a filter: past FILTER_FROM_KEYS, one is built. */
  unfiltered: number;
  users: number;
  ready: Promise<void>;
  /** The last operation queued: claims and releases run one at a time. */
  tail: Promise<unknown>;
}
const stores = new Map<string, Shared>();
/** Stores being closed, by folder: opening one again waits for its close (LevelDB's lock is held until then). */
const closing = new Map<string, Promise<void>>();

/** A store this large on disk (about 120,000 ids) is opened with the filter; a smaller one gets it once it has grown by FILTER_FROM_KEYS ids. */
const FILTER_FROM_BYTES = 4 << 20;
const FILTER_FROM_KEYS = 100_000;

async function storeBytes(db: LedgerStore): Promise<number> {
  return db.approximateSize(Buffer.alloc(1), Buffer.alloc(64, 0xff));
}

interface Files {
  folder: string;
  legacyLog: string;
  filter: string;
}

async function openStore({ folder, legacyLog, filter }: Files): Promise<{ db: LedgerStore; filter: KeyFilter | undefined }> {
  await fs.mkdir(folder, { recursive: true });
  const db = new ClassicLevel<Buffer, string>(folder, LEDGER_STORE_OPTIONS);
  try {
    await db.open();
  } catch (e) {
    if ((e as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new Error(`the dedup ledger ${folder} is open in another process; expected one process per lake (the lake's lock keeps a second one out)`);
    }
    throw e;
  }
  try {
    // Imported keys are not in a saved filter: it is built again after an import.
    if (existsSync(legacyLog)) await KeyFilter.invalidate(db);
    await importLedgerLog(db, legacyLog);
    const saved = await KeyFilter.load(db, filter);
    return { db, filter: saved ?? ((await storeBytes(db)) >= FILTER_FROM_BYTES ? await KeyFilter.build(db) : undefined) };
  } catch (e) {
    await db.close();
    throw e;
  }
}

export class LocalLedger implements DedupLedger {
  /** The store's folder: <state>/ledger. */
  readonly folder: string;
  private readonly files: Files;
  private shared: Shared | undefined;

  constructor(stateDir: string) {
    this.folder = path.resolve(stateDir, 'ledger');
    this.files = { folder: this.folder, legacyLog: path.resolve(stateDir, 'ledger.log'), filter: path.resolve(stateDir, 'ledger-filter.bin') };
  }

  private async store(): Promise<Shared> {
    if (!this.shared) {
      let s = stores.get(this.folder);
      if (!s) {
        const opening = (closing.get(this.folder) ?? Promise.resolve()).catch(() => undefined).then(() => openStore(this.files));
        const created: Shared = { db: undefined as unknown as LedgerStore, filter: undefined, unfiltered: 0, users: 0, ready: opening.then((o) => void Object.assign(created, o)), tail: Promise.resolve() };
        stores.set(this.folder, (s = created));
        created.ready.catch(() => stores.get(this.folder) === created && stores.delete(this.folder));
      }
      s.users++;
      this.shared = s;
    }
    const s = this.shared;
    try {
      await s.ready;
    } catch (e) {
      this.shared = undefined;
      throw e;
    }
    return s;
  }

  /** Runs `fn` after every earlier claim and release of this store: each reads, then writes what it read as free. */
  private async serial<T>(fn: (s: Shared) => Promise<T>): Promise<T> {
    const s = await this.store();
    const run = s.tail.then(() => fn(s));
    s.tail = run.catch(() => undefined);
    return run;
  }

  async claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>> {
    if (!claims.length) return new Map();
    return this.serial(async (s) => {
      const { db, filter } = s;
      const n = claims.length;
      const keys = ledgerKeys(claims.map((c) => c.eventId));
      // The first claim of a key in this call wins. A UUID's key is its 16 bytes, which its
      // lower-case text names one to one; other ids are keyed by their exact text.
      const firstOfText = new Map<string, number>();
      const first = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const id = claims[i]!.eventId;
        const text = keys[i]!.length === 16 ? id.toLowerCase() : `\0${id}`;
        const f = firstOfText.get(text);
        if (f === undefined) firstOfText.set(text, (first[i] = i));
        else first[i] = f;
      }
      const owners: Array<string | undefined> = new Array(n);
      // Only keys the filter may have are looked up; the others are surely free.
      const lookups: number[] = [];
      for (let i = 0; i < n; i++) if (first[i] === i && (!filter || filter.mayHave(keys[i]!))) lookups.push(i);
      if (lookups.length) {
        const found = await db.getMany(lookups.map((i) => keys[i]!));
        lookups.forEach((i, j) => (owners[i] = found[j]));
      }
      const fresh: number[] = [];
      for (let i = 0; i < n; i++) {
        if (first[i] !== i || owners[i] !== undefined) continue;
        owners[i] = claims[i]!.position;
        filter?.add(keys[i]!); // before the write: the filter never lacks a key the store has
        fresh.push(i);
      }
      if (fresh.length) {
        // A chained batch: one native call per put, a third of what an array of operations costs.
        const batch = db.batch();
        for (const i of fresh) batch.put(keys[i]!, owners[i]!);
        await batch.write();
        if (!filter && (s.unfiltered += fresh.length) >= FILTER_FROM_KEYS) s.filter = await KeyFilter.build(db);
      }
      const result = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const id = claims[i]!.eventId;
        if (!result.has(id)) result.set(id, owners[first[i]!]!);
      }
      return result;
    });
  }

  async release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void> {
    if (!claims.length) return;
    await this.serial(async ({ db }) => {
      const keys = ledgerKeys(claims.map((c) => c.eventId));
      const stored = await db.getMany(keys);
      const owned = keys.filter((_, i) => stored[i] !== undefined && stored[i] === claims[i]!.position);
      if (owned.length) {
        const batch = db.batch();
        for (const key of owned) batch.del(key);
        await batch.write();
      }
    });
  }

  /**
   * Lets go of the store (closed once its last user in this process lets go): before the lake's
   * lock is released, so that another process can open it next. Using the ledger again reopens it.
   */
  async close(): Promise<void> {
    const s = this.shared;
    if (!s) return;
    this.shared = undefined;
    if (--s.users > 0) return;
    if (stores.get(this.folder) === s) stores.delete(this.folder);
    const done = (async () => {
      await s.ready.catch(() => undefined);
      await s.tail;
      if (!s.db) return;
      try {
        await s.filter?.save(s.db, this.files.filter);
      } finally {
        await s.db.close();
      }
    })();
    closing.set(this.folder, done);
    try {
      await done;
    } finally {
      if (closing.get(this.folder) === done) closing.delete(this.folder);
    }
  }
}
