import { landingLines, type LineBlock } from '../../../src/adapters/local/landing-lines';

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
        { number: 1, offset: 0, end: 9, bytes: 7, blank: false, body: '{"a":1}' },
        { number: 2, offset: 9, end: 12, bytes: 2, blank: true, body: undefined },
        { number: 3, offset: 12, end: 20, bytes: 7, blank: false, body: '{"b":2}' },
        { number: 4, offset: 20, end: 23, bytes: 1, blank: true, body: undefined },
        { number: 5, offset: 23, end: 30, bytes: 7, blank: false, body: '{"c":3}' },
      ],
    });
  });

  it('leaves a last line without its newline for later when told (a writer may be writing it)', async () => {
    const r = await all(landingLines(chunks('{"a":1}\n{"b"'), { last: false }));
    expect(r.lines.map((l) => [l.body, l.end])).toEqual([['{"a":1}', 8]]);
  });

  it('counts offsets from where reading starts; a byte order mark is dropped only at the file\'s start', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const atStart = await all(landingLines(chunks(Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('b\n')]))));
    expect(atStart.lines.map((l) => [l.offset, l.end, l.bytes, l.body])).toEqual([[0, 11, 7, '{"a":1}'], [11, 16, 4, '\ufeffb']]);
    const later = await all(landingLines(chunks(Buffer.concat([bom, Buffer.from('x\n')])), { from: 100 }));
    expect(later.lines.map((l) => [l.offset, l.end, l.body])).toEqual([[100, 105, '\ufeffx']]);
  });

  it('cuts a line only when its body, without CR and LF, is over the limit', async () => {
    const r = await all(landingLines(chunks(`${'a'.repeat(10)}\n${'b'.repeat(10)}\r\n`, 'c'.repeat(6), `${'c'.repeat(4)}\r`, `\n${'d'.repeat(11)}\n${'e'.repeat(10)}`), { maxLineBytes: 10 }));
    expect(r.lines.map((l) => [l.body, l.bytes, l.end, l.cut ?? false])).toEqual([
      ['a'.repeat(10), 10, 11, false],
      ['b'.repeat(10), 10, 23, false],
      ['c'.repeat(10), 10, 35, false], // across chunks, its CR in one and its LF in the next
      ['d'.repeat(10), 11, 47, true],
      ['e'.repeat(10), 10, 57, false],
    ]);
  });

  it('takes a file of only a byte order mark and blank lines as blank', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect((await all(landingLines(chunks(bom)))).lines.map((l) => [l.blank, l.bytes, l.body])).toEqual([[true, 0, undefined]]);
    expect((await all(landingLines(chunks(Buffer.concat([bom, Buffer.from('\r\n  \n')]))))).blank).toBe(2);
  });

  it('keeps a line that is not UTF-8 as base64, and the lines beside it as text', async () => {
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const r = await all(landingLines(chunks(Buffer.concat([Buffer.from('{"ok":1}\n'), bad, Buffer.from('\n"é"\n')]))));
    expect(r.lines).toEqual([
      { number: 1, offset: 0, end: 9, bytes: 8, blank: false, body: '{"ok":1}' },
      { number: 2, offset: 9, end: 14, bytes: 4, blank: false, body: undefined, base64: bad.toString('base64') },
      { number: 3, offset: 14, end: 19, bytes: 4, blank: false, body: '"é"' },
    ]);
  });

  it('joins a line longer than many chunks', async () => {
    const long = 'x'.repeat(100_000);
    const parts = long.match(/.{1,1000}/g)!;
    const r = await all(landingLines(chunks(...parts, '\nnext')));
    expect(r.lines.map((l) => [l.number, l.body?.length])).toEqual([[1, 100_000], [2, 4]]);
  });

  it('cuts a line over the limit to its first bytes, within a chunk or across many, keeping its true length and end', async () => {
    const r = await all(landingLines(chunks('ok\n', 'y'.repeat(25), 'z'.repeat(25), '\r\nab', 'cdefghijklmnopqrstuvwxyz0123456789\n', ' '.repeat(25), 'x\nend'), { maxLineBytes: 20 }));
    expect(r.lines.map((l) => [l.number, l.offset, l.end, l.bytes, l.body, l.cut ?? false, l.blank])).toEqual([
      [1, 0, 3, 2, 'ok', false, false],
      [2, 3, 55, 50, 'y'.repeat(20), true, false], // 50 bytes, then a CRLF
      [3, 55, 92, 36, 'abcdefghijklmnopqrst', true, false],
      [4, 92, 119, 26, ' '.repeat(20), true, false], // what follows its cut is not known: never taken as blank
      [5, 119, 122, 3, 'end', false, false],
    ]);
  });
});
