import { applyActions, dropExpired, emptyState, parseStats } from '../../src/delta/replay';
import type { Action } from '../../src/delta';

const add = (path: string, size = 1): Action => ({ add: { path, partitionValues: {}, size, modificationTime: 0, dataChange: true } });
const remove = (path: string, deletionTimestamp?: number): Action => ({ remove: { path, dataChange: true, ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }) } });

describe('applyActions', () => {
  it('keeps the newest action per path: re-added files leave the tombstones, removed ones the live set', () => {
    const s = emptyState();
    applyActions(s, [add('a'), add('b'), { txn: { appId: 'x', version: 5 } }], 'v0');
    applyActions(s, [remove('a', 100), add('b', 2), { txn: { appId: 'x', version: 2 } }], 'v1');
    applyActions(s, [add('a', 3), remove('b', 200)], 'v2');
    expect([...s.files.values()].map((f) => [f.key, f.add.size])).toEqual([['a', 3]]);
    expect([...s.tombstones.values()].map((t) => [t.key, t.deletionTimestamp])).toEqual([['b', 200]]);
    expect(s.txns.get('x')?.version).toBe(2);
  });

  it('decodes keys once and reads a missing deletionTimestamp as 0', () => {
    const s = emptyState();
    applyActions(s, [add('p=a%253Ab/x%20y.parquet'), remove('gone.parquet')], 'v0');
    expect([...s.files.values()][0]!.key).toBe('p=a%3Ab/x y.parquet');
    expect(s.tombstones.get('gone.parquet')!.deletionTimestamp).toBe(0);
  });
});

describe('dropExpired', () => {
  it('drops tombstones at or before now - retention, and txns past their retention only when one is set', () => {
    const s = emptyState();
    applyActions(s, [remove('old', 100), remove('edge', 900), remove('new', 901), { txn: { appId: 'a', version: 1, lastUpdated: 10 } }, { txn: { appId: 'b', version: 1 } }], 'v0');
    dropExpired(s, 1000, 100, undefined);
    expect([...s.tombstones.keys()]).toEqual(['new']);
    expect([...s.txns.keys()]).toEqual(['a', 'b']);
    dropExpired(s, 1000, 100, 500);
    expect([...s.txns.keys()]).toEqual(['b']); // no lastUpdated: never expires
  });
});

describe('parseStats', () => {
  it('parses the stats string, and says where it is not a JSON object', () => {
    expect(parseStats('{"numRecords":3}', 'w')).toEqual({ numRecords: 3 });
    expect(parseStats(undefined, 'w')).toBeUndefined();
    expect(() => parseStats('[1]', 'f.json add a')).toThrow('f.json add a: expected add.stats to be a JSON object in a string, got "[1]" (not an object)');
  });
});
