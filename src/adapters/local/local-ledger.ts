// The local dedup ledger: event id -> owner position in a LevelDB store under
// <state>/ledger/ (classic-level). Memory stays bounded whatever the lake's size: LevelDB keeps
// recent writes in a write buffer, a block cache of fixed size, and the index and Bloom filter of
// at most MAX_OPEN_FILES table files; the rest is on disk. Earlier versions kept every id in
// memory, rebuilt from <state>/ledger.log at each start; such a log is imported once
// (ledger-log-import.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ledgerKeys } from './ledger-keys';
import { importLedgerLog } from './ledger-log-import';
import type { DedupLedger } from '../../pipeline/ports';

export type LedgerStore = ClassicLevel<Buffer, string>;

/**
 * LevelDB settings (bench/ledger-local.ts measures them). Keys are random, so compression
 * saves nothing and costs CPU; a larger write buffer means fewer, larger level-0 files to
 * compact; the table cache is bounded so that the filters and indexes it holds are too.
 */
export const LEDGER_STORE_OPTIONS = {
  keyEncoding: 'buffer',
  valueEncoding: 'utf8',
  compression: false,
  cacheSize: 8 << 20,
  writeBufferSize: 16 << 20,
  maxOpenFiles: 200,
} as const;

/** One open store per folder and process (LevelDB's lock admits one), shared by every LocalLedger on it. */
interface Shared {
  db: LedgerStore;
  users: number;
  ready: Promise<void>;
  /** The last operation queued: claims and releases run one at a time. */
  tail: Promise<unknown>;
}
const stores = new Map<string, Shared>();
/** Stores being closed, by folder: opening one again waits for its close (LevelDB's lock is held until then). */
const closing = new Map<string, Promise<void>>();

async function openStore(folder: string, legacyLog: string): Promise<LedgerStore> {
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
    await importLedgerLog(db, legacyLog);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

export class LocalLedger implements DedupLedger {
  /** The store's folder: <state>/ledger. */
  readonly folder: string;
  private readonly legacyLog: string;
  private shared: Shared | undefined;

  constructor(stateDir: string) {
    this.folder = path.resolve(stateDir, 'ledger');
    this.legacyLog = path.resolve(stateDir, 'ledger.log');
  }

  private async store(): Promise<Shared> {
    if (!this.shared) {
      let s = stores.get(this.folder);
      if (!s) {
        const opening = (closing.get(this.folder) ?? Promise.resolve()).catch(() => undefined).then(() => openStore(this.folder, this.legacyLog));
        const created: Shared = { db: undefined as unknown as LedgerStore, users: 0, ready: opening.then((db) => void (created.db = db)), tail: Promise.resolve() };
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
  private async serial<T>(fn: (db: LedgerStore) => Promise<T>): Promise<T> {
    const s = await this.store();
    const run = s.tail.then(() => fn(s.db));
    s.tail = run.catch(() => undefined);
    return run;
  }

  async claim(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<Map<string, string>> {
    if (!claims.length) return new Map();
    return this.serial(async (db) => {
      const keys = ledgerKeys(claims.map((c) => c.eventId));
      // The first claim of a key in this call wins (ids equal but for a UUID's case share a key).
      const firstOfKey = new Map<string, number>();
      const unique: number[] = [];
      keys.forEach((k, i) => {
        const text = k.toString('latin1');
        if (!firstOfKey.has(text)) {
          firstOfKey.set(text, i);
          unique.push(i);
        }
      });
      const stored = await db.getMany(unique.map((i) => keys[i]!));
      const ownerAt = new Map<number, string>();
      const puts: Array<{ type: 'put'; key: Buffer; value: string }> = [];
      unique.forEach((i, j) => {
        let owner = stored[j];
        if (owner === undefined) {
          owner = claims[i]!.position;
          puts.push({ type: 'put', key: keys[i]!, value: owner });
        }
        ownerAt.set(i, owner);
      });
      if (puts.length) await db.batch(puts);
      const result = new Map<string, string>();
      keys.forEach((k, i) => {
        const id = claims[i]!.eventId;
        if (!result.has(id)) result.set(id, ownerAt.get(firstOfKey.get(k.toString('latin1'))!)!);
      });
      return result;
    });
  }

  async release(claims: ReadonlyArray<{ eventId: string; position: string }>): Promise<void> {
    if (!claims.length) return;
    await this.serial(async (db) => {
      const keys = ledgerKeys(claims.map((c) => c.eventId));
      const stored = await db.getMany(keys);
      const dels: Array<{ type: 'del'; key: Buffer }> = [];
      stored.forEach((owner, i) => {
        if (owner !== undefined && owner === claims[i]!.position) dels.push({ type: 'del', key: keys[i]! });
      });
      if (dels.length) await db.batch(dels);
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
      if (s.db) await s.db.close();
    })();
    closing.set(this.folder, done);
    try {
      await done;
    } finally {
      if (closing.get(this.folder) === done) closing.delete(this.folder);
    }
  }
}
