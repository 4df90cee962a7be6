import { UuidOwnerIndex } from '../../../src/adapters/local/uuid-owner-index';
import { uuid } from '../../helpers/events';

describe('UuidOwnerIndex', () => {
  it('behaves like a Map through growth, updates and deletes (checked against a Map)', () => {
    const idx = new UuidOwnerIndex(4);
    const ref = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) {
      const id = i % 3 === 0 ? uuid(i).toUpperCase() : uuid(i);
      const pos = `${i % 4}:${i * 7}`;
      idx.set(id, pos);
      ref.set(id, pos);
    }
    for (let i = 0; i < 20_000; i += 5) {
      const id = i % 3 === 0 ? uuid(i).toUpperCase() : uuid(i);
      idx.delete(id);
      ref.delete(id);
    }
    idx.set(uuid(1), '9:1');
    ref.set(uuid(1), '9:1');
    expect(idx.size).toBe(ref.size);
    for (let i = 0; i < 20_500; i++) {
      const id = i % 3 === 0 ? uuid(i).toUpperCase() : uuid(i);
      expect(idx.get(id)).toBe(ref.get(id));
    }
  });

  it('keeps ids that are not UUIDs and positions it cannot pack', () => {
    const idx = new UuidOwnerIndex();
    idx.set('evt-1', '0:1');
    idx.set(uuid(5), 'partition-with:colon:99999999999999');
    expect([idx.get('evt-1'), idx.get(uuid(5)), idx.get('nope'), idx.size]).toEqual(['0:1', 'partition-with:colon:99999999999999', undefined, 2]);
  });

  it('gives back every position exactly as it was set: sequence limits, leading zeros, moves between table and Map', () => {
    const idx = new UuidOwnerIndex();
    const positions = ['3:4294967295', '3:4294967296', '2:007', '1:0', '1:-1', '1:1.5', 'p', ':5'];
    positions.forEach((p, i) => idx.set(uuid(100 + i), p));
    expect(positions.map((_, i) => idx.get(uuid(100 + i)))).toEqual(positions);
    // An id moves from the Map back into the table (and out again) without leaving a copy behind.
    idx.set(uuid(101), '3:5');
    idx.set(uuid(100), '3:4294967296');
    expect([idx.get(uuid(101)), idx.get(uuid(100)), idx.size]).toEqual(['3:5', '3:4294967296', positions.length]);
    idx.delete(uuid(101));
    idx.delete(uuid(100));
    expect([idx.get(uuid(101)), idx.get(uuid(100)), idx.size]).toEqual([undefined, undefined, positions.length - 2]);
  });
});
