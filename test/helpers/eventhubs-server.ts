// A small Event Hubs endpoint for tests: an AMQP 1.0 server (on rhea) that serves what the
// real @azure/event-hubs SDK sends when its connection string says
// UseDevelopmentEmulator=true (plain TCP, any token): CBS put-token on $cbs, $management
// READ of the hub and of a partition, sends to the hub (routed by partition key, else round
// robin) or to hub/Partitions/N, single messages and batches (message format 0x80013700,
// one encoded message per data section), and receivers on
// hub/ConsumerGroups/<group>/Partitions/N from a position (the selector filter on offset,
// sequence number or enqueued time). Anything else answers with an AMQP error, so a new
// call fails loudly instead of half-working. It counts what it serves, per operation.
// Written from the SDK's sources (@azure/core-amqp cbs.js, requestResponseLink.js;
// @azure/event-hubs managementClient.js, eventHubSender.js, partitionReceiver.js,
// eventPosition.js, eventData.js), not from any Microsoft server code.
import type { AddressInfo, Server } from 'node:net';
import { create_container, message as amqpMessage, types, type EventContext, type Message as RheaMessage, type Receiver, type Sender, type Delivery } from 'rhea';
import { partitionForKey } from '../../producer/partition-key';

/** The batch message format the SDK sends (eventHubSender.js: `format: 2147563264`). */
export const BATCH_FORMAT = 0x80013700;
const SELECTOR_FILTER = 'apache.org:selector-filter:string';
/** What a Standard namespace allows per message (the SDK sizes its batches from the link's max_message_size). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/** An AMQP message as rhea decodes it (its typings make the body required). */
export interface AmqpMessage {
  body?: unknown;
  message_id?: unknown;
  reply_to?: unknown;
  correlation_id?: unknown;
  application_properties?: Record<string, unknown>;
  message_annotations?: Record<string, unknown>;
}
const decode = (b: Buffer) => amqpMessage.decode(b) as unknown as AmqpMessage;
const encode = (m: AmqpMessage) => amqpMessage.encode(m as unknown as RheaMessage);
const send = (s: Sender, m: AmqpMessage) => s.send(m as unknown as RheaMessage);

export interface StoredEvent {
  sequenceNumber: number;
  /** Bytes before this event in the partition, as a string (Event Hubs offsets are strings). */
  offset: string;
  enqueuedTime: Date;
  partitionKey: string | undefined;
  /** The event as the producer encoded it (properties, annotations, body). */
  message: AmqpMessage;
  bytes: number;
}

export interface EventHubsServerOptions {
  hub?: string;
  partitions?: number;
  consumerGroups?: string[];
}

export interface EventHubsServer {
  port: number;
  hub: string;
  /** A connection string the SDK accepts for this server. */
  connectionString: string;
  partitions: StoredEvent[][];
  /** Requests served, by operation: cbs.put-token, management.read-hub, send.batches, send.events, receive.events, ... */
  counts(): Record<string, number>;
  /** The next `n` sends are rejected with com.microsoft:server-busy (a retryable error). */
  rejectNextSends(n: number): void;
  stop(): Promise<void>;
}

type Position = { kind: 'offset' | 'sequence-number' | 'enqueued-time'; inclusive: boolean; value: string };

/** Parses the SDK's selector, e.g. `amqp.annotation.x-opt-offset > '-1'` (eventPosition.js). */
export function parseSelector(selector: string): Position {
  const m = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time) (>=|>) '([^']*)'$/.exec(selector);
  if (!m) throw new Error(`expected a selector on x-opt-offset, x-opt-sequence-number or x-opt-enqueued-time, got ${JSON.stringify(selector)}`);
  return { kind: m[1] as Position['kind'], inclusive: m[2] === '>=', value: m[3]! };
}

/** Index of the first event of `log` the position selects. */
export function firstSelected(log: readonly StoredEvent[], p: Position): number {
  if (p.kind === 'offset' && p.value === '@latest') return log.length;
  const key = (e: StoredEvent) => (p.kind === 'offset' ? Number(e.offset) : p.kind === 'sequence-number' ? e.sequenceNumber : e.enqueuedTime.getTime());
  const bound = Number(p.value);
  if (!Number.isFinite(bound)) throw new Error(`expected a number in the ${p.kind} selector, got ${JSON.stringify(p.value)}`);
  const i = log.findIndex((e) => (p.inclusive ? key(e) >= bound : key(e) > bound));
  return i < 0 ? log.length : i;
}

function amqpError(condition: string, description: string) {
  return { condition, description };
}

/** The events a transfer carries: a batch holds one encoded message per data section. */
function eventsOf(context: EventContext): { outer: AmqpMessage; events: Array<{ message: AmqpMessage; bytes: number }> } {
  const delivery = context.delivery as Delivery;
  if (delivery.format === 0) {
    const m = context.message as unknown as AmqpMessage;
    return { outer: m, events: [{ message: m, bytes: encode(m).length }] };
  }
  if (delivery.format !== BATCH_FORMAT) throw new Error(`expected message format 0 or ${BATCH_FORMAT} (a batch), got ${delivery.format}`);
  const outer = decode(context.message as unknown as Buffer);
  const body = outer.body as { typecode?: number; content?: Buffer | Buffer[]; multiple?: boolean } | undefined;
  if (body?.typecode !== 0x75 || !body.content) throw new Error(`expected a batch of data sections, got body type ${body?.typecode}`);
  const sections = body.multiple ? (body.content as Buffer[]) : [body.content as Buffer];
  return { outer, events: sections.map((s) => ({ message: decode(s), bytes: s.length })) };
}

export async function startEventHubsServer(opts: EventHubsServerOptions = {}): Promise<EventHubsServer> {
  const hub = opts.hub ?? 'orders';
  const partitionCount = opts.partitions ?? 4;
  const groups = new Set(opts.consumerGroups ?? ['$default', 'orderlake']);
  const partitions: StoredEvent[][] = Array.from({ length: partitionCount }, () => []);
  const partitionBytes = new Array<number>(partitionCount).fill(0);
  const counts = new Map<string, number>();
  const count = (op: string, n = 1) => counts.set(op, (counts.get(op) ?? 0) + n);
  const createdAt = new Date();
  let roundRobin = 0;
  let rejectSends = 0;
  /** Reply links by name: the SDK names its $cbs / $management receiver after the reply_to address. */
  const replyLinks = new Map<string, Sender>();
  /** Receivers reading a partition, and where each one is. */
  const readers = new Set<{ sender: Sender; partition: number; next: number }>();

  const pump = (r: { sender: Sender; partition: number; next: number }) => {
    const log = partitions[r.partition]!;
    while (r.next < log.length && r.sender.sendable()) {
      const e = log[r.next++]!;
      send(r.sender, {
        ...e.message,
        message_annotations: {
          ...(e.message.message_annotations ?? {}),
          'x-opt-sequence-number': types.wrap_long(e.sequenceNumber),
          'x-opt-offset': e.offset,
          'x-opt-enqueued-time': types.wrap_timestamp(e.enqueuedTime.getTime()),
          ...(e.partitionKey !== undefined ? { 'x-opt-partition-key': e.partitionKey } : {}),
        },
      });
      count('receive.events');
      count('receive.bytes', e.bytes);
    }
  };

  const append = (partition: number, events: Array<{ message: AmqpMessage; bytes: number }>, partitionKey: string | undefined) => {
    const log = partitions[partition]!;
    const now = new Date();
    for (const e of events) {
      log.push({ sequenceNumber: log.length, offset: String(partitionBytes[partition]), enqueuedTime: now, partitionKey, message: e.message, bytes: e.bytes });
      partitionBytes[partition]! += e.bytes;
    }
    for (const r of readers) if (r.partition === partition) pump(r);
  };

  const partitionOf = (id: unknown, where: string): number => {
    const n = Number(id);
    if (typeof id !== 'string' || !/^\d+$/.test(id) || n >= partitionCount) throw new Error(`expected a partition id 0..${partitionCount - 1} in ${where}, got ${JSON.stringify(id)}`);
    return n;
  };

  const management = (request: AmqpMessage): { status: number; description: string; body?: unknown } => {
    const p = (request.application_properties ?? {}) as Record<string, unknown>;
    if (p['operation'] !== 'READ') return { status: 501, description: `operation ${JSON.stringify(p['operation'])} is not served by this test endpoint` };
    if (p['name'] !== hub) return { status: 404, description: `no event hub ${JSON.stringify(p['name'])}; this endpoint serves ${JSON.stringify(hub)}` };
    if (p['type'] === 'com.microsoft:eventhub') {
      count('management.read-hub');
      return { status: 200, description: 'OK', body: { name: hub, type: 'com.microsoft:eventhub', created_at: createdAt, partition_count: partitionCount, partition_ids: partitions.map((_, i) => String(i)) } };
    }
    if (p['type'] === 'com.microsoft:partition') {
      count('management.read-partition');
      const i = partitionOf(p['partition'], 'a partition READ');
      const log = partitions[i]!;
      const last = log[log.length - 1];
      return {
        status: 200,
        description: 'OK',
        body: {
          name: hub, type: 'com.microsoft:partition', partition: String(i),
          begin_sequence_number: types.wrap_long(0),
          last_enqueued_sequence_number: types.wrap_long(last ? last.sequenceNumber : -1),
          last_enqueued_offset: last ? last.offset : '-1',
          last_enqueued_time_utc: last ? last.enqueuedTime : new Date(0),
          is_partition_empty: log.length === 0,
        },
      };
    }
    return { status: 501, description: `READ of type ${JSON.stringify(p['type'])} is not served by this test endpoint` };
  };

  const reply = (context: EventContext, request: AmqpMessage, r: { status: number; description: string; body?: unknown }) => {
    const link = replyLinks.get(String(request.reply_to));
    if (!link) throw new Error(`expected a receiver link named after reply_to ${JSON.stringify(request.reply_to)}, got none`);
    send(link, { correlation_id: request.message_id, application_properties: { 'status-code': r.status, 'status-description': r.description }, ...(r.body !== undefined ? { body: r.body } : {}) });
    (context.delivery as Delivery).accept();
  };

  const container = create_container({ id: 'orderlake-test-eventhubs' });

  container.on('receiver_open', (context: EventContext) => {
    // The client opened a sender: requests to $cbs / $management, or events to the hub.
    const receiver = context.receiver as Receiver;
    const address = String(receiver.target?.address ?? '');
    receiver.set_target({ address });
    (receiver as unknown as { local: { attach: { max_message_size: number } } }).local.attach.max_message_size = MAX_MESSAGE_BYTES;
    count('link.attach-sender');
    const partitionMatch = new RegExp(`^${hub}/Partitions/(\\d+)$`).exec(address);
    if (address !== '$cbs' && address !== '$management' && address !== hub && !partitionMatch) {
      receiver.close(amqpError('amqp:not-found', `no entity ${JSON.stringify(address)} on this test endpoint (it serves ${hub}, ${hub}/Partitions/<n>, $cbs, $management)`));
    }
  });

  container.on('sender_open', (context: EventContext) => {
    // The client opened a receiver: replies from $cbs / $management, or events of a partition.
    const sender = context.sender as Sender;
    const address = String(sender.source?.address ?? '');
    sender.set_source({ address });
    count('link.attach-receiver');
    if (address === '$cbs' || address === '$management') {
      replyLinks.set(sender.name, sender);
      return;
    }
    const m = new RegExp(`^${hub}/ConsumerGroups/([^/]+)/Partitions/(\\d+)$`).exec(address);
    try {
      if (!m) throw new Error(`no entity ${JSON.stringify(address)} on this test endpoint (it serves ${hub}/ConsumerGroups/<group>/Partitions/<n>)`);
      if (!groups.has(m[1]!)) throw new Error(`no consumer group ${JSON.stringify(m[1])} on hub ${hub} (it has ${[...groups].join(', ')})`);
      const partition = partitionOf(m[2], address);
      const filter = (sender.source as unknown as { filter?: Record<string, unknown> }).filter ?? {};
      const selector = filter[SELECTOR_FILTER] as { value?: unknown } | string | undefined;
      const text = typeof selector === 'string' ? selector : String(selector?.value ?? "amqp.annotation.x-opt-offset > '-1'");
      const r = { sender, partition, next: firstSelected(partitions[partition]!, parseSelector(text)) };
      readers.add(r);
      pump(r);
    } catch (e) {
      sender.close(amqpError('amqp:not-found', (e as Error).message));
    }
  });

  container.on('sendable', (context: EventContext) => {
    for (const r of readers) if (r.sender === context.sender) pump(r);
  });

  /** Drops the links a closed link or connection leaves behind. */
  const forget = (gone: (s: Sender) => boolean) => {
    for (const r of [...readers]) if (gone(r.sender)) readers.delete(r);
    for (const [name, s] of [...replyLinks]) if (gone(s)) replyLinks.delete(name);
  };
  container.on('sender_close', (context: EventContext) => forget((s) => s === context.sender));
  container.on('connection_close', (context: EventContext) => forget((s) => s.connection === context.connection));
  container.on('disconnected', (context: EventContext) => forget((s) => s.connection === context.connection));
  container.on('error', () => undefined); // a client vanishing mid-frame is not the server's failure

  container.on('message', (context: EventContext) => {
    const receiver = context.receiver as Receiver;
    const delivery = context.delivery as Delivery;
    const address = String(receiver.target?.address ?? '');
    try {
      if (address === '$cbs') {
        const request = context.message as unknown as AmqpMessage;
        const p = (request.application_properties ?? {}) as Record<string, unknown>;
        if (p['operation'] !== 'put-token') return reply(context, request, { status: 501, description: `CBS operation ${JSON.stringify(p['operation'])} is not served by this test endpoint` });
        count('cbs.put-token');
        return reply(context, request, { status: 202, description: 'Accepted' }); // any token: UseDevelopmentEmulator
      }
      if (address === '$management') {
        const request = context.message as unknown as AmqpMessage;
        return reply(context, request, management(request));
      }
      if (rejectSends > 0) {
        rejectSends--;
        count('send.rejected');
        return delivery.reject(amqpError('com.microsoft:server-busy', 'test endpoint: rejected on request (rejectNextSends)'));
      }
      const { outer, events } = eventsOf(context);
      const keyOf = (m: AmqpMessage) => m.message_annotations?.['x-opt-partition-key'];
      const key = keyOf(outer) ?? keyOf(events[0]!.message);
      const partitionKey = typeof key === 'string' ? key : undefined;
      const partitionMatch = new RegExp(`^${hub}/Partitions/(\\d+)$`).exec(address);
      const partition = partitionMatch
        ? partitionOf(partitionMatch[1], address)
        : partitionKey !== undefined ? partitionForKey(partitionKey, partitionCount) : roundRobin++ % partitionCount;
      append(partition, events, partitionKey);
      count('send.transfers');
      count('send.events', events.length);
      count('send.bytes', events.reduce((s, e) => s + e.bytes, 0));
      delivery.accept();
    } catch (e) {
      count('errors');
      delivery.reject(amqpError('amqp:internal-error', `test endpoint: ${(e as Error).message}`));
    }
  });

  const server: Server = container.listen({ port: 0, host: '127.0.0.1', autoaccept: false } as never) as unknown as Server;
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port,
    hub,
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=test;SharedAccessKey=any;EntityPath=${hub};UseDevelopmentEmulator=true`,
    partitions,
    counts: () => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
    rejectNextSends: (n) => {
      rejectSends = n;
    },
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
