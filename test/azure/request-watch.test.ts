import { DataLakeServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-datalake';
import { QueueClient, newPipeline as newQueuePipeline, StorageSharedKeyCredential as QueueKey } from '@azure/storage-queue';
import { RequestCounter, batchTable, classify, lakePipeline, storageWatchFactory, tableClientOptions, type WatchedRequest } from '../../src/azure/request-watch';
import { createServices } from '../../src/azure/services';
import { AdlsLake } from '../../src/adapters/azure/adls-lake';
import { startAzurite, AZURITE_ACCOUNT, AZURITE_KEY, type Azurite } from '../helpers/azurite';
import { startDfsServer, type DfsServer } from '../helpers/dfs-server';

jest.setTimeout(60_000);

const req = (service: WatchedRequest['service'], method: string, url: string, headers: Record<string, string> = {}): WatchedRequest => ({ service, method, url, header: (n) => headers[n.toLowerCase()] });

describe('classify', () => {
  it('names ADLS operations on the DFS and blob endpoints, real and IP-style', () => {
    const dfs = 'https://lake.dfs.core.windows.net';
    expect(classify(req('adls', 'PUT', `${dfs}/bronze/a/b.jsonl.1.tmp?resource=file`))).toEqual({ operation: 'create', target: 'bronze' });
    expect(classify(req('adls', 'PATCH', `${dfs}/bronze/a.tmp?action=append&position=0`))).toEqual({ operation: 'append', target: 'bronze' });
    expect(classify(req('adls', 'PATCH', `${dfs}/bronze/a.tmp?action=flush&position=10`))).toEqual({ operation: 'flush', target: 'bronze' });
    expect(classify(req('adls', 'PUT', `${dfs}/silver/x.jsonl?mode=legacy`, { 'x-ms-rename-source': '/silver/x.tmp' }))).toEqual({ operation: 'rename', target: 'silver' });
    const blob = 'https://lake.blob.core.windows.net';
    expect(classify(req('adls', 'PUT', `${blob}/silver/order_events/p0-1.jsonl`, { 'x-ms-blob-type': 'BlockBlob' }))).toEqual({ operation: 'put-blob', target: 'silver' });
    expect(classify(req('adls', 'PUT', `${blob}/gold/t/part-1.parquet?comp=block&blockid=AAAA`))).toEqual({ operation: 'put-block', target: 'gold' });
    expect(classify(req('adls', 'PUT', 'http://127.0.0.1:1000/devstoreaccount1/gold/t/part-1.parquet?comp=blocklist'))).toEqual({ operation: 'put-block-list', target: 'gold' });
    expect(classify(req('adls', 'GET', 'https://lake.blob.core.windows.net/gold/t/part-1.parquet'))).toEqual({ operation: 'read', target: 'gold' });
    expect(classify(req('adls', 'GET', `${dfs}/silver?resource=filesystem&recursive=true&directory=order_events`))).toEqual({ operation: 'list', target: 'silver' });
    expect(classify(req('adls', 'GET', 'https://lake.blob.core.windows.net/?comp=list'))).toEqual({ operation: 'list', target: '' });
    expect(classify(req('adls', 'DELETE', 'http://127.0.0.1:1000/devstoreaccount1/gold/t/old.parquet'))).toEqual({ operation: 'delete', target: 'gold' });
    expect(classify(req('adls', 'HEAD', 'http://127.0.0.1:1000/devstoreaccount1/gold/t/x'))).toEqual({ operation: 'get-properties', target: 'gold' });
  });

  it('names Table operations, telling an upsert from a conditional update', () => {
    const t = 'https://state.table.core.windows.net';
    expect(classify(req('table', 'POST', `${t}/Tables`))).toEqual({ operation: 'create-table', target: 'Tables' });
    expect(classify(req('table', 'POST', `${t}/orderlakeledger`))).toEqual({ operation: 'insert', target: 'orderlakeledger' });
    expect(classify(req('table', 'GET', `${t}/orderlakeledger(PartitionKey='abc',RowKey='abc1')`))).toEqual({ operation: 'get', target: 'orderlakeledger' });
    expect(classify(req('table', 'GET', `${t}/orderlakecommits()?$filter=PartitionKey%20eq%20'0'`))).toEqual({ operation: 'query', target: 'orderlakecommits' });
    expect(classify(req('table', 'PUT', `${t}/orderlakedocuments(PartitionKey='doc',RowKey='gold-state')`))).toEqual({ operation: 'upsert', target: 'orderlakedocuments' });
    expect(classify(req('table', 'PUT', `${t}/orderlakeleases(PartitionKey='lease',RowKey='gold')`, { 'if-match': 'W/"1"' }))).toEqual({ operation: 'update', target: 'orderlakeleases' });
    expect(classify(req('table', 'DELETE', `http://127.0.0.1:1/devstoreaccount1/orderlakeleases(PartitionKey='lease',RowKey='gold')`))).toEqual({ operation: 'delete', target: 'orderlakeleases' });
  });

  it('names Queue operations', () => {
    const q = 'https://state.queue.core.windows.net/silver-batches';
    expect(classify(req('queue', 'POST', `${q}/messages`)).operation).toBe('send');
    expect(classify(req('queue', 'GET', `${q}/messages?numofmessages=4&visibilitytimeout=30`)).operation).toBe('receive');
    expect(classify(req('queue', 'GET', `${q}/messages?peekonly=true`)).operation).toBe('peek');
    expect(classify(req('queue', 'DELETE', `${q}/messages/id-1?popreceipt=p`)).operation).toBe('delete');
    expect(classify(req('queue', 'PUT', `${q}/messages/id-1?popreceipt=p&visibilitytimeout=30`)).operation).toBe('update');
    expect(classify(req('queue', 'PUT', q))).toEqual({ operation: 'create', target: 'silver-batches' });
  });
});

describe('batchTable', () => {
  it('names the table of an entity group transaction from its first operation line, path- or IP-style', () => {
    const body = (url: string) => `--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n--changeset_1\r\nContent-Type: application/http\r\n\r\nPOST ${url} HTTP/1.1\r\nAccept: application/json\r\n\r\n{}\r\n--changeset_1--\r\n--batch_1--\r\n`;
    expect(batchTable(body('https://acct.table.core.windows.net/orderlakeledger'))).toBe('orderlakeledger');
    expect(batchTable(body("http://127.0.0.1:10002/devstoreaccount1/orderlakecommits(PartitionKey='0',RowKey='head')"))).toBe('orderlakecommits');
    expect(batchTable('not a batch')).toBeUndefined();
    expect(batchTable(undefined)).toBeUndefined();
  });
});

describe('RequestCounter, in the SDK pipelines', () => {
  let dfs: DfsServer;
  let azurite: Azurite;
  beforeAll(async () => {
    [dfs, azurite] = await Promise.all([startDfsServer(), startAzurite()]);
  });
  afterAll(async () => {
    await dfs?.stop();
    await azurite?.stop();
  });

  it('counts every ADLS request the lake adapter makes, as the server sees them', async () => {
    const counter = new RequestCounter();
    const pipeline = lakePipeline(new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('k').toString('base64')), counter.watch);
    await new DataLakeServiceClient(dfs.url, pipeline).getFileSystemClient('bronze').create();
    const lake = new AdlsLake(dfs.url, pipeline); // its blob and DFS clients share the watched pipeline
    await lake.writeFile('bronze/a/one.jsonl', 'x\n');
    expect(await lake.writeFileIfAbsent('bronze/a/one.jsonl', 'y\n')).toBe(false);
    expect((await lake.readFile('bronze/a/one.jsonl')).toString()).toBe('x\n');
    expect(await lake.list('bronze/a')).toEqual(['bronze/a/one.jsonl']);
    await lake.deleteFile('bronze/a/one.jsonl');
    // A write is one Put Blob (the refused put-if-absent too), a read one Get Blob.
    expect(counter.byOperation()).toEqual({
      'adls.create-filesystem': 1, 'adls.delete': 1, 'adls.list': 1, 'adls.put-blob': 2, 'adls.read': 1,
    });
    expect(dfs.requests.length).toBe(6);
    expect(counter.byTarget()['adls.bronze.put-blob']).toBe(2);
  });

  it('counts Table requests of the state adapters by table, through createServices', async () => {
    const counter = new RequestCounter();
    const svc = await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' }, undefined, counter.watch);
    expect(counter.byOperation()).toEqual({ 'table.create-table': 4 });
    await svc.ledger.claim([{ eventId: 'aaa1', position: '0:1' }, { eventId: 'bbb2', position: '0:2' }]);
    await svc.ledger.claim([{ eventId: 'aaa1', position: '0:9' }]); // taken: the transaction fails with 409, then a get
    await svc.documents.put('gold-state', { runs: 1 });
    expect(counter.byTarget()).toEqual({
      'table.Tables.create-table': 4, 'table.orderlakeledger.batch': 3, 'table.orderlakeledger.get': 1, 'table.orderlakedocuments.upsert': 1,
    });
  });

  it('fails a request with what the watcher throws, before it reaches the service', async () => {
    const outage = Object.assign(new Error('injected outage'), { statusCode: 503 });
    const svc = await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' });
    const failing = await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' }, undefined, (r) => {
      if (r.method === 'PUT') throw outage;
    });
    await expect(failing.documents.put('doc-1', { a: 1 })).rejects.toBe(outage);
    expect(await svc.documents.get('doc-1')).toBeUndefined();
    expect(tableClientOptions(undefined)).toEqual({});
  });

  it('watches a queue client through the storage pipeline factory', async () => {
    const counter = new RequestCounter();
    const pipeline = newQueuePipeline(new QueueKey(AZURITE_ACCOUNT, AZURITE_KEY));
    pipeline.factories.push(storageWatchFactory('queue', counter.watch));
    const queue = new QueueClient(`${azurite.queueUrl}/watched`, pipeline);
    await queue.create();
    await queue.sendMessage('aGk=');
    const [m] = (await queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
    await queue.deleteMessage(m!.messageId, m!.popReceipt);
    expect(counter.byOperation()).toEqual({ 'queue.create': 1, 'queue.delete': 1, 'queue.receive': 1, 'queue.send': 1 });
  });
});
