// The test endpoint, driven by the real @azure/event-hubs SDK (producer and consumer).
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { startEventHubsServer, parseSelector, firstSelected, type EventHubsServer, type StoredEvent } from './eventhubs-server';
import { partitionForKey } from '../../producer/partition-key';

jest.setTimeout(60_000);

let server: EventHubsServer;
let producer: EventHubProducerClient;
let consumer: EventHubConsumerClient;
/** The partition the keyed event went to (the counts test needs it). */
let keyedPartition = -1;

beforeAll(async () => {
  server = await startEventHubsServer({ hub: 'orders', partitions: 4 });
  producer = new EventHubProducerClient(server.connectionString);
  consumer = new EventHubConsumerClient('orderlake', server.connectionString);
});
afterAll(async () => {
  await producer?.close();
  await consumer?.close();
  await server?.stop();
});

/** Reads a partition from a position until `n` events came (or 10 s passed). */
async function read(partitionId: string, n: number, startPosition: Parameters<EventHubConsumerClient['subscribe']>[2] extends infer O ? O extends { startPosition?: infer P } ? P : never : never): Promise<ReceivedEventData[]> {
  const got: ReceivedEventData[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${got.length} of ${n} events of partition ${partitionId} in 10 s`)), 10_000);
    const sub = consumer.subscribe(partitionId, {
      processEvents: async (events) => {
        got.push(...events);
        if (got.length >= n) {
          clearTimeout(timer);
          await sub.close();
          resolve();
        }
      },
      processError: async (e) => reject(e),
    }, { startPosition, skipParsingBodyAsJson: true, maxBatchSize: 100, maxWaitTimeInSeconds: 1 });
  });
  return got;
}

describe('startEventHubsServer', () => {
  it('answers the hub and partition properties the SDK reads', async () => {
    expect(await producer.getPartitionIds()).toEqual(['0', '1', '2', '3']);
    const hub = await producer.getEventHubProperties();
    expect({ name: hub.name, partitionIds: hub.partitionIds }).toEqual({ name: 'orders', partitionIds: ['0', '1', '2', '3'] });
    expect(await producer.getPartitionProperties('3')).toMatchObject({ partitionId: '3', eventHubName: 'orders', isEmpty: true, lastEnqueuedSequenceNumber: -1 });
  });

  it('keeps a batch sent to a partition in order, and delivers it with sequence numbers, byte offsets and enqueued times', async () => {
    const batch = await producer.createBatch({ partitionId: '1' });
    const bodies = ['{"order_id":"ORD-1"}', 'not json', '{"order_id":"ORD-2"}'];
    for (const b of bodies) expect(batch.tryAdd({ body: Buffer.from(b) })).toBe(true);
    const before = Date.now();
    await producer.sendBatch(batch);
    const events = await read('1', 3, earliestEventPosition);
    expect(events.map((e) => Buffer.from(e.body as Buffer).toString('utf8'))).toEqual(bodies);
    expect(events.map((e) => e.sequenceNumber)).toEqual([0, 1, 2]);
    const stored = server.partitions[1]!;
    expect(events.map((e) => e.offset)).toEqual(stored.map((s) => s.offset));
    expect(Number(stored[1]!.offset)).toBe(stored[0]!.bytes);
    expect(events[0]!.enqueuedTimeUtc.getTime()).toBeGreaterThanOrEqual(before - 5);
    const props = await producer.getPartitionProperties('1');
    expect(props).toMatchObject({ isEmpty: false, lastEnqueuedSequenceNumber: 2, lastEnqueuedOffset: stored[2]!.offset });
  });

  it('routes a partition key with the service hash and hands the key back to receivers', async () => {
    const key = 'ORD-100042';
    const target = String(partitionForKey(key, 4));
    keyedPartition = Number(target);
    const batch = await producer.createBatch({ partitionKey: key });
    batch.tryAdd({ body: Buffer.from('keyed') });
    const before = server.partitions[Number(target)]!.length;
    await producer.sendBatch(batch);
    const events = await read(target, before + 1, earliestEventPosition);
    expect(events[before]).toMatchObject({ partitionKey: key, sequenceNumber: before });
  });

  it('starts a receiver at a sequence number or an offset, exclusive or inclusive', async () => {
    const base = server.partitions[3]!.length; // the keyed event may have landed here
    const batch = await producer.createBatch({ partitionId: '3' });
    for (let i = 0; i < 5; i++) batch.tryAdd({ body: Buffer.from(`e${i}`) });
    await producer.sendBatch(batch);
    const afterSecond = await read('3', 2, { sequenceNumber: base + 2 });
    expect(afterSecond.map((e) => Buffer.from(e.body as Buffer).toString())).toEqual(['e3', 'e4']);
    const fromFourth = await read('3', 2, { offset: server.partitions[3]![base + 3]!.offset, isInclusive: true });
    expect(fromFourth.map((e) => e.sequenceNumber)).toEqual([base + 3, base + 4]);
  });

  it('counts what it serves, per operation', () => {
    const c = server.counts();
    expect(c['send.events']).toBe(9);
    expect(c['send.transfers']).toBe(3);
    expect(c['management.read-hub']).toBe(2); // getPartitionIds and getEventHubProperties
    // Each receiver is sent everything after its position: 3 of partition 1, the whole keyed partition, 2 and 2 of partition 3.
    expect(c['receive.events']).toBe(3 + server.partitions[keyedPartition]!.length + 2 + 2);
  });

  it('rejects a send when asked, and the SDK retries it', async () => {
    const quick = new EventHubProducerClient(server.connectionString, { retryOptions: { retryDelayInMs: 50 } }); // the default waits 30 s
    server.rejectNextSends(1);
    const before = server.partitions[2]!.length;
    const batch = await quick.createBatch({ partitionId: '2' });
    batch.tryAdd({ body: Buffer.from('retried') });
    await quick.sendBatch(batch);
    await quick.close();
    expect(server.counts()['send.rejected']).toBe(1);
    expect(server.partitions[2]!.length).toBe(before + 1);
  });

  it('answers anything it does not serve with an AMQP error', async () => {
    const other = new EventHubProducerClient(server.connectionString.replace('EntityPath=orders', 'EntityPath=payments'), { retryOptions: { maxRetries: 0 } });
    await expect(other.getPartitionIds()).rejects.toThrow('no event hub "payments"');
    await other.close();
    const wrongGroup = new EventHubConsumerClient('nobody', server.connectionString, { retryOptions: { maxRetries: 0 } });
    const error = await new Promise<Error>((resolve) => {
      const sub = wrongGroup.subscribe('0', { processEvents: async () => undefined, processError: async (e) => { await sub.close(); resolve(e); } }, { startPosition: earliestEventPosition });
    });
    expect(error.message).toContain('no consumer group "nobody"');
    await wrongGroup.close();
  });
});

describe('parseSelector and firstSelected', () => {
  const log: StoredEvent[] = [0, 1, 2].map((i) => ({ sequenceNumber: i, offset: String(i * 100), enqueuedTime: new Date(1000 + i), partitionKey: undefined, message: {}, bytes: 100 }));

  it('select the first event after (or at) a position', () => {
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-offset > '-1'"))).toBe(0);
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-offset > '100'"))).toBe(2);
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-offset >= '100'"))).toBe(1);
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-offset > '@latest'"))).toBe(3);
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-sequence-number > '0'"))).toBe(1);
    expect(firstSelected(log, parseSelector("amqp.annotation.x-opt-enqueued-time > '1001'"))).toBe(2);
  });

  it('refuses a selector it does not know', () => {
    expect(() => parseSelector("amqp.annotation.x-opt-partition-key = 'a'")).toThrow(`expected a selector on x-opt-offset, x-opt-sequence-number or x-opt-enqueued-time, got "amqp.annotation.x-opt-partition-key = 'a'"`);
  });
});
