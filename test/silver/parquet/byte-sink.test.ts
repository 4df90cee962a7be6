import { ByteSink } from '../../../src/silver/parquet/byte-sink';

const hex = (s: ByteSink) => Buffer.from(s.view()).toString('hex');

describe('ByteSink', () => {
  it('writes little-endian integers and doubles, 64-bit ones from safe JS integers of either sign', () => {
    const s = new ByteSink(4);
    s.i32(-2);
    s.i64(2 ** 40 + 5);
    s.i64(-1);
    s.i64(-(2 ** 33));
    s.f64(-0);
    expect(hex(s)).toBe('feffffff' + '0500000000010000' + 'ffffffffffffffff' + '00000000feffffff' + '0000000000000080');
  });

  it('writes unsigned LEB128 varints', () => {
    const s = new ByteSink();
    for (const v of [0, 127, 128, 300, 2 ** 35]) s.varint(v);
    expect(hex(s)).toBe('00' + '7f' + '8001' + 'ac02' + '808080808001');
  });

  it('writes length-prefixed UTF-8 and says whether the text was all ASCII, short or long', () => {
    const s = new ByteSink(2);
    expect(s.lengthPrefixedUtf8('ab')).toBe(true);
    expect(s.lengthPrefixedUtf8('é')).toBe(false);
    expect(s.lengthPrefixedUtf8('😀')).toBe(false);
    expect(s.lengthPrefixedUtf8('\ud800')).toBe(false);
    expect(hex(s)).toBe('020000006162' + '02000000c3a9' + '04000000f09f9880' + '03000000efbfbd');
    const long = new ByteSink(2);
    expect(long.lengthPrefixedUtf8('x'.repeat(100))).toBe(true);
    expect(long.lengthPrefixedUtf8(`${'x'.repeat(100)}ü`)).toBe(false);
    expect(long.length).toBe(4 + 100 + 4 + 102);
  });

  it('patches a length written before its bytes, sets bits in the last byte, and lets a grown buffer go', () => {
    const s = new ByteSink(8);
    s.i32(0);
    s.u8(1);
    s.orLastByte(0x80);
    s.patchI32(0, 7);
    expect(hex(s)).toBe('0700000081');
    s.bytes(new Uint8Array(100));
    s.release(64);
    expect(s.length).toBe(0);
    s.u8(9);
    expect(hex(s)).toBe('09');
  });
});
