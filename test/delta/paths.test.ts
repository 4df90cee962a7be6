import { checkpointPath, commitPath, formatVersion, fromLogPath, lastCheckpointPath, logDir, parseLogFileName, toLogPath } from '../../src/delta/paths';

describe('formatVersion', () => {
  it('pads to 20 digits and refuses non-versions', () => {
    expect(formatVersion(42)).toBe('00000000000000000042');
    expect(() => formatVersion(-1)).toThrow('expected a table version (integer >= 0), got -1');
  });
});

describe('log file paths', () => {
  it('name commits, checkpoints and the hint under <table>/_delta_log', () => {
    expect([logDir('gold/t'), commitPath('gold/t', 7), checkpointPath('gold/t', 10), lastCheckpointPath('gold/t')]).toEqual([
      'gold/t/_delta_log',
      'gold/t/_delta_log/00000000000000000007.json',
      'gold/t/_delta_log/00000000000000000010.checkpoint.parquet',
      'gold/t/_delta_log/_last_checkpoint',
    ]);
  });
});

describe('parseLogFileName', () => {
  it('recognises commits, classic and multi-part checkpoints, and nothing else', () => {
    expect(parseLogFileName('t/_delta_log/00000000000000000007.json')).toEqual({ kind: 'commit', version: 7 });
    expect(parseLogFileName('00000000000000000010.checkpoint.parquet')).toEqual({ kind: 'checkpoint', version: 10, part: 1, parts: 1 });
    expect(parseLogFileName('00000000000000000010.checkpoint.0000000002.0000000003.parquet')).toEqual({ kind: 'checkpoint', version: 10, part: 2, parts: 3 });
    expect(['_last_checkpoint', '00000000000000000007.crc', '00000000000000000010.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.parquet', '7.json', '.00000000000000000007.json.tmp'].map((n) => parseLogFileName(n))).toEqual([
      undefined, undefined, undefined, undefined, undefined,
    ]);
  });
});

describe('toLogPath', () => {
  it('leaves Hive-style keys as they are and percent-encodes what a URI path cannot hold', () => {
    expect(toLogPath('order_date=2026-01-05/part-00000-1.c000.snappy.parquet')).toBe('order_date=2026-01-05/part-00000-1.c000.snappy.parquet');
    expect(toLogPath('p=a%3Ab/x y#1?.parquet')).toBe('p=a%253Ab/x%20y%231%3F.parquet'); // the folder's %3A is encoded once more
    expect(toLogPath('d=é/ts=2026-01-05 10:00:00/a*b.parquet')).toBe('d=%C3%A9/ts=2026-01-05%2010%3A00%3A00/a%2Ab.parquet');
  });
});

describe('fromLogPath', () => {
  it('decodes once, so it inverts toLogPath', () => {
    for (const key of ['p=a%3Ab/x y#1?.parquet', 'd=é/a+b.parquet', 'plain/file.parquet']) expect(fromLogPath(toLogPath(key), 'w')).toBe(key);
  });

  it('refuses absolute paths and broken escapes', () => {
    expect(() => fromLogPath('abfss://c@a.dfs.core.windows.net/t/x.parquet', 'f')).toThrow('f: expected a path relative to the table root, got "abfss://c@a.dfs.core.windows.net/t/x.parquet" (absolute paths are not supported)');
    expect(() => fromLogPath('x%zz.parquet', 'f')).toThrow('f: expected a percent-encoded URI path, got "x%zz.parquet"');
  });
});
