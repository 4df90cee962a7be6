import { ByteSink } from '../../../src/silver/parquet/byte-sink';
import { recordListLeaf, stringListLeaf } from '../../../src/silver/parquet/list-leaves';

describe('stringListLeaf', () => {
  it('gives Dremel levels: repetition 0 starts a row; definition 0 null list, 1 empty, 2 null element, 3 value', () => {
    const rows = [['a', 'b'], null, [], ['c', null, 'd']];
    const leaf = stringListLeaf('tags', rows, (r) => r, new ByteSink());
    expect([leaf.path, [...leaf.reps!], [...leaf.defs], leaf.count, leaf.rowNulls, leaf.min, leaf.max]).toEqual([
      ['tags', 'list', 'element'], [0, 1, 0, 0, 0, 1, 1], [3, 3, 0, 1, 3, 2, 3], 4, 1, 'a', 'd',
    ]);
  });
});

describe('recordListLeaf', () => {
  it('gives each field its levels: 0 null list, 1 empty, 2 null record, 3 null field, 4 value', () => {
    const rows = [[{ code: 'x', message: 'm' }, null], null, [], [{ code: null, message: 'n' }]];
    const leaf = recordListLeaf('errors', 'code', rows, (r) => r, new ByteSink());
    expect([leaf.path, [...leaf.reps!], [...leaf.defs], leaf.count, leaf.rowNulls]).toEqual([
      ['errors', 'list', 'element', 'code'], [0, 1, 0, 0, 0], [4, 2, 0, 1, 3], 1, 1,
    ]);
  });

  it('refuses a field that is not text, saying where it is', () => {
    expect(() => recordListLeaf('errors', 'code', [[{ code: 7 as never }]], (r) => r, new ByteSink())).toThrow('parquet: column errors[0].code expects a string or null, got number 7');
  });
});
