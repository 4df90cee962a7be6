// The ledger of earlier versions was an append-only log, <state>/ledger.log: "<id>\t<owner>" for
// a claim (the first claim of an id wins) and "<id>\t-<owner>" for a release (only by the
// owner). It is imported into the store once, in chunks, so memory stays bounded whatever its
// size; each chunk's writes carry the byte offset imported so far, so an import cut short
// (a killed process) resumes where it stopped. Then the log is renamed ledger.log.imported (kept
// for a downgrade by hand; nothing reads it).
import { promises as fs } from 'node:fs';
import { AppendLog } from './append-log';
import { ledgerKeys, metaKey } from './ledger-keys';
import type { ClassicLevel } from 'classic-level';

/** Bytes read at a time (about 20,000 lines): what a chunk holds in memory while it is applied. */
const CHUNK_BYTES = 1 << 20;
const OFFSET = metaKey('ledger-log-offset');

export interface ImportResult {
  lines: number;
  bytes: number;
}

/** Applies one chunk of log lines to the store, in order, with the offset it reaches, in one atomic batch. */
async function applyLines(db: ClassicLevel<Buffer, string>, lines: readonly string[], offset: number): Promise<void> {
  const ids: string[] = [];
  const owners: string[] = [];
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    ids.push(line.slice(0, tab));
    owners.push(line.slice(tab + 1));
  }
  const keys = ledgerKeys(ids);
  // The current owner of every key the chunk touches: from the store, then as the lines change it.
  const state = new Map<string, { key: Buffer; owner: string | undefined; changed: boolean }>();
  const firstOf: number[] = [];
  keys.forEach((k, i) => {
    const text = k.toString('latin1');
    if (!state.has(text)) {
      state.set(text, { key: Buffer.from(k), owner: undefined, changed: false });
      firstOf.push(i);
    }
  });
  const stored = await db.getMany(firstOf.map((i) => keys[i]!));
  firstOf.forEach((i, j) => (state.get(keys[i]!.toString('latin1'))!.owner = stored[j]));
  keys.forEach((k, i) => {
    const s = state.get(k.toString('latin1'))!;
    const owner = owners[i]!;
    if (owner.startsWith('-')) {
      if (s.owner === owner.slice(1)) Object.assign(s, { owner: undefined, changed: true });
    } else if (s.owner === undefined) Object.assign(s, { owner, changed: true });
  });
  const ops: Array<{ type: 'put'; key: Buffer; value: string } | { type: 'del'; key: Buffer }> = [];
  for (const s of state.values()) {
    if (!s.changed) continue;
    ops.push(s.owner === undefined ? { type: 'del', key: s.key } : { type: 'put', key: s.key, value: s.owner });
  }
  ops.push({ type: 'put', key: OFFSET, value: String(offset) });
  await db.batch(ops);
}

/** Imports `file` (an older version's ledger log) into `db` if it exists; undefined when there is none. */
export async function importLedgerLog(db: ClassicLevel<Buffer, string>, file: string, chunkBytes = CHUNK_BYTES): Promise<ImportResult | undefined> {
  // Cuts a torn last line (an older version killed mid-append): that claim never counted. The
  // import runs under the lake's lock, as the one writer.
  const end = await new AppendLog(file).repair();
  if (end === 0) {
    await fs.rm(file, { force: true }); // absent, or empty: nothing to import
    await db.del(OFFSET); // left by an import cut short after its rename; must not apply to a later log
    return undefined;
  }
  let offset = Number((await db.get(OFFSET)) ?? 0);
  if (!(offset >= 0 && offset <= end)) throw new Error(`expected the ledger import offset to be within ${file} (0..${end} bytes), got ${offset}; move ${file} aside if it is not this lake's`);
  const result: ImportResult = { lines: 0, bytes: end - offset };
  const handle = await fs.open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry = Buffer.alloc(0);
    while (offset < end) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, end - offset - carry.length), offset + carry.length);
      if (!bytesRead) break;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const whole = data.lastIndexOf(10) + 1;
      if (!whole) {
        carry = Buffer.from(data); // a line longer than a chunk: read on
        continue;
      }
      const lines = data.toString('utf8', 0, whole - 1).split('\n');
      offset += whole;
      await applyLines(db, lines, offset);
      result.lines += lines.length;
      carry = Buffer.from(data.subarray(whole));
    }
  } finally {
    await handle.close();
  }
  await fs.rename(file, `${file}.imported`);
  await db.del(OFFSET);
  return result;
}
