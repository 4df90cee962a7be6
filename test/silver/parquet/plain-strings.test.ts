import { ByteSink } from '../../../src/silver/parquet/byte-sink';
import { PlainStringsBuilder, plainBytes } from '../../../src/silver/parquet/plain-strings';

function built(values: string[]): { b: PlainStringsBuilder; arena: ByteSink } {
  const arena = new ByteSink(4);
  arena.u8(0xaa); // strings start after bytes already in the arena
  const b = new PlainStringsBuilder(arena, 1);
  for (const v of values) b.add(v);
  return { b, arena };
}

describe('PlainStringsBuilder', () => {
  it('encodes each value once, as PLAIN bytes in the shared arena, growing past its first capacity', () => {
    const { b, arena } = built(Array.from({ length: 40 }, (_, i) => `v${i}`));
    expect(b.count).toBe(40);
    expect(arena.length).toBe(1 + 10 * 6 + 30 * 7);
  });

  it('keeps min and max in UTF-8 byte order, also after ASCII values compared the cheap way', () => {
    const { b } = built(['m', 'b', 'y', '\uffff', '😀', 'a']);
    expect([b.min, b.max]).toEqual(['a', '😀']);
  });

  it('bounds a lone surrogate as the U+FFFD the file holds', () => {
    const { b } = built(['\ud800', 'z']);
    expect([b.min, b.max]).toEqual(['z', '\ufffd']);
  });
});

describe('plainBytes', () => {
  it('is the bytes of a range of values, length prefixes included', () => {
    const { b } = built(['a', 'bc', 'd']);
    const s = b.finish();
    expect(Buffer.from(plainBytes(s, 1, 3)).toString('hex')).toBe('020000006263' + '0100000064');
    expect(plainBytes(s, 0, 0).length).toBe(0);
    expect(plainBytes(s, 0, 3).length).toBe(5 + 6 + 5);
  });
});
