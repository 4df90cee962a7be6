// Gold's files between the lake and DuckDB: a written file's row count (from COPY for work files,
// from the statistics for tables), no file for no rows, and a remote lake's file downloaded once per run.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Lake } from '../../src/pipeline/ports';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { Duck } from '../../src/gold/duck';
import { GoldFiles } from '../../src/gold/io';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

describe('GoldFiles', () => {
  it('writes a query as Parquet with its row count, statistics only when asked, and no file for no rows', async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const lake = new LocalLake(path.join(dir, 'lake'));
      const files = new GoldFiles(lake, path.join(dir, 'scratch'), duck);
      const work = await files.writeParquet('SELECT range AS id FROM range(7)', 'gold/_work/a.parquet', { stats: false });
      expect(work).toEqual({ size: expect.any(Number), numRecords: 7 });
      expect(await duck.rows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${lake.localPath('gold/_work/a.parquet')}')`)).toEqual([{ n: 7 }]);
      const table = await files.writeParquet('SELECT range::BIGINT AS id FROM range(3)', 'gold/t/b.parquet');
      expect(table?.numRecords).toBe(3);
      expect(JSON.parse(table!.stats!)).toEqual({ numRecords: 3, minValues: { id: 0 }, maxValues: { id: 2 }, nullCount: { id: 0 } });
      expect(await files.writeParquet('SELECT 1 AS id WHERE false', 'gold/_work/none.parquet', { stats: false })).toBeUndefined();
      expect(existsSync(lake.localPath('gold/_work/none.parquet'))).toBe(false);
    } finally {
      duck.close();
    }
  }, 60_000);

  it('downloads a file of a remote lake once a run, and counts each hand-out of a folder lake', async () => {
    const dir = tmp();
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb') });
    try {
      const folder = new LocalLake(path.join(dir, 'lake'));
      for (const f of ['a', 'b', 'c']) await folder.writeFile(f, f);
      let downloads = 0;
      // The same lake without localPath: what ADLS is to GoldFiles.
      const remote: Lake = {
        writeFile: (p, d) => folder.writeFile(p, d), list: (p) => folder.list(p), deleteFile: (p) => folder.deleteFile(p),
        writeFileIfAbsent: (p, d) => folder.writeFileIfAbsent(p, d), sweepTemporary: (b) => folder.sweepTemporary(b), readFile: (p) => (downloads++, folder.readFile(p)),
      };
      const fromRemote = new GoldFiles(remote, path.join(dir, 'scratch'), duck);
      await fromRemote.local(['a', 'b']);
      const got = await fromRemote.local(['b', 'c']);
      expect([fromRemote.filesRead, fromRemote.bytesRead, downloads]).toEqual([3, 3, 3]);
      expect(await Promise.all(got.map((p) => readFile(p, 'utf8')))).toEqual(['b', 'c']);
      // DuckDB reads a folder lake's file in place each time it is handed out.
      const fromFolder = new GoldFiles(folder, path.join(dir, 'scratch2'), duck);
      await fromFolder.local(['a', 'b']);
      expect(await fromFolder.local(['b', 'c'])).toEqual([folder.localPath('b'), folder.localPath('c')]);
      expect(fromFolder.filesRead).toBe(4);
    } finally {
      duck.close();
    }
  }, 60_000);
});
