// The steady-window measurement: the spread of events by order age, the expected cost of a
// window, its tables from a given row, and a small real run through the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { foldDay, spreadOf, steadyMarkdown, windowCost, type SteadyRow } from '../../bench/steady-window';

jest.setTimeout(180_000);

const END = new Date('2026-11-01T00:00:00Z');
const cost = (wallS: number) => ({ code: 0, wallS, userS: wallS, systemS: 0, maxRssMB: 300 });

describe('spreadOf', () => {
  it('gives the share of order times by whole days before the end, skipping unreadable, future and too old ones', () => {
    expect(spreadOf(['2026-10-31T12:00:00Z', '2026-10-31T00:00:01Z', '2026-10-29T23:00:00Z', 'not a time', '2026-11-02T00:00:00Z', '2019-01-01T00:00:00Z'], END, 32)).toEqual([2 / 3, 0, 1 / 3]);
  });
});

describe('windowCost', () => {
  it('reaches a date unless no event of the window falls on it; today holds half a day of orders', () => {
    // age 0: 1 - 0.5^2 = 0.75; age 1: 1 - 0.5^2 = 0.75
    expect(windowCost([0.5, 0.5], 2, 1000)).toEqual({ dates: 1.5, orders: 0.75 * 500 + 0.75 * 1000, pastOrders: 0.75 * 1000 });
    expect(windowCost([0, 1], 10, 1000)).toEqual({ dates: 1, orders: 1000, pastOrders: 1000 });
  });
});

describe('foldDay', () => {
  it('takes whole past dates within the budget beside today\'s growing range, one at least while today\'s is under the budget', () => {
    // Two dates a run while today's range holds up to 500 orders (2,500 at most), one after: 5 runs fold the 5 dates.
    expect(foldDay(1000, 5, 2500)).toEqual({ largestRun: 2500, foldHours: 24, runsToFoldAll: 5 });
    // A date larger than the budget: one a run while today's range holds less than 400 orders (the first 9.6 hours), none after.
    expect(foldDay(1000, 3, 400)).toEqual({ largestRun: 1399, foldHours: expect.closeTo(9.6, 9), runsToFoldAll: 3 });
  });
});

describe('steadyMarkdown', () => {
  it('reports the measured run, the spread, and the cost of a 1-minute run at each rate from the measured µs per order', () => {
    const row: SteadyRow = {
      rate: 1, days: 32, windowS: 600, events: 100_000, windowEvents: 600, shareByAge: [0.5, 0.25, 0.25], windowDates: 3,
      full: cost(20), incremental: cost(2), rewrittenOrders: 100_000, rewrittenRanges: 4, lakeOrders: 400_000,
      newestOrder: '2026-10-31T23:59:00.000Z', fold: { budget: 50_000, seconds: 0.75, ordersRewritten: 30_000, datesWaiting: 2 },
    };
    const md = steadyMarkdown(row, [1], 40_000);
    expect(md.slice(0, 3)).toEqual([
      '| events/s | days | events | window, s | its events | order dates it reaches | ranges rewritten | orders rewritten (of the lake\'s) | full gold, s | incremental gold, s | µs per order rewritten |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      '| 1 | 32 | 100,000 | 600 | 600 | 3 | 4 | 100,000 (400,000) | 20.0 | 2.0 | 20.0 |',
    ]);
    expect(md.slice(4, 11)).toEqual([
      'With a fold policy (today\'s orders hot, 50,000 orders of cold ranges a run), the same run took 0.8 s in process and rewrote 30,000 orders; 2 order dates wait for later runs.',
      '',
      'Share of a day\'s events by the age of their order (days):', '', '| age | 0 | 1 | 2 |', '|---|---|---|---|', '| % | 50.0 | 25.0 | 25.0 |',
    ]);
    // 60 events: every age reached (1 - 0.75^60 = 1.0 to 7 places); 23,351 orders a day: 11,676 + 2 x 23,351 = 58,378 orders, at 20 µs each 1 s.
    // With a policy of 40,000 orders: one past date (23,351) a run beside today's range, all day; at the day's end 46,703 (1 s); 2 runs fold both.
    expect(md.slice(12)).toEqual([
      '| events/s | orders a day | events in a 1-minute run | order dates it reaches | orders rewritten | seconds at the measured µs per order | with a fold policy of 40,000 orders: the day\'s largest run, orders | its seconds | runs to fold every past date once (hours of the day that fold) |',
      '|---|---|---|---|---|---|---|---|---|',
      '| 1 | 23,351 | 60 | 3.0 | 58,378 | 1 | 46,703 | 1 | 2 (24.0 h) |',
    ]);
  });
});

describe('bench/steady-window (small run)', () => {
  it('lands a steady stream, then its last window, and reads off what the incremental run rewrote', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orderlake-steady-window-'));
    try {
      const r = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/bench/steady-window.js'), '--rate', '0.001', '--days', '32', '--window', '259200', '--fold-budget', '1', '--dir', dir], { encoding: 'utf8' });
      expect(r.stderr).toContain('steady-window: 0.001 events/s over 32 days, a window of 259200 s');
      expect(r.status).toBe(0);
      const row = /^\| 0\.001 \| (\d+) \| ([\d,]+) \| 259200 \| ([\d,]+) \| (\d+) \| (\d+) \| ([\d,]+) \(([\d,]+)\) \|/m.exec(r.stdout);
      expect(row).not.toBeNull();
      const num = (i: number) => Number(row![i]!.replace(/,/g, ''));
      // A bounded stream yields fewer events than asked (2,765 here); the window is 3 days of it.
      expect(num(2)).toBeGreaterThan(1500);
      expect(num(2)).toBeLessThanOrEqual(2765);
      expect(num(3)).toBe(259);
      // Later lifecycle events reach orders of many dates, and the run rewrote at least one range, not all the lake.
      expect(num(4)).toBeGreaterThan(3);
      expect(num(5)).toBeGreaterThan(0);
      expect(num(6)).toBeGreaterThan(0);
      expect(num(6)).toBeLessThanOrEqual(num(7));
      expect(r.stdout).toMatch(/^\| 1,000 \| 23,351,351 \| 60,000 \| [\d.]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \([\d.]+ h\) \|$/m);
      // With a budget of one order the fold run did no more than the plain one (a lake this small has a range a
      // month, so today's hot range covers most waiting dates anyway: test/gold/build-gold-incremental.test.ts checks the folding).
      const fold = /took [\d.]+ s in process and rewrote ([\d,]+) orders; (\d+) order dates wait for later runs/.exec(r.stdout);
      expect(fold).not.toBeNull();
      expect(Number(fold![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
      expect(Number(fold![1]!.replace(/,/g, ''))).toBeLessThanOrEqual(num(6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
