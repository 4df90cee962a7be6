import { Utf8Writer } from '../../src/util/utf8-writer';

describe('Utf8Writer', () => {
  it('gives the UTF-8 bytes of everything written, growing past its first buffer, with multi-byte and surrogate pairs whole', () => {
    const w = new Utf8Writer(4);
    const pieces = ['{"a":1}\n', 'é€', '😀 ', 'x'.repeat(100), '', '\u00ff\n'];
    for (const p of pieces) w.write(p);
    expect(w.bytes().toString('utf8')).toBe(pieces.join(''));
    expect(w.length).toBe(Buffer.byteLength(pieces.join('')));
    expect([...w.bytes().subarray(0, 8)]).toEqual([...Buffer.from('{"a":1}\n')]);
  });
  it('is empty before any write', () => {
    expect(new Utf8Writer().bytes().length).toBe(0);
  });
});
