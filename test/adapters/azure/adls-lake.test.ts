import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import { AdlsLake } from '../../../src/adapters/azure/adls-lake';
import { NotFoundError } from '../../../src/pipeline/ports';
import { startDfsServer, type DfsServer } from '../../helpers/dfs-server';

let dfs: DfsServer;
let lake: AdlsLake;
beforeAll(async () => {
  dfs = await startDfsServer();
  // A shared key only because the test server takes any signature; in Azure the adapter is
  // built with DefaultAzureCredential (src/azure/services.ts).
  const service = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('test').toString('base64')));
  for (const fs of ['bronze', 'silver', 'gold']) await service.getFileSystemClient(fs).create();
  lake = new AdlsLake(service);
});
afterAll(async () => {
  await dfs?.stop();
});

describe('AdlsLake (real SDK against a DFS-compatible test server)', () => {
  it('writes through a temporary file and a rename, reads, lists and deletes', async () => {
    dfs.requests.length = 0;
    await lake.writeFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl', '{"a":1}\n');
    // create + append + flush of a temp file in the filesystem's _tmp/, then one rename: readers
    // never see half a file, and a killed write leaves nothing inside a table's folders
    expect(dfs.requests.map((r) => r.split('?')[0]!.replace(/[0-9a-f-]{36}\.tmp/, 'UUID.tmp'))).toEqual([
      'PUT silver/_tmp/UUID.tmp',
      'PATCH silver/_tmp/UUID.tmp',
      'PATCH silver/_tmp/UUID.tmp',
      'PUT silver/order_events/order_date=2026-01-01/p0-1.jsonl',
    ]);
    await lake.writeFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl', Buffer.from([0xff, 0x00, 0x41]));
    expect((await lake.readFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl')).toString()).toBe('{"a":1}\n');
    expect([...(await lake.readFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl'))]).toEqual([0xff, 0x00, 0x41]);
    expect(await lake.list('silver/order_events')).toEqual([
      'silver/order_events/order_date=2026-01-01/p0-1.jsonl',
      'silver/order_events/order_date=2026-01-02/p0-2.jsonl',
    ]);
    await lake.writeFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl', 'replaced\n');
    expect((await lake.readFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl')).toString()).toBe('replaced\n');
    await lake.deleteFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl');
    await lake.deleteFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl');
    await expect(lake.readFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl')).rejects.toBeInstanceOf(NotFoundError);
    expect(await lake.list('bronze/none')).toEqual([]);
  });

  it('creates a file only if absent (the Delta log commit)', async () => {
    expect(await lake.writeFileIfAbsent('gold/t/_delta_log/00000000000000000000.json', 'v0')).toBe(true);
    expect(await lake.writeFileIfAbsent('gold/t/_delta_log/00000000000000000000.json', 'other')).toBe(false);
    expect((await lake.readFile('gold/t/_delta_log/00000000000000000000.json')).toString()).toBe('v0');
    expect(await lake.list('gold/t')).toEqual(['gold/t/_delta_log/00000000000000000000.json']); // no temp file left behind
  });

  it('never lists temporary files, and sweeps those of writes that never finished', async () => {
    const killed = new DataLakeServiceClient(dfs.url, new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('test').toString('base64')));
    await killed.getFileSystemClient('silver').getFileClient('_tmp/killed-write.tmp').upload(Buffer.from('half'));
    expect((await lake.list('silver')).filter((p) => p.includes('_tmp'))).toEqual([]);
    expect(await lake.sweepTemporary(new Date(Date.now() - 3_600_000))).toBe(0); // too young: maybe still being written
    expect(await lake.sweepTemporary(new Date(Date.now() + 60_000))).toBe(1);
    expect([...dfs.files.keys()].filter((k) => k.includes('_tmp'))).toEqual([]);
  });

  it('lists files with the size and last-modified time the listing reports', async () => {
    await lake.writeFile('gold/aged/a.parquet', 'aaaa');
    await lake.writeFile('gold/aged/_delta_log/00000000000000000000.json', '{}');
    dfs.modified.set('gold/aged/a.parquet', new Date('2026-01-01T00:00:00Z'));
    dfs.requests.length = 0;
    const entries = await lake.listEntries('gold/aged');
    expect(dfs.requests.map((r) => r.split('?')[0])).toEqual(['GET gold/']); // one listing, no request per file
    expect(entries.map((e) => [e.path, e.size])).toEqual([['gold/aged/_delta_log/00000000000000000000.json', 2], ['gold/aged/a.parquet', 4]]);
    expect(entries[1]!.modified.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await lake.list('gold/aged')).toEqual(entries.map((e) => e.path));
  });

  it('rejects paths that leave the lake or name no filesystem', async () => {
    await expect(lake.writeFile('../etc/x', 'x')).rejects.toThrow("expected a relative lake path without '..'");
    await expect(lake.writeFile('bronze', 'x')).rejects.toThrow('expected a lake path <filesystem>/<path>, got "bronze"');
  });
});
