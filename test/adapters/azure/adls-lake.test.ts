import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-file-datalake';
import { AdlsLake, blobEndpointUrl } from '../../../src/adapters/azure/adls-lake';
import { NotFoundError } from '../../../src/pipeline/ports';
import { startDfsServer, type DfsServer } from '../../helpers/dfs-server';

// A shared key only because the test server takes any signature; in Azure the adapter is
// built with DefaultAzureCredential (src/azure/services.ts).
const key = new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('test').toString('base64'));

let dfs: DfsServer;
let lake: AdlsLake;
beforeAll(async () => {
  dfs = await startDfsServer();
  const service = new DataLakeServiceClient(dfs.url, key);
  for (const fs of ['bronze', 'silver', 'gold']) await service.getFileSystemClient(fs).create();
  lake = new AdlsLake(dfs.url, newPipeline(key));
});
afterAll(async () => {
  await dfs?.stop();
});

async function collect(it: AsyncIterable<{ path: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.path);
  return out;
}

/** The requests the server saw since the last call: method, path, the blob operation (comp) if any, the blob type if sent. */
function seen(): string[] {
  const out = dfs.requests.map((r) => r.replace(/\?([^ ]*)/, (_, q: string) => {
    const comp = new URLSearchParams(q).get('comp');
    return comp ? `?comp=${comp}` : '';
  }));
  dfs.requests.length = 0;
  return out;
}

describe('blobEndpointUrl', () => {
  it('maps the DFS host to the Blob host of the same account, and leaves an IP-style URL as it is', () => {
    expect(blobEndpointUrl('https://lake.dfs.core.windows.net')).toBe('https://lake.blob.core.windows.net');
    expect(blobEndpointUrl('https://lake.dfs.core.windows.net/')).toBe('https://lake.blob.core.windows.net/');
    expect(blobEndpointUrl('https://lake.dfs.core.usgovcloudapi.net')).toBe('https://lake.blob.core.usgovcloudapi.net');
    expect(blobEndpointUrl('http://127.0.0.1:10000/devstoreaccount1')).toBe('http://127.0.0.1:10000/devstoreaccount1');
  });
});

describe('AdlsLake (real SDKs against the ADLS test server)', () => {
  it('writes a file in one request (Put Blob) and reads it in one (Get Blob), lists and deletes', async () => {
    seen();
    await lake.writeFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl', '{"a":1}\n');
    expect(seen()).toEqual(['PUT silver/order_events/order_date=2026-01-01/p0-1.jsonl [BlockBlob]']);
    expect((await lake.readFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl')).toString()).toBe('{"a":1}\n');
    expect(seen()).toEqual(['GET silver/order_events/order_date=2026-01-01/p0-1.jsonl']);

    await lake.writeFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl', Buffer.from([0xff, 0x00, 0x41]));
    expect([...(await lake.readFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl'))]).toEqual([0xff, 0x00, 0x41]);
    await lake.writeFile('silver/empty.jsonl', '');
    expect((await lake.readFile('silver/empty.jsonl')).length).toBe(0);
    expect(await lake.list('silver/order_events')).toEqual([
      'silver/order_events/order_date=2026-01-01/p0-1.jsonl',
      'silver/order_events/order_date=2026-01-02/p0-2.jsonl',
    ]);
    seen();
    await lake.writeFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl', 'replaced\n');
    expect((await lake.readFile('silver/order_events/order_date=2026-01-01/p0-1.jsonl')).toString()).toBe('replaced\n');
    expect(seen()).toEqual(['PUT silver/order_events/order_date=2026-01-01/p0-1.jsonl [BlockBlob]', 'GET silver/order_events/order_date=2026-01-01/p0-1.jsonl']);
    await lake.deleteFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl');
    await lake.deleteFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl');
    seen();
    await expect(lake.readFile('silver/order_events/order_date=2026-01-02/p0-2.jsonl')).rejects.toBeInstanceOf(NotFoundError);
    expect(seen()).toEqual(['GET silver/order_events/order_date=2026-01-02/p0-2.jsonl']); // a missing file is one 404 too
    expect(await lake.list('bronze/none')).toEqual([]);
  });

  it('creates a file only if absent (the Delta log commit), refusing an existing one in one request without changing it', async () => {
    const p = 'gold/t/_delta_log/00000000000000000000.json';
    expect(await lake.writeFileIfAbsent(p, 'v0')).toBe(true);
    const modified = dfs.modified.get(p)!.getTime();
    seen();
    expect(await lake.writeFileIfAbsent(p, 'other')).toBe(false);
    expect(seen()).toEqual([`PUT ${p} [BlockBlob]`]); // If-None-Match: *, answered 409 BlobAlreadyExists
    expect(dfs.files.get(p)!.toString()).toBe('v0');
    expect(dfs.modified.get(p)!.getTime()).toBe(modified);
    expect(await lake.list('gold/t')).toEqual([p]);
    expect([...dfs.files.keys()].filter((k) => k.includes('_tmp'))).toEqual([]); // no temporary file, ever
  });

  it('leaves nothing behind when a write fails, and the earlier content when a replacement fails', async () => {
    dfs.deny = (method, path) => method === 'PUT' && path.startsWith('bronze/failed/');
    try {
      await expect(lake.writeFile('bronze/failed/new.jsonl', 'x\n')).rejects.toMatchObject({ statusCode: 403 });
      await expect(lake.writeFileIfAbsent('bronze/failed/new.jsonl', 'x\n')).rejects.toMatchObject({ statusCode: 403 });
      expect(dfs.files.has('bronze/failed/new.jsonl')).toBe(false);
      expect(await lake.list('bronze')).toEqual([]);
      dfs.deny = undefined;
      await lake.writeFile('bronze/failed/old.jsonl', 'old\n');
      dfs.deny = (method, path) => method === 'PUT' && path.startsWith('bronze/failed/');
      await expect(lake.writeFile('bronze/failed/old.jsonl', 'new\n')).rejects.toMatchObject({ statusCode: 403 });
      expect((await lake.readFile('bronze/failed/old.jsonl')).toString()).toBe('old\n');
    } finally {
      dfs.deny = undefined;
    }
  });

  it('writes a file over the single-request limit as blocks that one Put Block List commits', async () => {
    const small = new AdlsLake(dfs.url, newPipeline(key), { singlePutMaxBytes: 1024, blockBytes: 400 });
    const big = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    seen();
    await small.writeFile('gold/big/at-limit.bin', big.subarray(0, 1024));
    expect(seen()).toEqual(['PUT gold/big/at-limit.bin [BlockBlob]']);
    await small.writeFile('gold/big/part-0.bin', big);
    // 7 blocks of at most 400 bytes (staged in parallel), then the commit.
    expect(seen()).toEqual([...Array(7).fill('PUT gold/big/part-0.bin?comp=block'), 'PUT gold/big/part-0.bin?comp=blocklist']);
    expect((await small.readFile('gold/big/part-0.bin')).equals(big)).toBe(true);
    expect(seen()).toEqual(['GET gold/big/part-0.bin']);

    // Put-if-absent commits with If-None-Match: *: refused on an existing file, which keeps its content.
    expect(await small.writeFileIfAbsent('gold/big/part-0.bin', Buffer.alloc(3000, 1))).toBe(false);
    expect(dfs.files.get('gold/big/part-0.bin')!.equals(big)).toBe(true);
    expect(await small.writeFileIfAbsent('gold/big/part-1.bin', big)).toBe(true);
    expect((await small.readFile('gold/big/part-1.bin')).equals(big)).toBe(true);

    // Blocks whose commit fails are not a file: nothing to list or read.
    let puts = 0;
    dfs.deny = (method, path) => method === 'PUT' && path === 'gold/big/part-2.bin' && ++puts > 7; // the 7 blocks go through, the block list is refused
    try {
      await expect(small.writeFile('gold/big/part-2.bin', big)).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      dfs.deny = undefined;
    }
    expect(puts).toBe(8);
    expect(await small.list('gold/big')).toEqual(['gold/big/at-limit.bin', 'gold/big/part-0.bin', 'gold/big/part-1.bin']);
    await expect(small.readFile('gold/big/part-2.bin')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never lists temporary files, and sweeps those that writes of earlier versions left', async () => {
    // Earlier versions wrote through <filesystem>/_tmp/ and a rename; a killed one left its file there.
    const killed = new DataLakeServiceClient(dfs.url, key);
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
    seen();
    const entries = await lake.listEntries('gold/aged');
    expect(seen()).toEqual(['GET gold/']); // one listing, no request per file
    expect(entries.map((e) => [e.path, e.size])).toEqual([['gold/aged/_delta_log/00000000000000000000.json', 2], ['gold/aged/a.parquet', 4]]);
    expect(entries[1]!.modified.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await lake.list('gold/aged')).toEqual(entries.map((e) => e.path));
  });

  it('scans files under a name prefix in path order, a page a request, and stops paying when the caller stops', async () => {
    const paged = new AdlsLake(dfs.url, newPipeline(key), { scanPageSize: 2 });
    for (let v = 0; v < 12; v++) await lake.writeFile(`gold/scan/_delta_log/${String(v).padStart(20, '0')}.json`, `{"v":${v}}`);
    await lake.writeFile('gold/scan/_delta_log/00000000000000000010.checkpoint.parquet', 'PAR1');
    await lake.writeFile('gold/scan/_delta_log/_last_checkpoint', '{}');
    await lake.writeFile('gold/scan/part-0.parquet', 'x');
    dfs.modified.set('gold/scan/_delta_log/00000000000000000003.json', new Date('2026-01-01T00:00:00Z'));
    seen();
    const block: Array<[string, number]> = [];
    for await (const e of paged.scanEntries('gold/scan/_delta_log/0000000000000000001')) block.push([e.path.slice('gold/scan/_delta_log/'.length), e.size]);
    expect(block).toEqual([['00000000000000000010.checkpoint.parquet', 4], ['00000000000000000010.json', 8], ['00000000000000000011.json', 8]]);
    expect(seen()).toEqual(['GET gold/?comp=list', 'GET gold/?comp=list']); // 3 files, 2 a page
    const all: string[] = [];
    for await (const e of paged.scanEntries('gold/scan/')) all.push(e.path);
    expect(all).toEqual([...dfs.files.keys()].filter((k) => k.startsWith('gold/scan/')).sort());
    seen();
    // Stopping after the first 4 of 15 files: 2 pages of 2, not the 8 of the whole listing.
    const first: Array<[string, string]> = [];
    for await (const e of paged.scanEntries('gold/scan/_delta_log/')) {
      first.push([e.path.slice(-25), e.modified.toISOString()]);
      if (first.length === 4) break;
    }
    expect(first[3]).toEqual(['00000000000000000003.json', '2026-01-01T00:00:00.000Z']);
    expect(seen()).toEqual(['GET gold/?comp=list', 'GET gold/?comp=list']);
    expect(await collect(paged.scanEntries('gold/none/'))).toEqual([]);
    expect(await collect(paged.scanEntries('nofs/x'))).toEqual([]);
  });

  it('rejects paths that leave the lake or name no filesystem', async () => {
    await expect(lake.writeFile('../etc/x', 'x')).rejects.toThrow("expected a relative lake path without '..'");
    await expect(lake.writeFile('bronze', 'x')).rejects.toThrow('expected a lake path <filesystem>/<path>, got "bronze"');
  });
});
