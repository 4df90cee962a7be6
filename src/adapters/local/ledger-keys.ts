// Keys of the local dedup ledger's LevelDB store. An event id that is a UUID (every id that
// reaches dedup: invalid ids are quarantined first) is its 16 bytes, read case-insensitively as
// UUIDs are; other ids (tests send them) and the store's own records have longer keys under a
// prefix no UUID key can have, so no two kinds ever meet.

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Writes the UUID's 16 bytes at `out[at..at+16)`; false (nothing meaningful written) when `id` is not a UUID. */
export function writeUuidBytes(id: string, out: Uint8Array, at: number): boolean {
  if (id.length !== 36) return false;
  let b = at;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i++) !== 45) return false;
      continue;
    }
    const hi = id.charCodeAt(i++);
    const lo = id.charCodeAt(i++);
    const h = hi < 128 ? HEX[hi]! : -1;
    const l = lo < 128 ? HEX[lo]! : -1;
    if (h < 0 || l < 0) return false;
    out[b++] = (h << 4) | l;
  }
  return true;
}

/** 16 zero bytes then a kind byte: longer than any UUID key, so never equal to one. */
const PREFIX_LENGTH = 17;
const OTHER_ID = 1;
const META = 0;

function prefixed(kind: number, text: string): Buffer {
  const key = Buffer.alloc(PREFIX_LENGTH + Buffer.byteLength(text));
  key[PREFIX_LENGTH - 1] = kind;
  key.write(text, PREFIX_LENGTH, 'utf8');
  return key;
}

/** The store key of each id (equal keys for ids that differ only in the case of a UUID's hex digits). */
export function ledgerKeys(ids: readonly string[]): Buffer[] {
  // UUID keys are views of one buffer: a claim of 1,000 ids makes one allocation, not 1,000.
  const uuids = Buffer.allocUnsafe(ids.length * 16);
  return ids.map((id, i) => (writeUuidBytes(id, uuids, i * 16) ? uuids.subarray(i * 16, i * 16 + 16) : prefixed(OTHER_ID, id)));
}

/** A record of the store itself (import progress), never an event id's key. */
export function metaKey(name: string): Buffer {
  return prefixed(META, name);
}

/** Whether `key` is one of the store's own records. */
export function isMetaKey(key: Uint8Array): boolean {
  if (key.length < PREFIX_LENGTH || key[PREFIX_LENGTH - 1] !== META) return false;
  for (let i = 0; i < PREFIX_LENGTH - 1; i++) if (key[i] !== 0) return false;
  return true;
}
