import { landingLines, type LineBlock } from '../../src/cli/landing-lines';

async function* chunks(...parts: Array<Buffer | string>) {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function all(blocks: AsyncIterable<LineBlock>) {
  const lines = [];
  let blank = 0;
  for await (const b of blocks) {
    lines.push(...b.lines);
    blank += b.blank;
  }
  return { lines, blank };
}

describe('landingLines', () => {
  it('reads lines as a run does: CRLF, blank lines, a last line without newline, lines split across chunks', async () => {
    const r = await all(landingLines(chunks('{"a":1}\r\n  \n{"b"', ':2}\n\t\r\n', '{"c":3}')));
    expect(r).toEqual({
      blank: 2,
      lines: [
        { number: 1, offset: 0, body: '{"a":1}' },
        { number: 3, offset: 12, body: '{"b":2}' },
        { number: 5, offset: 23, body: '{"c":3}' },
      ],
    });
  });

  it('keeps a line that is not UTF-8 as base64, and the lines beside it as text', async () => {
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const r = await all(landingLines(chunks(Buffer.concat([Buffer.from('{"ok":1}\n'), bad, Buffer.from('\n"é"\n')]))));
    expect(r.lines).toEqual([
      { number: 1, offset: 0, body: '{"ok":1}' },
      { number: 2, offset: 9, body: undefined, base64: bad.toString('base64') },
      { number: 3, offset: 14, body: '"é"' },
    ]);
  });

  it('joins a line longer than many chunks', async () => {
    const long = 'x'.repeat(100_000);
    const parts = long.match(/.{1,1000}/g)!;
    const r = await all(landingLines(chunks(...parts, '\nnext')));
    expect(r.lines.map((l) => [l.number, l.body?.length])).toEqual([[1, 100_000], [2, 4]]);
  });
});
