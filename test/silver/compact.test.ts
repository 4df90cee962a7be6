import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compactSilverFiles, rewriteWithout } from '../../src/silver/compact';
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

describe('rewriteWithout', () => {
  // Three batches' rows in one file, as compaction leaves them; a replay of the middle batch must take its rows out.
  const batches = [0, 1, 2].map((k) => events.slice(k * 100, (k + 1) * 100).map((e) => ({ ...e, bronze_file: `bronze/p0/batch-${k}.jsonl` })));

  it('rewrites a file without the rows of the named bronze files, sorted, with statistics of what is left', async () => {
    const dir = tmp();
    const input = saved(dir, 'compacted.parquet', silverEventsParquet(batches.flat()).bytes);
    const r = await rewriteWithout(input, path.join(dir, 'out'), 'bronze_file', ['bronze/p0/batch-1.jsonl', 'bronze/p9/other.jsonl'], { orderBy: ['order_date', 'order_id', 'event_time'] });
    expect(r?.removedRows).toBe(100);
    expect(r?.outputs.length).toBe(1);
    const { rows } = await readBack(r!.outputs[0]!.path);
    const kept = [...batches[0]!, ...batches[2]!];
    expect(rows.map((x) => x['event_id']).sort()).toEqual(kept.map((e) => e.event_id).sort());
    expect(new Set(rows.map((x) => x['bronze_file']))).toEqual(new Set(['bronze/p0/batch-0.jsonl', 'bronze/p0/batch-2.jsonl']));
    expect(r!.outputs[0]!.stats.numRecords).toBe(200);
    const dates = rows.map((x) => String(x['order_date']));
    expect(dates).toEqual([...dates].sort());
  });

  it('leaves a file with none of the rows as it is, and writes nothing for a file whose every row goes', async () => {
    const dir = tmp();
    const input = saved(dir, 'one-batch.parquet', silverEventsParquet(batches[0]!).bytes);
    expect(await rewriteWithout(input, path.join(dir, 'a'), 'bronze_file', ['bronze/p0/batch-2.jsonl'])).toBeUndefined();
    expect(await rewriteWithout(input, path.join(dir, 'b'), 'bronze_file', [])).toBeUndefined();
    expect(await rewriteWithout(input, path.join(dir, 'c'), 'bronze_file', ['bronze/p0/batch-0.jsonl'])).toEqual({ removedRows: 100, outputs: [] });
    expect(readdirSync(path.join(dir, 'c'))).toEqual([]);
  });
});
