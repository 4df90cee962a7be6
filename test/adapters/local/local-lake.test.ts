import { LocalLake, safeLakePath } from '../../../src/adapters/local/local-lake';
import { NotFoundError } from '../../../src/pipeline/ports';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

describe('safeLakePath', () => {
  it.each(['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', 'a\0b', '', './a'])('rejects %j', (p) => {
    expect(() => safeLakePath(p)).toThrow(`expected a relative lake path without '..', '.', empty segments, '\\' or NUL, got ${JSON.stringify(p)}`);
  });
  it('accepts hive-style paths', () => expect(safeLakePath('silver/order_events/order_date=2026-01-01/x.jsonl')).toBe('silver/order_events/order_date=2026-01-01/x.jsonl'));
});

describe('LocalLake', () => {
  it('writes, lists recursively in order, reads and deletes', async () => {
    const lake = new LocalLake(tmp());
    await lake.writeFile('b/2.txt', 'two');
    await lake.writeFile('b/1.txt', 'one');
    await lake.writeFile('a.txt', 'a');
    await lake.writeFile('_state/x', 'private');
    expect(await lake.list('')).toEqual(['a.txt', 'b/1.txt', 'b/2.txt']);
    expect(await lake.list('b')).toEqual(['b/1.txt', 'b/2.txt']);
    expect((await lake.readFile('b/2.txt')).toString()).toBe('two');
    await lake.deleteFile('b/2.txt');
    await lake.deleteFile('b/2.txt');
    await expect(lake.readFile('b/2.txt')).rejects.toBeInstanceOf(NotFoundError);
    expect(await lake.list('missing')).toEqual([]);
  });

  it('keeps temporary files in _tmp/, never in a table folder, and sweeps those of killed writes', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    await lake.writeFile('silver/t/order_date=2026-01-01/a.jsonl', 'x');
    expect(await lake.writeFileIfAbsent('gold/t/_delta_log/0.json', 'v0')).toBe(true);
    // A write killed after its temporary file was written:
    mkdirSync(path.join(root, '_tmp'), { recursive: true });
    writeFileSync(path.join(root, '_tmp', '999-1.tmp'), 'half');
    const old = new Date(Date.now() - 7_200_000);
    utimesSync(path.join(root, '_tmp', '999-1.tmp'), old, old);
    expect(readdirSync(path.join(root, 'silver/t/order_date=2026-01-01'))).toEqual(['a.jsonl']);
    expect(await lake.list('')).toEqual(['gold/t/_delta_log/0.json', 'silver/t/order_date=2026-01-01/a.jsonl']);
    expect(await lake.sweepTemporary(new Date(Date.now() - 3_600_000))).toBe(1);
    expect(readdirSync(path.join(root, '_tmp'))).toEqual([]);
  });

  it('lists files with their size and last-modified time (Delta log cleanup and vacuum decide by age)', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    await lake.writeFile('gold/t/b.parquet', 'bbb');
    await lake.writeFile('gold/t/_delta_log/00000000000000000000.json', '{}');
    await lake.writeFile('_state/x', 'private');
    const old = new Date('2026-01-01T00:00:00Z');
    utimesSync(path.join(root, 'gold/t/b.parquet'), old, old);
    const entries = await lake.listEntries('gold/t');
    expect(entries.map((e) => [e.path, e.size])).toEqual([['gold/t/_delta_log/00000000000000000000.json', 2], ['gold/t/b.parquet', 3]]);
    expect(entries[1]!.modified.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(Date.now() - entries[0]!.modified.getTime()).toBeLessThan(60_000);
    expect((await lake.listEntries('')).map((e) => e.path)).toEqual(['gold/t/_delta_log/00000000000000000000.json', 'gold/t/b.parquet']);
  });

  it('scans files under a name prefix in path order, with sizes and modified times', async () => {
    const root = tmp();
    const lake = new LocalLake(root);
    for (const v of [11, 2, 10, 1]) await lake.writeFile(`gold/t/_delta_log/${String(v).padStart(20, '0')}.json`, 'x'.repeat(v));
    await lake.writeFile('gold/t/_delta_log/00000000000000000010.checkpoint.parquet', 'PAR1');
    await lake.writeFile('gold/t/_delta_log/_staged_commits/00000000000000000012.uuid.json', '{}');
    await lake.writeFile('_state/gold/t/_delta_log/00000000000000000013.json', 'private');
    const scan = async (prefix: string) => {
      const out: Array<[string, number]> = [];
      for await (const e of lake.scanEntries(prefix)) out.push([e.path.slice(prefix.lastIndexOf('/') + 1), e.size]);
      return out;
    };
    expect(await scan('gold/t/_delta_log/0000000000000000001')).toEqual([['00000000000000000010.checkpoint.parquet', 4], ['00000000000000000010.json', 10], ['00000000000000000011.json', 11]]);
    expect((await scan('gold/t/_delta_log/')).map(([p]) => p)).toEqual([
      '00000000000000000001.json', '00000000000000000002.json', '00000000000000000010.checkpoint.parquet', '00000000000000000010.json', '00000000000000000011.json', '_staged_commits/00000000000000000012.uuid.json',
    ]);
    expect(await scan('gold/none/')).toEqual([]);
    expect((await scan('')).length).toBe(6); // the lake's private _state/ is not lake data
    await expect(scan('../x')).rejects.toThrow("expected a relative lake path without '..'");
  });
});
