import { leafOf, typeError } from '../../../src/silver/parquet/leaf';

describe('leafOf', () => {
  it('counts one level per definition level and carries a dictionary as indices and values', () => {
    const leaf = leafOf(['c'], 'string', 1, 0, Uint8Array.of(1, 0, 1), null, null, 2, 'a', 'b', 1, { indices: Int32Array.of(0, 1), values: ['a', 'b'] });
    expect([leaf.levels, leaf.count, leaf.rowNulls, leaf.dictionary, [...leaf.indices!]]).toEqual([3, 2, 1, ['a', 'b'], [0, 1]]);
  });
});

describe('typeError', () => {
  it('says the column, what was expected and what came, cut to 40 characters', () => {
    expect(typeError('city', 'a string', 5).message).toBe('parquet: column city expects a string or null, got number 5');
    expect(typeError('city', 'a date string', 'x'.repeat(50)).message).toBe(`parquet: column city expects a date string or null, got string "${'x'.repeat(40)}"`);
  });
});
