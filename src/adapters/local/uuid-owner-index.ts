// The local dedup ledger's memory: event id -> owner position for millions of ids. A Map of
// strings costs about 100 bytes an entry (plus the owner string); this open-addressing table
// keeps a UUID as four 32-bit words and the owner as one number, about 40 bytes an entry at
// its load factor. Ids that are not UUIDs (only tests send them: invalid ids never reach
// dedup) go to a plain Map.

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

export class UuidOwnerIndex {
  private keys: Uint32Array;
  private owners: Float64Array;
  private used: Uint8Array;
  private count = 0;
  private readonly other = new Map<string, string>();
  private readonly partitions = new Map<string, number>();
  private readonly partitionNames: string[] = [];
  private readonly scratch = new Uint32Array(4);

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.keys = new Uint32Array(cap * 4);
    this.owners = new Float64Array(cap);
    this.used = new Uint8Array(cap);
  }

  get size(): number {
    return this.count + this.other.size;
  }

  /** Positions are "<partition>:<sequence>"; stored as partition index x 2^40 + sequence. */
  private encode(position: string): number | undefined {
    const colon = position.lastIndexOf(':');
    const seq = Number(position.slice(colon + 1));
    if (colon < 0 || !Number.isSafeInteger(seq) || seq < 0 || seq >= 2 ** 40) return undefined;
    const p = position.slice(0, colon);
    let idx = this.partitions.get(p);
    if (idx === undefined) {
      idx = this.partitionNames.length;
      if (idx >= 8192) return undefined;
      this.partitions.set(p, idx);
      this.partitionNames.push(p);
    }
    return idx * 2 ** 40 + seq;
  }

  private decode(n: number): string {
    const idx = Math.floor(n / 2 ** 40);
    return `${this.partitionNames[idx]}:${n - idx * 2 ** 40}`;
  }

  private slot(k: Uint32Array): number {
    const mask = this.used.length - 1;
    let h = Math.imul(k[0]! ^ Math.imul(k[1]!, 0x9e3779b1) ^ Math.imul(k[2]!, 0x85ebca77) ^ Math.imul(k[3]!, 0xc2b2ae3d), 0x27d4eb2f);
    h ^= h >>> 15;
    let i = h & mask;
    for (;;) {
      if (!this.used[i]) return i;
      const b = i * 4;
      if (this.keys[b] === k[0] && this.keys[b + 1] === k[1] && this.keys[b + 2] === k[2] && this.keys[b + 3] === k[3]) return i;
      i = (i + 1) & mask;
    }
  }

  get(id: string): string | undefined {
    if (!parseUuid(id, this.scratch)) return this.other.get(id);
    const i = this.slot(this.scratch);
    // A UUID whose owner could not be packed lives in the Map.
    return this.used[i] ? this.decode(this.owners[i]!) : this.other.get(id);
  }

  set(id: string, position: string): void {
    const owner = this.encode(position);
    if (owner === undefined || !parseUuid(id, this.scratch)) {
      if (parseUuid(id, this.scratch)) this.delete(id); // one place per id
      this.other.set(id, position);
      return;
    }
    this.other.delete(id);
    if ((this.count + 1) * 10 > this.used.length * 7) this.grow();
    const i = this.slot(this.scratch);
    if (!this.used[i]) {
      this.used[i] = 1;
      this.keys.set(this.scratch, i * 4);
      this.count++;
    }
    this.owners[i] = owner;
  }

  delete(id: string): void {
    this.other.delete(id);
    if (!parseUuid(id, this.scratch)) return;
    // Rebuild the probe chain after the hole (linear probing deletion).
    const i = this.slot(this.scratch);
    if (!this.used[i]) return;
    const mask = this.used.length - 1;
    this.used[i] = 0;
    this.count--;
    let j = (i + 1) & mask;
    const k = new Uint32Array(4);
    while (this.used[j]) {
      k.set(this.keys.subarray(j * 4, j * 4 + 4));
      const owner = this.owners[j]!;
      this.used[j] = 0;
      this.count--;
      const t = this.slot(k);
      this.used[t] = 1;
      this.keys.set(k, t * 4);
      this.owners[t] = owner;
      this.count++;
      j = (j + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldOwners = this.owners;
    const oldUsed = this.used;
    const cap = oldUsed.length * 2;
    this.keys = new Uint32Array(cap * 4);
    this.owners = new Float64Array(cap);
    this.used = new Uint8Array(cap);
    const k = new Uint32Array(4);
    for (let i = 0; i < oldUsed.length; i++) {
      if (!oldUsed[i]) continue;
      k.set(oldKeys.subarray(i * 4, i * 4 + 4));
      const t = this.slot(k);
      this.used[t] = 1;
      this.keys.set(k, t * 4);
      this.owners[t] = oldOwners[i]!;
    }
  }
}
