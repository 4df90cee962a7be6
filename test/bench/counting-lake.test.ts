import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { NotFoundError } from '../../src/pipeline/ports';
import { ReadCounter, areaOf, countingLake, emptyReadCounts, localFileSize } from '../../bench/counting-lake';

describe('areaOf', () => {
  it('puts Delta log files apart from data, checkpoints apart from commits, and gold work apart from gold tables', () => {
    expect(areaOf('silver/order_events/_delta_log/00000000000000000003.json')).toBe('log commits');
    expect(areaOf('gold/monthly_revenue/_delta_log/_last_checkpoint')).toBe('log commits');
    expect(areaOf('gold/monthly_revenue/_delta_log/00000000000000000010.checkpoint.parquet')).toBe('log checkpoints');
    expect(areaOf('gold/_work/orders/month=2026-01/2026-01-01_2026-01-31-r3.parquet')).toBe('gold work');
    expect(areaOf('gold/customer_spend/part-r3.parquet')).toBe('gold');
    expect(areaOf('silver/order_lines/part-1.parquet')).toBe('silver');
    expect(areaOf('quarantine/part-1.parquet')).toBe('quarantine');
    expect(areaOf('bronze/ingest_date=2026-12-01/partition=0/p0-1-2.jsonl')).toBe('bronze');
    expect(areaOf('elsewhere/x')).toBe('other');
  });
});

describe('ReadCounter', () => {
  it('tallies reads by area and in the log, misses and lists, and starts from zero after take', () => {
    const c = new ReadCounter();
    c.read('silver/order_events/a.parquet', 100, true);
    c.read('silver/order_events/_delta_log/00000000000000000001.json', 30, false);
    c.miss();
    c.list();
    c.list();
    expect(c.take()).toEqual({
      files: 2, bytes: 130, localPaths: 1, log: { files: 1, bytes: 30 }, misses: 1, lists: 2,
      byArea: { silver: { files: 1, bytes: 100 }, 'log commits': { files: 1, bytes: 30 } },
    });
    expect(c.take()).toEqual(emptyReadCounts());
  });
});

describe('localFileSize', () => {
  it('is the size of a file, and 0 for a path with no file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'counting-size-'));
    try {
      expect(localFileSize(path.join(dir, 'absent'))).toBe(0);
      expect(localFileSize(__filename)).toBe(statSync(__filename).size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('countingLake', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'counting-lake-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts readFile bytes, a local path with its file size, a miss, and lists; writes and deletes count nothing', async () => {
    const inner = new LocalLake(dir);
    const counter = new ReadCounter();
    const lake = countingLake(inner, counter);
    await lake.writeFile('silver/order_events/_delta_log/00000000000000000000.json', '{"a":1}\n');
    await lake.writeFile('gold/_work/orders/x.parquet', Buffer.alloc(1234));
    expect(await lake.writeFileIfAbsent('quarantine/q.parquet', 'abc')).toBe(true);
    expect(counter.take()).toEqual(emptyReadCounts());

    expect((await lake.readFile('silver/order_events/_delta_log/00000000000000000000.json')).toString()).toBe('{"a":1}\n');
    expect(lake.localPath!('gold/_work/orders/x.parquet')).toBe(path.join(dir, 'gold', '_work', 'orders', 'x.parquet'));
    await expect(lake.readFile('silver/order_events/_delta_log/00000000000000000001.json')).rejects.toBeInstanceOf(NotFoundError);
    expect(await lake.list('quarantine')).toEqual(['quarantine/q.parquet']);
    expect((await lake.listEntries!('quarantine')).map((e) => [e.path, e.size])).toEqual([['quarantine/q.parquet', 3]]);
    const scanned: string[] = [];
    for await (const e of lake.scanEntries!('quarantine/q')) scanned.push(e.path);
    expect(scanned).toEqual(['quarantine/q.parquet']);
    await lake.deleteFile('quarantine/q.parquet');
    expect(counter.take()).toEqual({
      files: 2, bytes: 8 + 1234, localPaths: 1, log: { files: 1, bytes: 8 }, misses: 1, lists: 3,
      byArea: { 'log commits': { files: 1, bytes: 8 }, 'gold work': { files: 1, bytes: 1234 } },
    });
    expect(await inner.list('quarantine')).toEqual([]);
  });

  it('offers localPath, listEntries and scanEntries only when the inner lake does', () => {
    const inner = new LocalLake(dir);
    const bare = { writeFile: inner.writeFile.bind(inner), readFile: inner.readFile.bind(inner), list: inner.list.bind(inner), deleteFile: inner.deleteFile.bind(inner), writeFileIfAbsent: inner.writeFileIfAbsent.bind(inner), sweepTemporary: inner.sweepTemporary.bind(inner) };
    const lake = countingLake(bare, new ReadCounter());
    expect(lake.localPath).toBeUndefined();
    expect(lake.listEntries).toBeUndefined();
    expect(lake.scanEntries).toBeUndefined();
  });
});
