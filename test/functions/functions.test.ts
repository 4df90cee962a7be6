import { InvocationContext, HttpRequest, type Timer } from '@azure/functions';
import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-file-datalake';
import { ingestBronze, silverQueue } from '../../functions/ingestBronze';
import { refineSilver, parseBronzeMessage } from '../../functions/refineSilver';
import { buildGoldOnTimer } from '../../functions/buildGold';
import { health } from '../../functions/health';
import { setServices, createServices, type AzureServices } from '../../src/azure/services';
import { AdlsLake } from '../../src/adapters/azure/adls-lake';
import { exportTable } from '../../src/gold/export';
import { pipelineStats } from '../../src/pipeline/stats';
import type { BronzeMessage } from '../../src/pipeline/ports';
import { startAzurite, type Azurite } from '../helpers/azurite';
import { startDfsServer, type DfsServer } from '../helpers/dfs-server';
import { orderEvent, uuid } from '../helpers/events';

let azurite: Azurite;
let dfs: DfsServer;
let svc: AzureServices;

beforeAll(async () => {
  azurite = await startAzurite();
  dfs = await startDfsServer();
  const key = new StorageSharedKeyCredential('devstoreaccount1', Buffer.from('k').toString('base64'));
  const service = new DataLakeServiceClient(dfs.url, key);
  for (const fs of ['bronze', 'silver', 'quarantine', 'gold']) await service.getFileSystemClient(fs).create();
  svc = { ...(await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' })), lake: new AdlsLake(dfs.url, newPipeline(key)) };
  setServices(svc);
}, 180_000);
afterAll(async () => {
  setServices(undefined);
  await dfs?.stop();
  await azurite?.stop();
});

/** Trigger input exactly as the v4 library hands it over for cardinality many, dataType binary. */
function eventHubInvocation(partitionId: string, firstSeq: number, bodies: Buffer[]) {
  const n = bodies.length;
  const context = new InvocationContext({
    invocationId: `inv-${partitionId}-${firstSeq}`,
    functionName: 'ingestBronze',
    triggerMetadata: {
      partitionContext: { consumerGroup: 'orderlake', eventHubName: 'orders', fullyQualifiedNamespace: 'ns.servicebus.windows.net', partitionId },
      partitionKeyArray: bodies.map(() => 'ORD-100001'),
      offsetArray: bodies.map((_, i) => String(4294967296 + (firstSeq + i) * 1024)),
      sequenceNumberArray: bodies.map((_, i) => firstSeq + i),
      enqueuedTimeUtcArray: bodies.map(() => '2026-03-05T12:00:00.123Z'),
      propertiesArray: bodies.map(() => ({})),
      systemPropertiesArray: bodies.map((_, i) => ({ SequenceNumber: firstSeq + i })),
    },
  });
  return { messages: bodies, context, n };
}

const ev = (n: number, over: Record<string, unknown> = {}) => Buffer.from(JSON.stringify(orderEvent({ event_id: uuid(n), order_id: 'ORD-100001', ...over })));
const BODIES = [ev(1, { status: 'PLACED' }), Buffer.from('not json at all'), Buffer.from([0xff, 0xfe, 0x7b]), ev(2, { status: 'PAID', event_time: '2026-03-04T10:12:00Z' })];

describe('ingestBronze', () => {
  it('writes the batch to bronze byte for byte, with positions from the trigger metadata, and returns the queue message', async () => {
    const { messages, context } = eventHubInvocation('0', 100, BODIES);
    const m = await ingestBronze(messages, context);
    expect(m).toEqual({ batchId: 'p0-000000000100-000000000103', partition: '0', bronzeFile: 'bronze/ingest_date=2026-03-05/partition=0/p0-000000000100-000000000103.jsonl', events: 4 });
    const lines = (await svc.lake.readFile(m!.bronzeFile)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ partition: '0', offset: String(4294967296 + 101 * 1024), sequence_number: 101, enqueued_time: '2026-03-05T12:00:00.123Z', body: 'not json at all' });
    expect(lines[2]).toEqual({ partition: '0', offset: String(4294967296 + 102 * 1024), sequence_number: 102, enqueued_time: '2026-03-05T12:00:00.123Z', body_base64: '//57' });
    expect(lines[0].body).toBe(BODIES[0]!.toString('utf8'));
  });

  it('rewrites the same file when the batch is delivered again, instead of adding one', async () => {
    const { messages, context } = eventHubInvocation('0', 100, BODIES);
    const before = await svc.lake.list('bronze');
    const m = await ingestBronze(messages, context);
    expect(await svc.lake.list('bronze')).toEqual(before);
    expect(m?.bronzeFile).toBe('bronze/ingest_date=2026-03-05/partition=0/p0-000000000100-000000000103.jsonl');
  });

  it('fails the invocation with a clear message when the metadata does not match the batch', async () => {
    const { messages, context } = eventHubInvocation('0', 100, BODIES);
    (context.triggerMetadata as Record<string, unknown>)['sequenceNumberArray'] = [1, 2];
    await expect(ingestBronze(messages, context)).rejects.toThrow('expected trigger metadata sequenceNumberArray to be an array of 4 entries (one per event), got [1,2]');
  });

  it('hands its message to silver through a queue output binding named by settings', () => {
    expect(silverQueue).toMatchObject({ type: 'queue', queueName: '%SILVER_QUEUE_NAME%', connection: 'StateStorage' });
  });
});

describe('refineSilver', () => {
  const message: BronzeMessage = { batchId: 'p0-000000000100-000000000103', partition: '0', bronzeFile: 'bronze/ingest_date=2026-03-05/partition=0/p0-000000000100-000000000103.jsonl', events: 4 };
  const queueContext = () => new InvocationContext({ invocationId: 'q1', functionName: 'refineSilver', triggerMetadata: { dequeueCount: 1, id: 'm1' } });

  it('refines the bronze batch into silver and quarantine, counting every event', async () => {
    await refineSilver(message, queueContext());
    const s = await pipelineStats(svc.commits);
    expect(s).toMatchObject({ received: 4, written: 2, quarantined: 2, malformed: 2 });
    expect((await svc.lake.list('silver')).length).toBe(2); // events and lines of 2026-03-04
    expect((await svc.lake.list('quarantine')).length).toBe(1);
  });

  it('changes nothing when the same message is processed again', async () => {
    const before = await svc.lake.list('');
    expect(before.length).toBe(4); // bronze, silver events and lines, quarantine
    await refineSilver(JSON.stringify(message), queueContext());
    expect(await svc.lake.list('')).toEqual(before);
    expect((await pipelineStats(svc.commits)).received).toBe(4);
  });

  it('throws (so the queue retries, then poisons) on a message that is not a bronze batch', async () => {
    expect(() => parseBronzeMessage({ hello: 1 })).toThrow('expected a silver queue message {batchId, partition, bronzeFile, events}, got {"hello":1}');
    await expect(refineSilver({ batchId: 'x', partition: '0', bronzeFile: 'bronze/missing.jsonl' }, queueContext())).rejects.toThrow('not found: bronze/missing.jsonl');
  });
});

describe('buildGoldOnTimer', () => {
  const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

  it('skips when another run holds the lease', async () => {
    await svc.lease.acquire('gold', 'someone-else', 60_000);
    const ctx = new InvocationContext({ invocationId: 'g0', functionName: 'buildGold' });
    await buildGoldOnTimer(timer, ctx);
    expect(await svc.lake.list('gold/monthly_revenue')).toEqual([]);
    await svc.lease.release('gold', 'someone-else');
  });

  it('brings gold up to date on ADLS and releases the lease', async () => {
    const logged: string[] = [];
    await buildGoldOnTimer(timer, new InvocationContext({ invocationId: 'g1', functionName: 'buildGold', logHandler: (_l, ...a) => logged.push(a.map(String).join(' ')) }));
    // The plan before the work (a first build: no range held orders yet), then the run's line with what it rewrote.
    expect(logged.filter((l) => l.startsWith('gold: plan:'))).toEqual(['gold: plan: 1 work range rewrite(s) over 0 order(s) they hold, for 1 new batch(es)']);
    expect(logged.map((l) => (l.includes('"newBatches"') ? JSON.parse(l) as Record<string, unknown> : undefined)).filter(Boolean)).toEqual([expect.objectContaining({ stage: 'gold', run: 1, newBatches: 1, changedDates: 1, ordersRewritten: 1 })]); // ORD-100001
    const rows: string[] = [];
    for await (const line of exportTable(svc.lake, 'monthly_revenue')) rows.push(line);
    // Order ORD-100001: PLACED then PAID (2026-03-04), 143.98 EUR x 1.08 = 155.50 USD
    expect(rows).toEqual(['{"order_year":2026,"order_month":3,"total_orders":1,"gross_revenue_usd":155.50,"net_revenue_usd":155.50,"units":3,"avg_order_value_usd":155.50,"cancelled_orders":0,"returned_orders":0,"return_rate_pct":0.00,"cancellation_rate_pct":0.00,"high_value_orders":0}']);
    expect(await svc.lease.acquire('gold', 'next', 60_000)).toBe(true);
    await svc.lease.release('gold', 'next');
  });
});

describe('health', () => {
  it('reports counts per layer and the last gold run', async () => {
    const res = await health(new HttpRequest({ method: 'GET', url: 'http://localhost/api/health' }), new InvocationContext({ functionName: 'health' }));
    const body = res.jsonBody as Record<string, unknown>;
    expect(body['layers']).toEqual({ bronzeBatches: 1, received: 4, silver: 2, quarantine: 2, dropped: 0, duplicates: 0 });
    expect((body['gold'] as { runs: number }).runs).toBe(1);
    expect(typeof body['goldLagSeconds']).toBe('number');
  });
});
