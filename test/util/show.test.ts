import { escapeControls, show } from '../../src/util/show';

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

  it('escapes what JSON leaves raw and a terminal acts on: C1 controls, bidi overrides, line separators', () => {
    expect(show('EU\u009b31m\u202eROPE\u2028x')).toBe('"EU\\u009b31m\\u202eROPE\\u2028x"');
    expect(show('\u001b[2J')).toBe('"\\u001b[2J"');
  });
});

describe('escapeControls', () => {
  it('writes every control character as a \\uXXXX escape and leaves other text alone', () => {
    expect(escapeControls('a\u001b[2J\u0007\u007f\u0085\u200f\u2066b é 😀')).toBe('a\\u001b[2J\\u0007\\u007f\\u0085\\u200f\\u2066b é 😀');
  });
});
