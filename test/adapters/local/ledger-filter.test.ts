import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { KeyFilter } from '../../../src/adapters/local/ledger-filter';
import { ledgerKeys, metaKey } from '../../../src/adapters/local/ledger-keys';
import { LEDGER_STORE_OPTIONS } from '../../../src/adapters/local/local-ledger';
import { Random } from '../../../producer/random';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

async function store(dir: string): Promise<ClassicLevel<Buffer, string>> {
  const db = new ClassicLevel<Buffer, string>(path.join(dir, 'ledger'), LEDGER_STORE_OPTIONS);
  await db.open();
  return db;
}

const ids = (n: number, seed: number) => {
  const rnd = new Random(seed);
  return Array.from({ length: n }, (_, i) => (i % 50 === 0 ? `not-a-uuid-${seed}-${i}` : rnd.uuid()));
};

describe('KeyFilter', () => {
  it('never misses a key of the store, and rarely claims one it does not have', async () => {
    const dir = tmp();
    const db = await store(dir);
    const stored = ledgerKeys(ids(100_000, 1));
    const batch = db.batch();
    for (const k of stored) batch.put(k, '0:1');
    await batch.write();
    expect(await KeyFilter.load(db, path.join(dir, 'filter.bin'))).toBeUndefined(); // none saved yet
    const filter = await KeyFilter.build(db);
    expect(stored.filter((k) => !filter.mayHave(k))).toEqual([]);
    const others = ledgerKeys(ids(100_000, 2));
    expect(others.filter((k) => filter.mayHave(k)).length).toBeLessThan(5);
    await db.close();
  });

  it('is loaded from its file only when the store holds the token saved with it, and the token is removed on loading', async () => {
    const dir = tmp();
    const file = path.join(dir, 'filter.bin');
    const db = await store(dir);
    const [a, b] = ledgerKeys(['f47ac10b-58cc-4372-a567-0e02b2c3d479', '9b2e1c3a-0000-4000-8000-000000000001']) as [Buffer, Buffer];
    const filter = await KeyFilter.build(db);
    filter.add(a);
    await db.put(a, '0:1');
    await filter.save(db, file);
    expect(existsSync(file)).toBe(true);
    expect(await db.get(metaKey('filter-token'))).toMatch(/^[0-9a-f]{32}$/);
    // Loaded: it has `a` although the store is not read (b is put behind the filter's back to tell).
    await db.put(b, '0:2');
    const loaded = (await KeyFilter.load(db, file))!;
    expect([loaded.mayHave(a), loaded.mayHave(b)]).toEqual([true, false]);
    expect(await db.get(metaKey('filter-token'))).toBeUndefined();
    // Opened again without a save (a crash): not loaded, whatever the file holds.
    expect(await KeyFilter.load(db, file)).toBeUndefined();
    // Saved unchanged: the same file and token again, not rewritten.
    await loaded.save(db, file);
    expect(await KeyFilter.load(db, file)).toBeDefined();
    await db.close();
  });
});
