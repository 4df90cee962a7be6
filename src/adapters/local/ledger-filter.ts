// The local ledger's fast path: a Bloom filter of fixed size over every key in the store, so
// that a claim reads from LevelDB only the ids that may be there (resends, a retried batch,
// the filter's false positives) and skips the lookup, about two thirds of a claim's cost, for
// the others. It must never miss a key the store has (a miss would let a second owner
// overwrite the first), so it is trusted only when it provably covers the store:
//   - built by reading every key, or loaded from the file written at the last clean close,
//     whose token the store holds (a marker deleted on opening, before any write: after a
//     crash the marker is gone and the filter is built again);
//   - every key written by this process is added before it is written.
// 16 MB whatever the lake's size; its false positives grow with it (0.4% at 10M ids, 12% at
// 30M, 36% at 50M), and each costs one LevelDB lookup, never a wrong answer. A small store
// does without (local-ledger.ts): lookups are cheap there, and 16 MB per store is not.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { ClassicLevel } from 'classic-level';
import { isMetaKey, metaKey } from './ledger-keys';

const BITS = 2 ** 27; // 16 MB
const HASHES = 4;
const MAGIC = Buffer.from('OLKEYF01');
const HEADER = MAGIC.length + 16;
const MARKER = metaKey('filter-token');

/** The 32-bit finaliser of MurmurHash3: spreads every input bit over the output. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  /** Keys added since it was loaded or built: a filter loaded and left unchanged is not written again. */
  private dirty = false;

  /** `token`: the one it was loaded with from its file, if it was. */
  private constructor(private readonly bits: Uint32Array, private readonly token?: string) {}

  /** Two hashes of the key's bytes; the HASHES bit positions are h1 + i * h2 (double hashing). */
  private positions(key: Uint8Array, out: Uint32Array): void {
    let a = 0x9747b28c;
    let b = 0x1b873593;
    if (key.length === 16) {
      // A UUID's key, four words at a time (the common case, and the hot path of a claim).
      for (let i = 0; i < 16; i += 4) {
        const w = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
        a = fmix(a ^ w);
        b = Math.imul(b ^ w, 0x5bd1e995);
      }
    } else {
      for (let i = 0; i < key.length; i++) {
        a = Math.imul(a ^ key[i]!, 0x01000193);
        b = Math.imul(b ^ key[i]!, 0x5bd1e995);
      }
    }
    const h1 = fmix(a);
    const h2 = fmix(b ^ h1) | 1;
    for (let i = 0; i < HASHES; i++) out[i] = (h1 + Math.imul(i, h2)) & (BITS - 1);
  }

  private readonly scratch = new Uint32Array(HASHES);

  add(key: Uint8Array): void {
    this.dirty = true;
    const p = this.scratch;
    this.positions(key, p);
    for (let i = 0; i < HASHES; i++) this.bits[p[i]! >>> 5]! |= 1 << (p[i]! & 31);
  }

  /** False only for a key never added. */
  mayHave(key: Uint8Array): boolean {
    const p = this.scratch;
    this.positions(key, p);
    for (let i = 0; i < HASHES; i++) if (!(this.bits[p[i]! >>> 5]! & (1 << (p[i]! & 31)))) return false;
    return true;
  }

  /**
   * The filter saved at the last clean close, if the store says it covers it; undefined
   * otherwise. Either way the store's marker is removed before returning, so that a crash from
   * now on makes the next opening build it again.
   */
  static async load(db: ClassicLevel<Buffer, string>, file: string): Promise<KeyFilter | undefined> {
    const token = await db.get(MARKER);
    if (token === undefined) return undefined;
    await db.del(MARKER);
    const data = await fs.readFile(file).catch(() => undefined);
    if (!data || data.length !== HEADER + BITS / 8 || !data.subarray(0, MAGIC.length).equals(MAGIC) || data.toString('hex', MAGIC.length, HEADER) !== token) return undefined;
    const bits = new Uint32Array(BITS / 32);
    Buffer.from(bits.buffer).set(data.subarray(HEADER));
    return new KeyFilter(bits, token);
  }

  /** The filter of every key in `db`, read from it (about 2 µs per key here). */
  static async build(db: ClassicLevel<Buffer, string>): Promise<KeyFilter> {
    const filter = new KeyFilter(new Uint32Array(BITS / 32));
    filter.dirty = true; // built, not read: no file holds it
    // In batches of keys: one promise per 10,000 keys, not per key.
    const keys = db.keys();
    try {
      for (let batch = await keys.nextv(10_000); batch.length; batch = await keys.nextv(10_000)) {
        for (const key of batch) if (!isMetaKey(key)) filter.add(key);
      }
    } finally {
      await keys.close();
    }
    return filter;
  }

  /** Writes the filter, then marks the store as covered by it: the store must take no write after this. */
  async save(db: ClassicLevel<Buffer, string>, file: string): Promise<void> {
    if (!this.dirty && this.token !== undefined) {
      await db.put(MARKER, this.token); // the file still holds exactly this filter
      return;
    }
    const token = randomBytes(16);
    const tmp = `${file}.${process.pid}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.write(Buffer.concat([MAGIC, token]));
      await handle.write(new Uint8Array(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength));
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    await db.put(MARKER, token.toString('hex'));
  }

  /** Forgets a saved filter (before writes it does not see): the next opening builds one from the store. */
  static async invalidate(db: ClassicLevel<Buffer, string>): Promise<void> {
    await db.del(MARKER);
  }
}
