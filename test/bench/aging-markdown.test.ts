import { fmtBytes, growingReads, figure7Markdown } from '../../bench/aging-markdown';
import { AGING_SIZES, type AgingFigure, type WindowSummary } from '../../bench/aging';

/** A window summary whose every measure has the same median and mean. */
function win(from: number, to: number, m: { seconds: number; files: number; bytes: number; logFiles: number; logBytes: number }, bytesByArea: Record<string, number>, filesInLake: Record<string, number>): WindowSummary {
  const v = { 'wall seconds': m.seconds, 'lake files opened': m.files, 'bytes read': m.bytes, 'Delta log files read': m.logFiles, 'Delta log bytes read': m.logBytes };
  return { window: { from, to }, medians: v, means: v, bytesByArea, filesByArea: Object.fromEntries(Object.keys(bytesByArea).map((a) => [a, 2])), filesInLake };
}

const FIGURE: AgingFigure = {
  sizes: AGING_SIZES,
  aging: {
    cycles: 1000, events: 1_000_000, seconds: 1800,
    windows: [
      { at: 10, summary: win(6, 15, { seconds: 0.5, files: 100, bytes: 1_000_000, logFiles: 80, logBytes: 300_000 }, { silver: 500_000, 'gold work': 200_000 }, { bronze: 60 }) },
      { at: 100, summary: win(91, 110, { seconds: 1, files: 120, bytes: 4_000_000, logFiles: 90, logBytes: 400_000 }, { silver: 3_000_000, 'gold work': 2_000_000 }, { bronze: 440 }) },
      { at: 1000, summary: win(981, 1000, { seconds: 2, files: 120, bytes: 40_000_000, logFiles: 90, logBytes: 500_000 }, { silver: 30_000_000, 'gold work': 2_100_000, 'log checkpoints': 50_000 }, { bronze: 4000 }) },
    ],
  },
  short: {
    cycles: 40, events: 32_000, seconds: 40,
    early: win(5, 9, { seconds: 0.5, files: 100, bytes: 1_000_000, logFiles: 50, logBytes: 1 }, {}, {}),
    late: win(37, 40, { seconds: 0.6, files: 150, bytes: 2_000_000, logFiles: 100, logBytes: 1 }, {}, {}),
    filesInLake: { bronze: 160, silver: 200, quarantine: 40, gold: 100, 'gold work': 10, 'log commits': 30, 'log checkpoints': 4 },
    live: { 'silver/order_events': 5, 'silver/order_lines': 5, quarantine: 3, 'gold/monthly_revenue': 2, 'gold/customer_spend': 1 },
  },
  optimize: {
    events: 24_000, cycles: 30,
    before: { live: { 'silver/order_events': 10, 'silver/order_lines': 10, quarantine: 20 }, disk: { 'silver/order_events': 100, 'silver/order_lines': 100, quarantine: 40 } },
    after: { live: { 'silver/order_events': 1, 'silver/order_lines': 1, quarantine: 1 }, disk: { 'silver/order_events': 1, 'silver/order_lines': 1, quarantine: 1 } },
    optimized: [{ table: 'quarantine', removed: 20, added: 1, version: 40 }],
    vacuumed: 237,
  },
};

describe('fmtBytes', () => {
  it('prints kB below a megabyte, MB with a decimal below 100 MB', () => {
    expect(fmtBytes(1234)).toBe('1 kB');
    expect(fmtBytes(5_250_000)).toBe('5.3 MB');
    expect(fmtBytes(123_400_000)).toBe('123 MB');
    expect(fmtBytes(NaN)).toBe('n/a');
  });
});

describe('growingReads', () => {
  it('lists the areas whose bytes grew past the target, largest growth first; an area from nothing counts', () => {
    const a = FIGURE.aging.windows[1]!.summary;
    const b = FIGURE.aging.windows[2]!.summary;
    expect(growingReads(a, b)).toEqual([
      { area: 'silver', before: 3_000_000, after: 30_000_000, ratio: 10 },
      { area: 'log checkpoints', before: 0, after: 50_000, ratio: NaN },
    ]);
  });
});

describe('figure7Markdown', () => {
  const md = figure7Markdown(FIGURE, { command: 'node dist/bench/run.js --figures 7', csv: 'aging-cycles.csv' }).join('\n');

  it('tabulates each measure at each window with the ratio of the last two', () => {
    expect(md).toContain('| per cycle | cycle 10 (6-15) | cycle 100 (91-110) | cycle 1,000 (981-1,000) | 1,000 / 100 |');
    expect(md).toContain('| wall seconds, median | 0.50 | 1.00 | 2.00 | 2.00× |');
    expect(md).toContain('| bytes read, mean | 1.0 MB | 4.0 MB | 40.0 MB | 10.00× |');
    expect(md).toContain('| lake files opened, median | 100 | 120 | 120 | 1.00× |');
    expect(md).toContain('| files in the lake after the window (bronze included) | 60 | 440 | 4,000 | 9.09× |');
    expect(md).toContain('| silver | 2.0 / 500 kB | 2.0 / 3.0 MB | 2.0 / 30.0 MB | 10.00× |');
    expect(md).toContain('What grows with age, from cycle 100 to 1,000 (mean bytes read per cycle): silver 3.0 MB → 30.0 MB (10.00×); log checkpoints 0 kB → 50 kB (from 0).');
    expect(md).toContain('Target: at most 1.30× from cycle 100 to cycle 1,000 (medians): wall seconds 2.00× (**not met**), lake files opened 1.00× (met), bytes read 10.00× (**not met**).');
  });

  it("gives the issue's 40-cycle ratios and files per 1,000 events by area", () => {
    expect(md).toContain('| lake files opened | 100 | 150 | **1.50×** | 1.30× (**not met**) |');
    expect(md).toContain('| wall seconds | 0.50 | 0.60 | **1.20×** | 1.30× (met) |');
    expect(md).toContain('| silver (order_events, order_lines) | 200 | 6.3 | 10 |');
    expect(md).toContain('| **silver + quarantine + gold, all of the above** | 384 | **12.0** | 16 (0.5 per 1,000 events) |');
    expect(md).toContain('Bronze, one file per batch, is not counted (160 files).');
  });

  it('compares the short run\'s windows with the last of the same density run longer, and says whether the growth was warm-up', () => {
    const longer = (lastFiles: number) => figure7Markdown({
      ...FIGURE,
      longer: {
        cycles: 80, events: 64_000, seconds: 80,
        windows: [
          win(5, 9, { seconds: 0.5, files: 100, bytes: 1_000_000, logFiles: 50, logBytes: 1 }, {}, {}),
          win(37, 40, { seconds: 0.8, files: 140, bytes: 2_000_000, logFiles: 70, logBytes: 1 }, {}, {}),
          win(77, 80, { seconds: 0.8, files: lastFiles, bytes: 2_100_000, logFiles: 70, logBytes: 1 }, {}, {}),
        ],
      },
    }, { command: 'c', csv: 'x' }).join('\n');
    const flat = longer(147);
    expect(flat).toContain('| per cycle, median | cycles 4-8 | cycles 36-39 | cycles 76-79 | 36-39 / 4-8 | 76-79 / 36-39 |');
    expect(flat).toContain('| lake files opened | 100 | 140 | 147 | 1.40× | **1.05×** |');
    expect(flat).toContain('| wall seconds | 0.50 | 0.80 | 0.80 | 1.60× | **1.00×** |');
    expect(flat).toContain('From cycles 36-39 to 76-79 files opened and seconds stay within 1.30×: the growth from cycles 4-8 is warm-up, not age.');
    expect(longer(200)).toContain('From cycles 36-39 to 76-79 lake files opened still grew more than 1.30×: not only warm-up.');
    expect(md).not.toContain('76-79');
  });

  it('gives silver and quarantine files per 1,000 events before and after optimize and vacuum', () => {
    expect(md).toContain('| quarantine | 20 | 40 | 1 | 1 |');
    expect(md).toContain('| **per 1,000 events** | 1.67 | 10.00 | **0.13** | **0.13** |');
    expect(md).toContain('Optimize: quarantine 20 files into 1; the vacuum deleted 237 files.');
    expect(md).toContain('Command: `node dist/bench/run.js --figures 7`');
  });
});
