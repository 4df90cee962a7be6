import { ByteSink } from '../../../src/silver/parquet/byte-sink';
import { bitWidth, writeHybrid } from '../../../src/silver/parquet/hybrid';

function encoded(values: number[], width: number, start = 0, end = values.length): string {
  const s = new ByteSink();
  writeHybrid(s, values, start, end, width);
  return Buffer.from(s.view()).toString('hex');
}

describe('bitWidth', () => {
  it('is the bits needed for 0..max, at least 1', () => {
    expect([0, 1, 2, 3, 4, 255, 256].map(bitWidth)).toEqual([1, 1, 2, 2, 3, 8, 9]);
  });
});

describe('writeHybrid', () => {
  it('writes a repeat of 8 or more as one RLE run: header count*2, then the value in whole bytes', () => {
    expect(encoded(new Array(1000).fill(1), 1)).toBe('d00f01');
    expect(encoded(new Array(10).fill(300), 9)).toBe('142c01');
  });

  it('bit-packs the rest in groups of 8, least significant bit first, the last group padded', () => {
    // [1,0,1] width 1: one group, header 1*2+1 = 3, bits 101 -> 0x05.
    expect(encoded([1, 0, 1], 1)).toBe('0305');
    // width 3, values 0..7: 0b10001000 0b11000110 0b11111010 (the spec's example).
    expect(encoded([0, 1, 2, 3, 4, 5, 6, 7], 3)).toBe('03' + '88c6fa');
  });

  it('mixes runs and packed groups, and encodes only [start, end)', () => {
    const values = [1, 0, 1, 0, 1, 0, 1, 0, ...new Array(9).fill(1), 0];
    expect(encoded(values, 1)).toBe('0355' + '1201' + '0300');
    expect(encoded([7, 7, 1, 0, 1, 7], 1, 2, 5)).toBe('0305');
  });

  it('refuses a bit width it does not handle', () => {
    expect(() => encoded([1], 25)).toThrow('hybrid encoding: expected a bit width in 1..24, got 25');
  });
});
