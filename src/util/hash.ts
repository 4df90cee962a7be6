import { createHash } from 'node:crypto';

/** 32-bit FNV-1a of a string's UTF-16 code units: a stable, fast partition hash. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 32-bit FNV-1a of bytes (a file's first bytes, to notice a replaced file). */
export function fnv1aBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

// Customers repeat across the events of their orders; caching their hash keeps
// SHA-256 off most of the hot path. Bounded so a stream of unique emails cannot grow it.
const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

export function sha256Hex(text: string): string {
  let h = cache.get(text);
  if (h === undefined) {
    h = createHash('sha256').update(text, 'utf8').digest('hex');
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, h);
  }
  return h;
}
