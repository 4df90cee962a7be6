import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LocalLedger } from '../../../src/adapters/local/local-ledger';
import { LocalState } from '../../../src/adapters/local/local-state';
import { Random } from '../../../producer/random';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

/** Claims `n` random ids, in claims of 1,000. */
async function claimMany(ledger: LocalLedger, n: number, seed: number): Promise<void> {
  const rnd = new Random(seed);
  for (let i = 0; i < n; i += 1000) await ledger.claim(Array.from({ length: 1000 }, (_, j) => ({ eventId: rnd.uuid(), position: `${seed}:${i + j}` })));
}

describe('LocalLedger', () => {
  it('keeps 1,000,000 ids: claims, re-claims, releases and a reopened store agree', async () => {
    const dir = tmp();
    const rnd = new Random(1);
    const ids = Array.from({ length: 1_000_000 }, () => rnd.uuid());
    /** Claims every id for `partition`; returns the indexes whose owner is not `expected(i)` (a list, not a million-item comparison). */
    const claimAll = async (ledger: LocalLedger, partition: string, expected: (i: number) => string) => {
      const wrong: number[] = [];
      for (let i = 0; i < ids.length; i += 1000) {
        const got = await ledger.claim(ids.slice(i, i + 1000).map((eventId, j) => ({ eventId, position: `${partition}:${i + j}` })));
        for (let j = i; j < i + 1000; j++) if (got.get(ids[j]!) !== expected(j)) wrong.push(j);
      }
      return wrong;
    };
    const ledger = new LocalLedger(dir);
    expect(await claimAll(ledger, '0', (i) => `0:${i}`)).toEqual([]);
    // Every id is owned: a second claimer gets nothing.
    expect(await claimAll(ledger, '1', (i) => `0:${i}`)).toEqual([]);
    // Ids 0, 10, 20, ... released by their owner; 5, 15, 25, ... asked by a position that does not own them.
    for (let i = 0; i < ids.length; i += 10_000) {
      const slice = Array.from({ length: 1000 }, (_, k) => i + k * 10);
      await ledger.release(slice.flatMap((n) => [{ eventId: ids[n]!, position: `0:${n}` }, { eventId: ids[n + 5]!, position: `1:${n + 5}` }]));
    }
    await ledger.close();
    const reopened = new LocalLedger(dir);
    expect(await claimAll(reopened, '2', (i) => (i % 10 === 0 ? `2:${i}` : `0:${i}`))).toEqual([]);
    await reopened.close();
  }, 600_000);

  it('gives equal owners to a UUID in any case, and keeps other ids apart from UUIDs with the same bytes', async () => {
    const ledger = new LocalLedger(tmp());
    const upper = 'F47AC10B-58CC-4372-A567-0E02B2C3D479';
    // The UUID whose 16 bytes are the ASCII of "abcdefghijklmnop".
    const asciiUuid = '61626364-6566-6768-696a-6b6c6d6e6f70';
    const got = await ledger.claim([
      { eventId: upper, position: '0:1' },
      { eventId: upper.toLowerCase(), position: '0:2' },
      { eventId: 'abcdefghijklmnop', position: '0:3' },
      { eventId: asciiUuid, position: '0:4' },
      { eventId: '', position: '0:5' },
    ]);
    expect([...got]).toEqual([[upper, '0:1'], [upper.toLowerCase(), '0:1'], ['abcdefghijklmnop', '0:3'], [asciiUuid, '0:4'], ['', '0:5']]);
    expect([...(await ledger.claim([{ eventId: upper.toLowerCase(), position: '1:1' }, { eventId: 'abcdefghijklmnop', position: '1:2' }]))]).toEqual([[upper.toLowerCase(), '0:1'], ['abcdefghijklmnop', '0:3']]);
    await ledger.close();
  });

  it('runs claims on one store one at a time: two at once on one id see one owner', async () => {
    const dir = tmp();
    const a = new LocalLedger(dir);
    const b = new LocalLedger(dir);
    const claims = (p: string) => Array.from({ length: 500 }, (_, i) => ({ eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, position: `${p}:${i}` }));
    const [x, y] = await Promise.all([a.claim(claims('0')), b.claim(claims('1'))]);
    expect([...x.values()]).toEqual([...y.values()]);
    expect(new Set([...x.values()].map((p) => p.split(':')[0])).size).toBe(1);
    await a.close();
    // b still has the store open (shared in this process).
    expect((await b.claim([{ eventId: 'late', position: '2:0' }])).get('late')).toBe('2:0');
    await b.close();
  });

  it('closes its store when the lake lock is released, so the next process can open it', async () => {
    const state = new LocalState(path.join(tmp(), '_state'));
    await state.lock.acquire();
    await state.ledger.claim([{ eventId: 'a', position: '0:1' }]);
    const raw = () => new ClassicLevel(path.join(state.dir, 'ledger'));
    // LevelDB's lock: the store cannot be opened twice at once.
    await expect(raw().open()).rejects.toMatchObject({ cause: { code: 'LEVEL_LOCKED' } });
    await state.lock.release();
    const other = raw();
    await other.open();
    await other.close();
    // Used again without the lock (tests do): it reopens.
    expect((await state.ledger.claim([{ eventId: 'a', position: '0:9' }])).get('a')).toBe('0:1');
    await state.ledger.close();
  });

  it('trusts no saved filter after a process died holding the store: what it claimed stays claimed', async () => {
    const dir = tmp();
    const [a, b] = ['f47ac10b-58cc-4372-a567-0e02b2c3d479', '0190f2a1-7c3e-7abc-8def-0123456789ab'];
    const first = new LocalLedger(dir);
    await first.claim([{ eventId: a, position: '0:1' }]);
    await claimMany(first, 100_000, 3); // enough for the filter
    await first.close(); // saves the filter (it has a, not b)
    // Another process opens the store (loading that filter), claims b and dies without closing.
    const compiled = path.resolve(__dirname, '../../../dist/src/adapters/local/local-ledger.js');
    const died = spawnSync(process.execPath, ['-e', `new (require(${JSON.stringify(compiled)}).LocalLedger)(${JSON.stringify(dir)}).claim([{ eventId: '${b}', position: '1:1' }]).then(() => process.exit(0))`], { encoding: 'utf8' });
    expect(died.stderr).toBe('');
    expect(died.status).toBe(0);
    expect(existsSync(path.join(dir, 'ledger-filter.bin'))).toBe(true);
    const after = new LocalLedger(dir);
    expect([...(await after.claim([{ eventId: a, position: '2:1' }, { eventId: b, position: '2:2' }]))]).toEqual([[a, '0:1'], [b, '1:1']]);
    await after.close();
  });

  it('imports a ledger.log that appears beside a store (an older version ran on the lake), and trusts no filter saved before', async () => {
    const dir = tmp();
    const [a, b] = ['f47ac10b-58cc-4372-a567-0e02b2c3d479', '9b2e1c3a-0000-4000-8000-000000000001'];
    const ledger = new LocalLedger(dir);
    await ledger.claim([{ eventId: a, position: '0:1' }]);
    await claimMany(ledger, 100_000, 4); // enough for the filter
    await ledger.close(); // saves the filter (it has a, not b)
    writeFileSync(path.join(dir, 'ledger.log'), `${b}\t3:3\n${a}\t4:4\n`);
    const reopened = new LocalLedger(dir);
    expect([...(await reopened.claim([{ eventId: a, position: '5:1' }, { eventId: b, position: '5:2' }]))]).toEqual([[a, '0:1'], [b, '3:3']]);
    await reopened.close();
  });
});
