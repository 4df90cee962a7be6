// Not a timed test: this only checks that the silver writers' benchmark runs at a tiny size and
// prints a row per writer with every figure; it asserts nothing about speed.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(180_000);

describe('bench/silver-parquet (tiny size)', () => {
  it('prints a table row with CPU, wall and byte figures for each writer, and the yardstick', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.resolve(__dirname, '../../dist/bench/silver-parquet.js'), '--batches', '1', '--repeats', '1'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const figures = String.raw`\| [\d.]+ \| [\d.]+ \| \*\*[\d.]+\*\* \| [\d.]+ \| \d+ \| \d+ \|`;
    for (const writer of ['JSON lines \\(today\\)', 'orderlake Parquet writer', 'DuckDB appender \\+ COPY', 'DuckDB read_json \\+ COPY']) {
      expect(r.stdout).toMatch(new RegExp(`^\\| ${writer} ${figures}`, 'm'));
    }
    expect(r.stdout).toMatch(/^1 batches of 1,000 generated events \(\d+ silver events, \d+ lines/m);
    expect(r.stdout).toMatch(/Yardstick: JSON.parse of the same bodies took [\d.]+ CPU µs per event/);
  });
});
