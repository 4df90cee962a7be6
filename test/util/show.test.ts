import { show } from '../../src/util/show';

describe('show', () => {
  it('prints short values as JSON, numbers as they are', () => {
    expect([show('Paris'), show(-0), show(1e21), show(undefined), show(null), show([1, { a: 'b' }])]).toEqual(['"Paris"', '-0', '1e+21', 'undefined', 'null', '[1,{"a":"b"}]']);
  });

  it('cuts long strings at 120 characters and says how long they were', () => {
    expect(show('y'.repeat(1_000_000))).toBe(`"${'y'.repeat(119)}…(1000000 chars)`);
  });

  it('cuts deep or wide structures without serialising them', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(show(deep)).toBe(`${'['.repeat(120)}…(cut)`);
  });
});
