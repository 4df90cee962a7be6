// The date-rewrite measurement: its table from given rows, and a small real run through the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dateRewriteMarkdown, type DateRewriteRow } from '../../bench/date-rewrite';

jest.setTimeout(180_000);

const cost = (wallS: number, maxRssMB: number) => ({ code: 0, wallS, userS: wallS, systemS: 0, maxRssMB });

describe('dateRewriteMarkdown', () => {
  it('gives seconds per million orders and extrapolates the largest row linearly', () => {
    const rows: DateRewriteRow[] = [
      { events: 200_000, orders: 50_000, dates: 2, full: cost(4, 300), incremental: cost(2, 310), workBytes: 10e6 },
      { events: 800_000, orders: 200_000, dates: 2, full: cost(12, 500), incremental: cost(6, 520), workBytes: 40e6 },
    ];
    expect(dateRewriteMarkdown(rows, 20_000_000)).toEqual([
      '| events | orders | order dates | full gold run, s | incremental run (+1%), s | its peak RSS, MB | work data of the date(s), MB | incremental s per million orders |',
      '|---|---|---|---|---|---|---|---|',
      '| 200,000 | 50,000 | 2 | 4.0 | 2.0 | 310 | 10.0 | 40.0 |',
      '| 800,000 | 200,000 | 2 | 12.0 | 6.0 | 520 | 40.0 | 30.0 |',
      '',
      'Linear from the largest row to 20,000,000 orders on one date: an incremental run of about 600 s and 4.0 GB of work data to read and write again.',
    ]);
  });
});

describe('bench/date-rewrite (small run)', () => {
  it('measures a full and an incremental gold run on a lake of one day', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orderlake-date-rewrite-'));
    try {
      const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/bench/date-rewrite.js'), '--events', '3000', '--dir', dir], { encoding: 'utf8' });
      expect(r.stderr).toContain('date-rewrite: 3000 events of one day asked for');
      expect(r.status).toBe(0);
      // Figures are formatted en-US: a slow machine's seconds per million orders can reach 1,194.1.
      const row = /^\| ([\d,]+) \| ([\d,]+) \| (\d) \| [\d,.]+ \| ([\d,.]+) \| [\d,]+ \| ([\d,.]+) \| [\d,.]+ \|$/m.exec(r.stdout);
      expect(row).not.toBeNull();
      const num = (i: number) => Number(row![i]!.replace(/,/g, ''));
      // A day's stream yields fewer events than asked (later lifecycle events past its end are cut).
      expect(num(1)).toBeGreaterThan(1000);
      expect(num(1)).toBeLessThanOrEqual(3000);
      expect(num(2)).toBeGreaterThan(300);
      expect(num(2)).toBeLessThan(num(1));
      expect(num(3)).toBeLessThanOrEqual(2);
      // The incremental run did work: DuckDB loaded and a range rewritten (an idle run takes no DuckDB).
      expect(num(4)).toBeGreaterThan(0.1);
      expect(num(5)).toBeGreaterThan(0);
      expect(r.stdout).toMatch(/Linear from the largest row to [\d,]+ orders on one date/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
