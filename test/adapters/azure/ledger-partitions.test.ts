import { claimInPartition, existingAt, ledgerPartition, readOwners } from '../../../src/adapters/azure/ledger-partitions';
import { Random } from '../../../producer/random';
import { useAzurite } from '../../helpers/use-azurite';

const azurite = useAzurite();

const table = () => azurite.table('p');

describe('ledgerPartition', () => {
  it('is FNV-1a of the id modulo the bucket count: a fixed layout (changing it would lose every earlier claim)', () => {
    // Published FNV-1a 32-bit values: "a" = 0xe40c292c, "foobar" = 0xbf9cf968.
    expect(ledgerPartition('a', 32)).toBe(`b32-${0xe40c292c % 32}`);
    expect(ledgerPartition('foobar', 1000)).toBe('b1000-720');
    expect(ledgerPartition('foobar', 32)).toBe(`b32-${String(0xbf9cf968 % 32).padStart(2, '0')}`);
    expect(ledgerPartition('x', 1)).toBe('b1-0');
  });

  it('spreads time-ordered UUIDs (one shared prefix) evenly, where a prefix would put them all in one partition', () => {
    const rnd = new Random(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 32_000; i++) {
      // UUIDv7-like: the first 48 bits are one millisecond timestamp.
      const id = `0190f2a1-7c3e-7${rnd.uuid().slice(15)}`;
      counts.set(ledgerPartition(id, 32), (counts.get(ledgerPartition(id, 32)) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    for (const c of counts.values()) {
      expect(c).toBeGreaterThan(850);
      expect(c).toBeLessThan(1150);
    }
  });
});

describe('existingAt', () => {
  const conflict = (message: string, code = 'EntityAlreadyExists') => Object.assign(new Error(message), { statusCode: 409, code });

  it('reads the failing operation from the message, and tells other errors apart', () => {
    expect(existingAt(conflict('3:The specified entity already exists.\nRequestId:x'), 6)).toBe(3);
    expect(existingAt(conflict('The specified entity already exists.'), 6)).toBe('unknown');
    expect(existingAt(conflict('7:The specified entity already exists.'), 6)).toBe('unknown');
    expect(existingAt(conflict('0:The table is being deleted.', 'TableBeingDeleted'), 6)).toBeUndefined();
    expect(existingAt(Object.assign(new Error('0:precondition'), { statusCode: 412 }), 6)).toBeUndefined();
    expect(existingAt(new Error('socket hang up'), 6)).toBeUndefined();
  });

  it('finds the index where the SDK and Azurite put it: a failed EGT names its first existing entity', async () => {
    const t = await table();
    await t.createEntity({ partitionKey: 'p', rowKey: 'r3', owner: 'x' });
    await t.createEntity({ partitionKey: 'p', rowKey: 'r5', owner: 'y' });
    const error = await t.submitTransaction([0, 1, 2, 3, 4, 5].map((i) => ['create', { partitionKey: 'p', rowKey: `r${i}`, owner: 'me' }])).then(() => undefined, (e: unknown) => e);
    expect(existingAt(error, 6)).toBe(3);
    // Atomic: nothing of the failed transaction was written.
    expect([...(await readOwners(t, 'p', ['r0', 'r3', 'r4'], 2)).entries()].map(([id, e]) => [id, e.owner])).toEqual([['r3', 'x']]);
  });
});

describe('claimInPartition', () => {
  it('inserts the new ids and reads the existing ones, whatever their place in the transaction', async () => {
    const t = await table();
    await claimInPartition(t, 'q', [{ eventId: 'a', position: '0:1' }, { eventId: 'd', position: '0:4' }], 2);
    const owners = await claimInPartition(t, 'q', ['a', 'b', 'c', 'd', 'e'].map((eventId, i) => ({ eventId, position: `1:${i}` })), 2);
    expect([...owners].sort()).toEqual([['a', '0:1'], ['b', '1:1'], ['c', '1:2'], ['d', '0:4'], ['e', '1:4']]);
  });
});
