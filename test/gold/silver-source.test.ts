// Silver rows as gold loads them: the date restriction of staged change files (SilverFiles.datesOf);
// and as a run stages them for waiting dates, with their orders per date.
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { Duck } from '../../src/gold/duck';
import { GoldFiles } from '../../src/gold/io';
import { dropPreloadedSilver, loadSilverRows, mergeSource, preloadSilverRows, writeSilverRows } from '../../src/gold/silver-source';
import { emptyCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

/** A silver-shaped events file with one event per (order, date). */
const eventsOf = (rows: Array<[string, string]>) => rows.map(([order, date], i) => `SELECT 'e${order}${i}' AS event_id, '${order}' AS order_id, 'PLACED' AS status, 1 AS status_rank,
  TIMESTAMPTZ '${date} 08:00:00+00' AS event_time, TIMESTAMPTZ '${date} 08:00:00+00' AS order_time, DATE '${date}' AS order_date, 2026 AS order_year, 1 AS order_month,
  'C1' AS customer_id, 'EU' AS region, 1::BIGINT AS item_count, 10.0::DOUBLE AS order_total_usd, false AS is_high_value_order`).join(' UNION ALL ');

describe('loadSilverRows', () => {
  it('reads a file named in datesOf only for its dates, the others whole, then the span', async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const files = new GoldFiles(new LocalLake(path.join(dir, 'lake')), path.join(dir, 'scratch'), duck);
      await files.writeParquet(eventsOf([['A', '2026-01-05'], ['B', '2026-01-06']]), 'silver/a.parquet');
      await files.writeParquet(eventsOf([['C', '2026-01-05'], ['D', '2026-01-06'], ['E', '2026-01-07']]), 'gold/_work/staged/events/r3.parquet');
      await files.writeParquet(eventsOf([['F', '2026-01-05'], ['G', '2026-02-01']]), 'gold/_work/staged/events/r4.parquet');
      const src = {
        events: ['silver/a.parquet', 'gold/_work/staged/events/r3.parquet', 'gold/_work/staged/events/r4.parquet'], lines: [], longestLineBytes: 0,
        datesOf: { 'gold/_work/staged/events/r3.parquet': ['2026-01-06', '2026-01-07'], 'gold/_work/staged/events/r4.parquet': ['2026-01-05', '2026-02-01'] },
      };
      await loadSilverRows(files, src, [{ lo: '2026-01-01', hi: '2026-01-31' }]);
      const got = await duck.rows('SELECT order_id, CAST(order_date AS VARCHAR) AS d FROM new_events ORDER BY order_id');
      expect(got).toEqual([['A', '2026-01-05'], ['B', '2026-01-06'], ['D', '2026-01-06'], ['E', '2026-01-07'], ['F', '2026-01-05']].map(([order_id, d]) => ({ order_id, d })));
      expect(await duck.rows('SELECT count(*)::INTEGER AS n FROM new_lines')).toEqual([{ n: 0 }]);
    } finally {
      duck.close();
    }
  }, 60_000);
});

/** A commit naming silver events files, each with its order_date range in its statistics. */
const commitOf = (files: Record<string, [string, string]>): BatchCommit => ({
  batchId: 'b', partition: '0', sequences: [[0, 0]], bronzeFile: 'bronze/b.json', files: Object.keys(files), counts: emptyCounts(), dataQuality: [], orderDates: [], committedAt: '2026-02-01T00:00:00Z',
  fileStats: Object.fromEntries(Object.entries(files).map(([f, [lo, hi]]) => [f, { size: 1, stats: JSON.stringify({ numRecords: 1, minValues: { order_date: lo }, maxValues: { order_date: hi } }) }])),
});

describe('preloadSilverRows', () => {
  it("reads each file once, only those meeting a span, keeps the spans' rows, and each range loads its own", async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const files = new GoldFiles(new LocalLake(path.join(dir, 'lake')), path.join(dir, 'scratch'), duck);
      const events = 'silver/order_events/part';
      await files.writeParquet(eventsOf([['A', '2026-01-30'], ['B', '2026-02-02'], ['C', '2026-01-15']]), `${events}-1.parquet`);
      await files.writeParquet(eventsOf([['D', '2026-02-03']]), `${events}-2.parquet`);
      await files.writeParquet(eventsOf([['E', '2026-01-10']]), `${events}-3.parquet`);
      const commits = [commitOf({ [`${events}-1.parquet`]: ['2026-01-15', '2026-02-02'] }), commitOf({ [`${events}-2.parquet`]: ['2026-02-03', '2026-02-03'], [`${events}-3.parquet`]: ['2026-01-10', '2026-01-10'] })];
      const spans = [{ lo: '2026-01-20', hi: '2026-01-31' }, { lo: '2026-02-01', hi: '2026-02-28' }];
      const before = files.filesRead;
      const src = await preloadSilverRows(files, commits, spans);
      // File 3 (01-10) meets no span and is not read; 1 and 2 are read once for both spans.
      expect(files.filesRead - before).toBe(2);
      expect(await duck.rows('SELECT order_id FROM silver_events_once ORDER BY order_id')).toEqual([{ order_id: 'A' }, { order_id: 'B' }, { order_id: 'D' }]);
      await loadSilverRows(files, src, [{ lo: '2026-02-01', hi: '2026-02-28' }]);
      expect(await duck.rows('SELECT order_id FROM new_events ORDER BY order_id')).toEqual([{ order_id: 'B' }, { order_id: 'D' }]);
      await loadSilverRows(files, src, [{ lo: '2026-01-20', hi: '2026-01-31' }]);
      expect(await duck.rows('SELECT order_id FROM new_events ORDER BY order_id')).toEqual([{ order_id: 'A' }]);
      expect(files.filesRead - before).toBe(2);
      await dropPreloadedSilver(files);
      expect(await duck.rows(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE 'silver_%_once'`)).toEqual([{ n: 0 }]);
    } finally {
      duck.close();
    }
  }, 60_000);
});

describe('mergeSource', () => {
  it("adds each staged file once, for the dates of every rewrite that takes it, to the new files or the preloaded rows", () => {
    const staged = [
      { changes: { events: 'st/e3', lines: 'st/l3' }, dates: ['2026-02-03'] },
      { changes: { events: 'st/e3', lines: 'st/l3' }, dates: ['2026-01-30', '2026-01-29'] },
      { changes: { events: 'st/e4' }, dates: ['2026-02-04'] },
    ];
    const fresh = { events: ['silver/e1'], lines: ['silver/l1'], longestLineBytes: 20_000_000 };
    expect(mergeSource(fresh, staged)).toEqual({
      events: ['silver/e1', 'st/e3', 'st/e4'], lines: ['silver/l1', 'st/l3'], longestLineBytes: 20_000_000,
      datesOf: { 'st/e3': ['2026-01-29', '2026-01-30', '2026-02-03'], 'st/l3': ['2026-01-29', '2026-01-30', '2026-02-03'], 'st/e4': ['2026-02-04'] },
    });
    expect(fresh.events).toEqual(['silver/e1']);
    expect(mergeSource({ events: [], lines: [], longestLineBytes: 0, preloaded: true }, staged.slice(2))).toEqual({ events: ['st/e4'], lines: [], longestLineBytes: 0, preloaded: true, datesOf: { 'st/e4': ['2026-02-04'] } });
  });
});

describe('writeSilverRows', () => {
  it("writes the rows of the given dates and counts each date's distinct orders", async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const lake = new LocalLake(path.join(dir, 'lake'));
      const files = new GoldFiles(lake, path.join(dir, 'scratch'), duck);
      // A has two events on 01-05; C is on a date not staged.
      await files.writeParquet(eventsOf([['A', '2026-01-05'], ['A', '2026-01-05'], ['B', '2026-01-05'], ['C', '2026-01-06'], ['D', '2026-01-07']]), 'silver/a.parquet');
      const src = { events: ['silver/a.parquet'], lines: [], longestLineBytes: 0 };
      const out = await writeSilverRows(files, src, ['2026-01-05', '2026-01-07'], { events: 'gold/_work/staged/events/r5.parquet', lines: 'gold/_work/staged/lines/r5.parquet' });
      expect(out).toEqual({ events: 'gold/_work/staged/events/r5.parquet', orders: { '2026-01-05': 2, '2026-01-07': 1 } });
      const staged = await duck.rows(`SELECT order_id FROM read_parquet('${lake.localPath('gold/_work/staged/events/r5.parquet')}') ORDER BY order_id`);
      expect(staged.map((r) => r['order_id'])).toEqual(['A', 'A', 'B', 'D']);
    } finally {
      duck.close();
    }
  }, 60_000);
});
