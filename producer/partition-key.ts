// Which partition Event Hubs puts a partition key in: the service hashes the key with
// Jenkins lookup3 and takes it modulo the partition count. The SDK does the same in its
// buffered producer, but not as public API; a test pins this copy to the SDK's.
// We batch per partition id (createBatch({ partitionId })) so that events of many orders
// share a batch while every event of one order still lands in one partition.

function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** lookup3 `hashlittle2` over bytes: returns the two 32-bit results (b, c). */
function lookup3(data: Buffer): { b: number; c: number } {
  let a = (0xdeadbeef + data.length) | 0;
  let b = a;
  let c = a;
  let i = 0;
  let size = data.length;
  while (size > 12) {
    a = (a + data.readUInt32LE(i)) | 0;
    b = (b + data.readUInt32LE(i + 4)) | 0;
    c = (c + data.readUInt32LE(i + 8)) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    i += 12;
    size -= 12;
  }
  if (size === 0) return { b: b >>> 0, c: c >>> 0 };
  // The tail: up to 12 bytes, little-endian into a, b, c.
  const tail = [0, 0, 0];
  for (let k = 0; k < size; k++) tail[k >> 2]! += data[i + k]! * 2 ** (8 * (k & 3));
  a = (a + tail[0]!) | 0;
  b = (b + tail[1]!) | 0;
  c = (c + tail[2]!) | 0;
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return { b: b >>> 0, c: c >>> 0 };
}

/** The partition index (0-based) Event Hubs assigns to a partition key. */
export function partitionForKey(key: string, partitionCount: number): number {
  const { b, c } = lookup3(Buffer.from(key, 'utf8'));
  const hash16 = new Int16Array([c ^ b])[0]!;
  return Math.abs(hash16 % partitionCount);
}
