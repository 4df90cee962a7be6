// The cycle runner of figure 7 alone: its windows, its table from given records, and a tiny real run through the built file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cycleWindows, cyclesMarkdown } from '../../bench/cycles';
import { emptyReadCounts } from '../../bench/counting-lake';
import type { CycleRecord } from '../../bench/aging';

jest.setTimeout(180_000);

const record = (cycle: number, seconds: number, files: number): CycleRecord => ({
  cycle, events: 10, seconds, goldFilesRead: 0, filesInLake: { gold: cycle, silver: 2 * cycle },
  reads: { ...emptyReadCounts(), files, bytes: files * 10_000, log: { files: files - 1, bytes: 50_000 } },
});

describe('cycleWindows', () => {
  it("takes the issue's windows from 40 cycles on, and the last tenth too from 80", () => {
    expect(cycleWindows(10)).toEqual([{ from: 2, to: 3 }, { from: 10, to: 10 }]);
    expect(cycleWindows(40)).toEqual([{ from: 5, to: 9 }, { from: 37, to: 40 }]);
    expect(cycleWindows(80)).toEqual([{ from: 5, to: 9 }, { from: 37, to: 40 }, { from: 73, to: 80 }]);
  });
});

describe('cyclesMarkdown', () => {
  it("gives each measure's median per window and the ratio of each window to the one before", () => {
    const records = Array.from({ length: 40 }, (_, i) => record(i + 1, i < 20 ? 1 : 1.5, i < 20 ? 100 : 120));
    expect(cyclesMarkdown(records)).toEqual([
      '| per cycle, median | cycles 5-9 | cycles 37-40 | 37-40 / 5-9 |',
      '|---|---|---|---|',
      '| wall seconds | 1.00 | 1.50 | 1.50× |',
      '| lake files opened | 100 | 120 | 1.20× |',
      '| bytes read | 1.0 MB | 1.2 MB | 1.20× |',
      '| Delta log files read | 99 | 119 | 1.20× |',
      '| Delta log bytes read | 50 kB | 50 kB | 1.00× |',
      '',
      '40 cycles, 400 events; files in the lake at the end, by area: gold 40, silver 80.',
    ]);
  });
});

describe('bench/cycles (small run)', () => {
  it('runs the cycles through the local runner and prints the table', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orderlake-cycles-'));
    try {
      const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/bench/cycles.js'), '--cycles', '3', '--events-per-cycle', '60', '--days', '10', '--dir', dir], { encoding: 'utf8' });
      expect(r.stderr).toContain('cycles: 3 of 3:');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\| lake files opened \| [\d,]+ \| [\d,]+ \| [\d.]+× \|$/m);
      expect(r.stdout).toMatch(/^3 cycles, 180 events; files in the lake at the end, by area: .*silver \d+/m);
      expect(existsSync(path.join(dir, 'cycles.csv'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its options on --help, and names a wrong value with exit code 2', () => {
    const script = path.resolve(__dirname, '../../dist/bench/cycles.js');
    const help = spawnSync(process.execPath, [script, '--help'], { encoding: 'utf8' });
    expect([help.status, help.stdout.split('\n')[0]]).toEqual([0, 'usage: node dist/bench/cycles.js [options]']);
    expect(help.stdout).toContain('  --cycles N            cycles to run (default: 40)\n');
    const wrong = spawnSync(process.execPath, [script, '--cycles', 'forty'], { encoding: 'utf8' });
    expect([wrong.status, wrong.stderr.split('\n')[0]]).toEqual([2, "expected --cycles to be a number, got 'forty'"]);
  });
});
