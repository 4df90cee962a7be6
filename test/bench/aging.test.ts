import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  median, mean, windowAround, earlyLateWindows, windowMedian, windowMean, summariseWindow, ratio, sumAreas, cyclesCsv, filesInLake, runCycles,
  type CycleRecord,
} from '../../bench/aging';
import { emptyReadCounts } from '../../bench/counting-lake';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';

jest.setTimeout(120_000);

/** A cycle record with the given seconds and bytes read, one silver file of those bytes. */
function rec(cycle: number, seconds: number, bytes: number, inLake: Record<string, number> = {}): CycleRecord {
  const reads = { ...emptyReadCounts(), files: 1, bytes, byArea: { silver: { files: 1, bytes } } };
  return { cycle, events: 1000, seconds, reads, goldFilesRead: 0, filesInLake: inLake };
}

describe('median', () => {
  it('is the middle value, the mean of the two middle ones for an even count, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('mean', () => {
  it('is the sum over the count, NaN for none', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });
});

describe('windowAround', () => {
  it('is 6-15 for cycle 10, 91-110 for 100 and the last 20 for the last cycle', () => {
    expect(windowAround(10, 1000)).toEqual({ from: 6, to: 15 });
    expect(windowAround(100, 1000)).toEqual({ from: 91, to: 110 });
    expect(windowAround(1000, 1000)).toEqual({ from: 981, to: 1000 });
    expect(windowAround(500, 500)).toEqual({ from: 481, to: 500 });
  });

  it('is clipped to the cycles run', () => {
    expect(windowAround(3, 10)).toEqual({ from: 1, to: 8 });
    expect(windowAround(10, 12)).toEqual({ from: 6, to: 12 });
    expect(windowAround(10, 10)).toEqual({ from: 1, to: 10 });
  });
});

describe('earlyLateWindows', () => {
  it("is the issue's cycles 4-8 and 36-39 (from 0) of 40, numbered from 1", () => {
    expect(earlyLateWindows(40)).toEqual({ early: { from: 5, to: 9 }, late: { from: 37, to: 40 } });
  });

  it('keeps at least the last cycle in the late window of a short run', () => {
    expect(earlyLateWindows(10)).toEqual({ early: { from: 2, to: 3 }, late: { from: 10, to: 10 } });
    expect(earlyLateWindows(5)).toEqual({ early: { from: 1, to: 2 }, late: { from: 5, to: 5 } });
  });
});

describe('windowMedian', () => {
  it('takes the records of the window only', () => {
    const records = [rec(1, 9, 0), rec(2, 1, 0), rec(3, 3, 0), rec(4, 2, 0), rec(5, 9, 0)];
    expect(windowMedian(records, { from: 2, to: 4 }, (r) => r.seconds)).toBe(2);
  });
});

describe('windowMean', () => {
  it('spreads a cost paid in one cycle of the window over all of them', () => {
    const records = [rec(1, 0, 100), rec(2, 0, 100), rec(3, 0, 700), rec(4, 0, 100), rec(5, 0, 5000)];
    expect(windowMean(records, { from: 1, to: 4 }, (r) => r.reads.bytes)).toBe(250);
    expect(windowMedian(records, { from: 1, to: 4 }, (r) => r.reads.bytes)).toBe(100);
  });
});

describe('summariseWindow', () => {
  it('gives medians and means of each measure, means by area, and the files in the lake after its last cycle', () => {
    const records = [rec(1, 1, 100, { silver: 2 }), rec(2, 2, 300, { silver: 4 }), rec(3, 6, 800, { silver: 6, bronze: 1 }), rec(4, 1, 1, { silver: 9 })];
    const s = summariseWindow(records, { from: 1, to: 3 });
    expect(s.window).toEqual({ from: 1, to: 3 });
    expect(s.medians['wall seconds']).toBe(2);
    expect(s.means['wall seconds']).toBe(3);
    expect(s.medians['bytes read']).toBe(300);
    expect(s.means['bytes read']).toBe(400);
    expect(s.medians['lake files opened']).toBe(1);
    expect(s.medians['Delta log files read']).toBe(0);
    expect(s.bytesByArea).toEqual({ silver: 400 });
    expect(s.filesByArea).toEqual({ silver: 1 });
    expect(s.filesInLake).toEqual({ silver: 6, bronze: 1 });
  });
});

describe('ratio', () => {
  it('is later over earlier; 1 when both are 0, NaN from 0 to more', () => {
    expect(ratio(13, 10)).toBe(1.3);
    expect(ratio(0, 0)).toBe(1);
    expect(ratio(5, 0)).toBeNaN();
  });
});

describe('sumAreas', () => {
  it('adds the areas kept', () => {
    expect(sumAreas({ silver: 3, gold: 4, bronze: 100 }, (a) => a !== 'bronze')).toBe(7);
  });
});

describe('cyclesCsv', () => {
  it('writes a header with a column pair per area read and a column per area in the lake, and a line per cycle', () => {
    const csv = cyclesCsv([rec(1, 0.5, 10, { bronze: 4 }), rec(2, 0.25, 20, { bronze: 8 })]);
    expect(csv).toBe([
      'cycle,events,seconds,files_opened,bytes_read,local_paths,log_files_read,log_bytes_read,misses,lists,gold_files_read,read_files:bronze,read_bytes:bronze,read_files:silver,read_bytes:silver,in_lake:bronze,in_lake:silver',
      '1,1000,0.500,1,10,0,0,0,0,0,0,0,0,1,10,4,0',
      '2,1000,0.250,1,20,0,0,0,0,0,0,0,0,1,20,8,0',
      '',
    ].join('\n'));
  });
});

describe('filesInLake', () => {
  it('counts files by area, leaving out the private folders at the root', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aging-files-'));
    try {
      for (const f of ['_state/commits.log', '_tmp/1.tmp', 'bronze/a/b.jsonl', 'silver/order_events/p.parquet', 'silver/order_events/_delta_log/00000000000000000000.json', 'gold/_work/manifest.json']) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), 'x');
      }
      expect(await filesInLake(dir)).toEqual({ bronze: 1, silver: 1, 'log commits': 1, 'gold work': 1 });
      expect(await filesInLake(path.join(dir, 'absent'))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runCycles', () => {
  it('runs each cycle on the events appended, counting the reads of gold through the wrapper', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aging-run-'));
    try {
      const seen: number[] = [];
      const records = await runCycles({ workDir: dir, cycles: 2, eventsPerCycle: 150, stream: { seed: 3, days: 10, end: new Date('2026-11-01T00:00:00Z') }, onCycle: (r) => seen.push(r.cycle) });
      expect(seen).toEqual([1, 2]);
      expect(records.map((r) => r.events)).toEqual([150, 150]);
      for (const r of records) {
        expect(r.goldFilesRead).toBeGreaterThan(0);
        expect(r.reads.localPaths).toBeGreaterThanOrEqual(r.goldFilesRead);
        expect(Object.values(r.reads.byArea).reduce((s, a) => s + a.files, 0)).toBe(r.reads.files);
        expect(r.reads.log.files).toBe((r.reads.byArea['log commits']?.files ?? 0) + (r.reads.byArea['log checkpoints']?.files ?? 0));
      }
      // Each cycle's bronze: one file per source partition that got events (4 partitions).
      expect(records[1]!.filesInLake['bronze']).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when the generator runs out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aging-short-'));
    try {
      const stream = { seed: 3, days: 10, end: new Date('2026-11-01T00:00:00Z'), events: 150 };
      // A bounded stream yields fewer than asked: an order's events past `end` are cut.
      const yielded = [...generateEvents({ ...DEFAULT_STREAM, ...stream })].length;
      expect(yielded).toBeGreaterThan(100);
      expect(yielded).toBeLessThan(150);
      const records = await runCycles({ workDir: dir, cycles: 3, eventsPerCycle: 100, stream });
      expect(records.map((r) => r.events)).toEqual([100, yielded - 100]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
