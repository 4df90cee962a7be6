import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { importLedgerLog } from '../../../src/adapters/local/ledger-log-import';
import { LocalLedger, LEDGER_STORE_OPTIONS } from '../../../src/adapters/local/local-ledger';
import { Random } from '../../../producer/random';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

/** What the log means, read as earlier versions read it: the first claim wins, a release counts only from the owner. */
function replay(lines: readonly string[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const line of lines) {
    const [id, owner] = line.split('\t') as [string, string];
    const key = id.toLowerCase();
    if (owner.startsWith('-')) {
      if (owners.get(key) === owner.slice(1)) owners.delete(key);
    } else if (!owners.has(key)) owners.set(key, owner);
  }
  return owners;
}

/** A log of claims of a pool of ids, with resends (ignored claims), releases by owners and by others, and claims again after a release. */
function legacyLog(lines: number, seed: number): string[] {
  const rnd = new Random(seed);
  const pool = Array.from({ length: Math.ceil(lines / 3) }, () => rnd.uuid());
  const owner = new Map<string, string>();
  return Array.from({ length: lines }, (_, i) => {
    const id = rnd.pick(pool);
    const held = owner.get(id);
    if (held && rnd.chance(0.2)) {
      const by = rnd.chance(0.5) ? held : `9:${i}`;
      if (by === held) owner.delete(id);
      return `${id}\t-${by}`;
    }
    if (!held) owner.set(id, `${i % 4}:${i}`);
    return `${rnd.chance(0.1) ? id.toUpperCase() : id}\t${i % 4}:${i}`;
  });
}

async function openStore(folder: string): Promise<ClassicLevel<Buffer, string>> {
  const db = new ClassicLevel<Buffer, string>(folder, LEDGER_STORE_OPTIONS);
  await db.open();
  return db;
}

describe('importLedgerLog', () => {
  it('imports an older lake\'s ledger.log once on first open: the same owners, the log renamed, its torn last line cut', async () => {
    const state = tmp();
    const lines = legacyLog(30_000, 1);
    // A claim cut short by a crash of the older version: never counted.
    writeFileSync(path.join(state, 'ledger.log'), lines.join('\n') + '\nffffffff-ffff-4fff-8fff-ffffffffffff\t0:99');
    const expected = replay(lines);
    expect(expected.size).toBeGreaterThan(5000);
    const ledger = new LocalLedger(state);
    // Every id owned in the log, the torn line's, and ids the log released.
    const ids = [...new Set([...expected.keys(), 'ffffffff-ffff-4fff-8fff-ffffffffffff', ...lines.map((l) => l.split('\t')[0]!.toLowerCase())])];
    expect(ids.length - expected.size).toBeGreaterThan(100);
    const got = await ledger.claim(ids.map((eventId, i) => ({ eventId, position: `new:${i}` })));
    expect(ids.filter((id, i) => got.get(id) !== (expected.get(id) ?? `new:${i}`))).toEqual([]);
    expect(existsSync(path.join(state, 'ledger.log'))).toBe(false);
    expect(readFileSync(path.join(state, 'ledger.log.imported'), 'utf8')).toBe(lines.join('\n') + '\n');
    await ledger.close();
    // Reopened: nothing imported again (a second import would change nothing either, but costs a scan).
    writeFileSync(path.join(state, 'ledger.log.imported'), 'garbage');
    expect((await new LocalLedger(state).claim([{ eventId: [...expected.keys()][0]!, position: 'x:1' }])).get([...expected.keys()][0]!)).toBe([...expected.values()][0]);
  });

  it('resumes an import cut short where it stopped, in small chunks, and ends with the same owners', async () => {
    const state = tmp();
    const lines = legacyLog(5_000, 2);
    const file = path.join(state, 'ledger.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const folder = path.join(state, 'ledger');
    const db = await openStore(folder);
    // The process dies at the 7th chunk's write.
    let writes = 0;
    const batch = db.batch.bind(db);
    db.batch = ((ops: never) => (++writes === 7 ? Promise.reject(new Error('killed')) : batch(ops))) as typeof db.batch;
    await expect(importLedgerLog(db, file, 4096)).rejects.toThrow('killed');
    db.batch = batch;
    expect(existsSync(file)).toBe(true);
    const resumed = await importLedgerLog(db, file, 4096);
    // The chunks already written are not read again.
    expect(resumed!.bytes).toBeLessThan(readFileSync(`${file}.imported`).length - 6 * 3000);
    const expected = replay(lines);
    const keys = [...expected.keys()];
    const got = await db.getMany(keys.map((id) => Buffer.from(id.replace(/-/g, ''), 'hex')));
    expect(keys.filter((id, i) => got[i] !== expected.get(id))).toEqual([]);
    let stored = 0;
    for await (const _ of db.keys()) stored++;
    expect(stored).toBe(expected.size);
    await db.close();
  });

  it('does nothing without a log', async () => {
    const state = tmp();
    const db = await openStore(path.join(state, 'ledger'));
    expect(await importLedgerLog(db, path.join(state, 'ledger.log'))).toBeUndefined();
    await db.close();
  });
});
