import { csvField } from '../../src/gold/export';

describe('csvField', () => {
  it('guards text that a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    expect(['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map((v) => csvField(v, true))).toEqual([
      `"'=HYPERLINK(""http://x"",""y"")"`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`,
    ]);
  });

  it('leaves numbers, ordinary text and nulls as they are, quoting separators', () => {
    expect([csvField('-12.50', false), csvField('Widget', true), csvField(null, true), csvField('a,b', true), csvField(' x', true)]).toEqual(['-12.50', 'Widget', '', '"a,b"', '" x"']);
  });
});
