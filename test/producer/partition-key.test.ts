import * as path from 'node:path';
import { partitionForKey } from '../../producer/partition-key';

// The SDK's own mapping (internal module of @azure/event-hubs): ours must agree with it,
// or events of one order could land in two partitions when other producers use keys.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require(path.join(path.dirname(require.resolve('@azure/event-hubs')), 'impl/partitionKeyToIdMapper.js')) as {
  mapPartitionKeyToId(key: string, count: number): number;
};

describe('partitionForKey', () => {
  it('agrees with the Event Hubs SDK for order ids, odd lengths and non-ASCII keys', () => {
    const keys = [
      ...Array.from({ length: 3000 }, (_, i) => `ORD-${10_000_000 + i * 7}`),
      ...Array.from({ length: 40 }, (_, i) => 'k'.repeat(i)),
      'é', 'Ünïcödé-ORD-000123', '🙂🙂',
    ];
    for (const count of [1, 2, 4, 7, 32]) {
      const mismatched = keys.filter((k) => partitionForKey(k, count) !== sdk.mapPartitionKeyToId(k, count));
      expect(mismatched).toEqual([]);
    }
  });
  it('spreads keys over every partition', () => {
    const seen = new Set(Array.from({ length: 400 }, (_, i) => partitionForKey(`ORD-${1_000_000 + i}`, 4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});
