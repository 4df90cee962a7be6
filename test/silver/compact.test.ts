import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compactSilverFiles } from '../../src/silver/compact';
import { silverEventsParquet } from '../../src/silver/parquet/tables';
import type { SilverOrderEvent } from '../../src/silver/rows';
import { closeDuck, decidedBatch, query, readBack, saved } from '../helpers/parquet';
import { tempDirs } from '../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();
afterAll(closeDuck);

const events = decidedBatch(12_000, 7).flatMap((d) => (d.kind === 'silver' ? [d.row] : []));

/** 50 batch files of about 230 events each, as silver writes them. */
function smallFiles(dir: string): string[] {
  const per = Math.ceil(events.length / 50);
  return Array.from({ length: 50 }, (_, k) => saved(dir, `batch-${k}.parquet`, silverEventsParquet(events.slice(k * per, (k + 1) * per)).bytes));
}

/** Rows in one order whatever the files' order: by position in the source (unique per row). */
const byPosition = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a['source_sequence_number']) - Number(b['source_sequence_number']);

describe('compactSilverFiles', () => {
  it('rewrites 50 small files as a few sorted files with the same rows and non-overlapping order_date ranges', async () => {
    const inputs = smallFiles(tmp());
    const out = tmp();
    const files = await compactSilverFiles(inputs, out, { targetFileBytes: 100_000, rowGroupRows: 2048, orderBy: ['order_date', 'order_id', 'event_time'] });

    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThan(15);
    expect(readdirSync(out).sort()).toEqual(files.map((f) => path.basename(f.path)).sort());
    const before = (await Promise.all(inputs.map(readBack))).flatMap((b) => b.rows);
    const after = (await Promise.all(files.map((f) => readBack(f.path)))).map((b) => b.rows);
    expect(after.flat().sort(byPosition)).toEqual(before.sort(byPosition));
    expect(before.length).toBe(events.length);

    // Sorted within each file and across files: file k ends on or before the date file k+1 starts.
    const dates = after.flat().map((r) => String(r['order_date']));
    expect(dates).toEqual([...dates].sort());
    for (let k = 0; k + 1 < files.length; k++) {
      expect(files[k]!.stats.maxValues['order_date']! <= files[k + 1]!.stats.minValues['order_date']!).toBe(true);
    }
    expect(files.reduce((n, f) => n + f.stats.numRecords, 0)).toBe(events.length);
  });

  it('gives each output its Delta statistics, as the batch writer does for the same rows', async () => {
    const [file] = await compactSilverFiles(smallFiles(tmp()), tmp());
    expect(file).toBeDefined();
    // One output holding every row: its statistics equal those of one batch file of all the rows.
    const sorted = [...events].sort((a, b) => (a.order_date < b.order_date ? -1 : a.order_date > b.order_date ? 1 : 0));
    const direct = silverEventsParquet(sorted as SilverOrderEvent[]).stats;
    expect(file!.stats).toEqual(direct);
    const [meta] = await query(`SELECT compression, count(DISTINCT row_group_id)::INTEGER AS groups FROM parquet_metadata('${file!.path}') GROUP BY ALL`);
    expect(meta).toEqual({ compression: 'SNAPPY', groups: 1 });
  });

  it('refuses a sort key that is not a column, and leaves no staging folder behind', async () => {
    const out = tmp();
    await expect(compactSilverFiles(smallFiles(tmp()).slice(0, 2), out, { orderBy: ['order_day'] })).rejects.toThrow('sort key order_day is not a column of the inputs (event_id, order_id,');
    expect(readdirSync(out)).toEqual([]);
    expect(await compactSilverFiles([], out)).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });
});
