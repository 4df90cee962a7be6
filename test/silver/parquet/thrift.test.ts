import { ByteSink } from '../../../src/silver/parquet/byte-sink';
import { CompactWriter } from '../../../src/silver/parquet/thrift';

function bytesOf(write: (w: CompactWriter) => void): string {
  const sink = new ByteSink();
  write(new CompactWriter(sink));
  return Buffer.from(sink.view()).toString('hex');
}

describe('CompactWriter', () => {
  it('writes fields as deltas of their ids with zigzag varints, and a long header past a delta of 15', () => {
    expect(bytesOf((w) => {
      w.i32(1, 0);
      w.i32(3, -1);
      w.i64(20, 150);
      w.bool(21, true);
      w.bool(22, false);
      w.end();
    })).toBe('1500' + '2501' + '0628ac02' + '11' + '12' + '00');
  });

  it('writes nested structs (each with its own field ids), binary and string fields', () => {
    expect(bytesOf((w) => {
      w.struct(2);
      w.i32(1, 5);
      w.end();
      w.string(3, 'hé');
      w.end();
    })).toBe('2c' + '150a' + '00' + '1803' + '68c3a9' + '00');
  });

  it('writes lists: short and long size headers, i32, string and struct elements', () => {
    expect(bytesOf((w) => {
      w.list(1, 'i32', 2);
      w.listI32(0);
      w.listI32(8);
      w.list(2, 'binary', 1);
      w.listString('a');
      w.list(3, 'struct', 15);
      for (let i = 0; i < 15; i++) {
        w.listStruct();
        w.end();
      }
      w.end();
    })).toBe('19' + '25' + '00' + '10' + '19' + '18' + '0161' + '19' + 'fc0f' + '00'.repeat(15) + '00');
  });

  it('refuses an integer it cannot write exactly', () => {
    expect(() => bytesOf((w) => w.i64(1, 2 ** 53))).toThrow('thrift: expected an integer within ±2^51, got 9007199254740992');
  });
});
