// The local dedup ledger's memory: event id -> owner position for millions of ids. A Map of
// strings costs about 100 bytes an entry (plus the owner string); these open-addressing
// tables keep a UUID as four 32-bit words and the owner as a partition number and a 32-bit
// sequence, 22 bytes a slot, 31-63 bytes an entry between doublings. The index is split
// into 256 shards that grow one at a time: growing the whole table at once held the old and
// the new copy together, 1.5x the index at the peak (figure 4 of docs/benchmarks.md). Ids that
// are not UUIDs (only tests send them: invalid ids never reach dedup) and positions that do not
// pack go to a plain Map.

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** The four 32-bit words of a UUID's 32 hex digits; false when `id` is not a UUID. */
function parseUuid(id: string, out: Uint32Array): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let digits = 0;
  let w = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== 45) return false;
      continue;
    }
    const c = id.charCodeAt(i);
    const v = c < 128 ? HEX[c]! : -1;
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++digits === 8) {
      out[w++] = word >>> 0;
      word = 0;
      digits = 0;
    }
  }
  return true;
}

/** Shards: a table grows one shard at a time, so growth never holds two copies of the whole index. */
const SHARD_BITS = 8;
const MAX_PARTITIONS = 0xffff;

/** One open-addressing table: 22 bytes a slot (UUID 16, sequence 4, partition 2; partition 0 = empty). */
class Shard {
  keys: Uint32Array;
  seqs: Uint32Array;
  parts: Uint16Array;
  count = 0;

  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity * 4);
    this.seqs = new Uint32Array(capacity);
    this.parts = new Uint16Array(capacity);
  }

  /** Stores `k` (hash `h`) with its owner, in its own slot or the empty one where it goes. */
  put(k: Uint32Array, h: number, part: number, seq: number): void {
    const i = this.slot(k, h);
    if (!this.parts[i]) {
      this.keys.set(k, i * 4);
      this.count++;
    }
    this.parts[i] = part;
    this.seqs[i] = seq;
  }

  /** The slot holding `k`, or the empty slot where it would go. */
  slot(k: Uint32Array, h: number): number {
    const mask = this.parts.length - 1;
    const keys = this.keys;
    let i = h & mask;
    for (;;) {
      if (!this.parts[i]) return i;
      const b = i * 4;
      if (keys[b] === k[0] && keys[b + 1] === k[1] && keys[b + 2] === k[2] && keys[b + 3] === k[3]) return i;
      i = (i + 1) & mask;
    }
  }
}

function hash(k: Uint32Array): number {
  let h = Math.imul(k[0]! ^ Math.imul(k[1]!, 0x9e3779b1) ^ Math.imul(k[2]!, 0x85ebca77) ^ Math.imul(k[3]!, 0xc2b2ae3d), 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}

export class UuidOwnerIndex {
  private readonly shards: Shard[] = [];
  private readonly other = new Map<string, string>();
  private readonly partitions = new Map<string, number>();
  /** Partition names by their number (1-based: 0 marks an empty slot). */
  private readonly partitionNames: string[] = [''];
  private readonly scratch = new Uint32Array(4);
  private readonly moved = new Uint32Array(4);

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap << SHARD_BITS < initialCapacity) cap <<= 1;
    for (let s = 0; s < 1 << SHARD_BITS; s++) this.shards.push(new Shard(cap));
  }

  get size(): number {
    let n = this.other.size;
    for (const s of this.shards) n += s.count;
    return n;
  }

  /**
   * Positions are "<partition>:<sequence>"; packed as partition number x 2^32 + sequence (a
   * number, so the hot path allocates nothing), undefined when it does not pack.
   */
  private pack(position: string): number | undefined {
    const colon = position.lastIndexOf(':');
    const digits = position.slice(colon + 1);
    const seq = Number(digits);
    // Only a canonical sequence packs: it must print back as the same text.
    if (colon < 0 || !Number.isInteger(seq) || seq < 0 || seq > 0xffffffff || String(seq) !== digits) return undefined;
    const p = position.slice(0, colon);
    let part = this.partitions.get(p);
    if (part === undefined) {
      part = this.partitionNames.length;
      if (part > MAX_PARTITIONS) return undefined;
      this.partitions.set(p, part);
      this.partitionNames.push(p);
    }
    return part * 2 ** 32 + seq;
  }

  private shardOf(h: number): Shard {
    return this.shards[h >>> (32 - SHARD_BITS)]!;
  }

  get(id: string): string | undefined {
    if (!parseUuid(id, this.scratch)) return this.other.get(id);
    const h = hash(this.scratch);
    const shard = this.shardOf(h);
    const i = shard.slot(this.scratch, h);
    const part = shard.parts[i]!;
    // A UUID whose owner could not be packed lives in the Map.
    return part ? `${this.partitionNames[part]}:${shard.seqs[i]}` : this.other.get(id);
  }

  set(id: string, position: string): void {
    const owner = this.pack(position);
    const isUuid = parseUuid(id, this.scratch);
    if (owner === undefined || !isUuid) {
      if (isUuid) this.delete(id); // one place per id
      this.other.set(id, position);
      return;
    }
    this.other.delete(id);
    const h = hash(this.scratch);
    let shard = this.shardOf(h);
    if ((shard.count + 1) * 10 > shard.parts.length * 7) shard = this.grow(h);
    const part = Math.floor(owner / 2 ** 32);
    shard.put(this.scratch, h, part, owner - part * 2 ** 32);
  }

  delete(id: string): void {
    this.other.delete(id);
    if (!parseUuid(id, this.scratch)) return;
    const h = hash(this.scratch);
    const shard = this.shardOf(h);
    const i = shard.slot(this.scratch, h);
    if (!shard.parts[i]) return;
    // Linear probing: empty the slot, then re-insert the rest of its probe chain.
    const mask = shard.parts.length - 1;
    shard.parts[i] = 0;
    shard.count--;
    const k = this.moved;
    for (let j = (i + 1) & mask; shard.parts[j]; j = (j + 1) & mask) {
      k.set(shard.keys.subarray(j * 4, j * 4 + 4));
      const part = shard.parts[j]!;
      const seq = shard.seqs[j]!;
      shard.parts[j] = 0;
      shard.count--;
      shard.put(k, hash(k), part, seq);
    }
  }

  /** Doubles the shard of hash `h`; returns the new shard. */
  private grow(h: number): Shard {
    const index = h >>> (32 - SHARD_BITS);
    const old = this.shards[index]!;
    const next = new Shard(old.parts.length * 2);
    const k = this.moved;
    for (let i = 0; i < old.parts.length; i++) {
      if (!old.parts[i]) continue;
      k.set(old.keys.subarray(i * 4, i * 4 + 4));
      next.put(k, hash(k), old.parts[i]!, old.seqs[i]!);
    }
    this.shards[index] = next;
    return next;
  }
}
