// The Functions host's Event Hubs trigger, played with the real SDK: each partition is read
// by an EventHubConsumerClient subscription (one client per instance, as each instance has
// its own connection), events are gathered into batches as host.json says, the registered
// handler is invoked as the host invokes a `cardinality: 'many'`, `dataType: 'binary'`
// function (bodies as bytes, trigger metadata arrays), its return value goes to the output
// binding, and the checkpoint is written after every `batchCheckpointFrequency` batches.
//
// Host behaviours that matter for exactly-once, from the docs:
// - a failed execution is retried by the function's retry policy, and "Event Hubs checkpoints
//   aren't written until after the retry policy for the execution has completed"; when the
//   retries run out the checkpoint moves on (learn.microsoft.com/azure/azure-functions/
//   functions-bindings-error-pages, "Retry policies", "Max retry counts");
// - "when there are instance failures, the Event Hubs trigger is able to resume processing and
//   retry the batch on a new instance, with the retry count reset to zero" (same page): a crash
//   here restarts the partition from its checkpoint on another instance, whose batches may be
//   cut differently (a partial batch is dispatched when maxWaitTime passes: minEventBatchSize
//   in functions-bindings-event-hubs, host.json settings);
// - during a rebalance two instances can hold a partition for a moment: the new owner starts
//   from the checkpoint while the old one finishes what it has (the checkpoint store keeps the
//   last write; a late checkpoint of the old owner is not refused).
import { EventHubConsumerClient, earliestEventPosition, latestEventPosition, type ReceivedEventData, type Subscription } from '@azure/event-hubs';
import { InvocationContext, type EventHubFunctionOptions } from '@azure/functions';
import { retryDelayMs, type HostSettings } from './app-config';

export interface Checkpoint {
  sequenceNumber: number;
  offset: string;
}

/** Where a crash happens: before the handler, after it (bronze written, no output), after the output binding (no checkpoint). */
export type CrashPoint = 'before-invoke' | 'after-invoke' | 'after-output';

export interface DispatchedBatch {
  instance: string;
  partition: string;
  firstSequence: number;
  lastSequence: number;
  events: number;
  /** 0 for a batch's first delivery on this pump, then 1, 2, ... for its retries. */
  attempt: number;
}

export interface EventHubTriggerOptions {
  connectionString: string;
  eventHubName: string;
  consumerGroup: string;
  fullyQualifiedNamespace: string;
  registration: EventHubFunctionOptions;
  settings: HostSettings['eventHubs'];
  /** The output binding: where the handler's return value goes (the silver queue). */
  output: (value: unknown) => Promise<void>;
  /** Multiplies retry waits and restart delays (the tests run host minutes in seconds). */
  timeScale: number;
  /** Decides, per dispatched batch, whether the instance crashes there. */
  crashAt?: (batch: DispatchedBatch) => CrashPoint | undefined;
  /** Batch sizes a pump started after a crash or rebalance uses, in turn, so redelivered batches are cut differently. */
  redeliveryBatchSizes?: number[];
  log: (line: string) => void;
}

export interface EventHubTriggerStats {
  invocations: number;
  failures: number;
  retries: number;
  crashes: number;
  rebalances: number;
  /** Batches whose retries ran out, so the checkpoint moved past them (events lost to the function). */
  abandoned: DispatchedBatch[];
  checkpointWrites: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One instance holding one partition: a subscription, a batch being gathered, a batch being invoked. */
class PartitionPump {
  private subscription: Subscription | undefined;
  private buffer: ReceivedEventData[] = [];
  private bufferSince = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private batchesSinceCheckpoint = 0;
  stopped = false;

  constructor(
    readonly instance: string,
    readonly partition: string,
    private readonly client: EventHubConsumerClient,
    private readonly trigger: EventHubTrigger,
    private readonly maxBatch: number,
    private readonly onCrash: (pump: PartitionPump) => void,
  ) {}

  start(): void {
    const o = this.trigger.options;
    const cp = this.trigger.checkpoints.get(this.partition);
    const startPosition = cp ? { sequenceNumber: cp.sequenceNumber, isInclusive: false } : o.settings.initialOffset === 'fromStart' ? earliestEventPosition : latestEventPosition;
    this.subscription = this.client.subscribe(this.partition, {
      processEvents: async (events) => {
        if (this.stopped) return;
        this.inFlight = this.receive(events);
        await this.inFlight;
      },
      processError: async (e) => o.log(`eventhub ${this.instance} p${this.partition}: ${e.message}`),
    }, {
      startPosition,
      maxBatchSize: this.maxBatch,
      maxWaitTimeInSeconds: o.settings.maxWaitTimeMs / 1000,
      prefetchCount: o.settings.prefetchCount,
      skipParsingBodyAsJson: true, // dataType 'binary': bodies stay bytes
    });
  }

  /** Ownership lost: finish the batch being invoked, then stop reading. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.inFlight.catch(() => undefined);
  }

  private async receive(events: ReceivedEventData[]): Promise<void> {
    const s = this.trigger.options.settings;
    if (events.length && !this.buffer.length) this.bufferSince = Date.now();
    this.buffer.push(...events);
    // A full batch goes at once; a partial one when maxWaitTime has passed since its first event.
    while (!this.stopped && this.buffer.length && (this.buffer.length >= Math.min(s.minEventBatchSize, this.maxBatch) || Date.now() - this.bufferSince >= s.maxWaitTimeMs)) {
      const batch = this.buffer.splice(0, this.maxBatch);
      this.bufferSince = Date.now();
      await this.dispatch(batch);
    }
  }

  private async dispatch(events: ReceivedEventData[]): Promise<void> {
    const o = this.trigger.options;
    const stats = this.trigger.stats;
    const first = events[0]!;
    const last = events[events.length - 1]!;
    const info = (attempt: number): DispatchedBatch => ({ instance: this.instance, partition: this.partition, firstSequence: first.sequenceNumber, lastSequence: last.sequenceNumber, events: events.length, attempt });
    for (let attempt = 0; ; attempt++) {
      const crash = o.crashAt?.(info(attempt));
      if (crash === 'before-invoke') return this.crash(crash, info(attempt));
      let result: unknown;
      try {
        stats.invocations++;
        result = await o.registration.handler(events.map((e) => Buffer.from(e.body as Uint8Array)), this.context(events, attempt));
        if (crash === 'after-invoke') return this.crash(crash, info(attempt));
        if (result !== undefined) await o.output(result);
        if (crash === 'after-output') return this.crash(crash, info(attempt));
      } catch (e) {
        stats.failures++;
        const wait = retryDelayMs(o.registration.retry, attempt + 1);
        o.log(`eventhub ${this.instance} p${this.partition} seq ${first.sequenceNumber}-${last.sequenceNumber} attempt ${attempt} failed: ${(e as Error).message}${wait === undefined ? '; no retry left' : `; retry in ${wait} ms (scaled ${o.timeScale})`}`);
        if (wait === undefined) {
          stats.abandoned.push(info(attempt));
          break; // the retry policy is done: the checkpoint moves on
        }
        stats.retries++;
        await sleep(wait * o.timeScale);
        if (this.stopped) return;
        continue;
      }
      break;
    }
    if (++this.batchesSinceCheckpoint >= o.settings.batchCheckpointFrequency) {
      this.batchesSinceCheckpoint = 0;
      this.trigger.checkpoints.set(this.partition, { sequenceNumber: last.sequenceNumber, offset: last.offset });
      stats.checkpointWrites++;
    }
  }

  private crash(point: CrashPoint, batch: DispatchedBatch): void {
    this.trigger.options.log(`eventhub ${this.instance} p${this.partition}: instance crashed ${point} at seq ${batch.firstSequence}-${batch.lastSequence}`);
    this.trigger.stats.crashes++;
    this.stopped = true;
    this.buffer = [];
    void this.subscription?.close();
    this.onCrash(this);
  }

  /** The invocation context the host gives a cardinality-many Event Hubs function (metadata names camel-cased by @azure/functions). */
  private context(events: ReceivedEventData[], attempt: number): InvocationContext {
    const o = this.trigger.options;
    const retry = o.registration.retry;
    return new InvocationContext({
      invocationId: `eh-${this.instance}-p${this.partition}-${events[0]!.sequenceNumber}-${attempt}`,
      functionName: 'ingestBronze',
      logHandler: (_level, ...args) => this.trigger.logInvocation(args),
      ...(retry ? { retryContext: { retryCount: attempt, maxRetryCount: retry.maxRetryCount } } : {}),
      triggerMetadata: {
        partitionContext: { consumerGroup: o.consumerGroup, eventHubName: o.eventHubName, fullyQualifiedNamespace: o.fullyQualifiedNamespace, partitionId: this.partition },
        partitionKeyArray: events.map((e) => e.partitionKey ?? null),
        offsetArray: events.map((e) => e.offset),
        sequenceNumberArray: events.map((e) => e.sequenceNumber),
        enqueuedTimeUtcArray: events.map((e) => e.enqueuedTimeUtc.toISOString()),
        propertiesArray: events.map((e) => e.properties ?? {}),
        systemPropertiesArray: events.map((e) => ({ SequenceNumber: e.sequenceNumber, Offset: e.offset, PartitionKey: e.partitionKey ?? null, EnqueuedTimeUtc: e.enqueuedTimeUtc.toISOString() })),
      },
    });
  }
}

/** Checkpoints per partition, as the host keeps them (in blob storage there; in memory here). */
export class CheckpointStore {
  private readonly map = new Map<string, Checkpoint>();
  get(partition: string): Checkpoint | undefined {
    return this.map.get(partition);
  }
  set(partition: string, cp: Checkpoint): void {
    this.map.set(partition, cp);
  }
}

export class EventHubTrigger {
  readonly checkpoints = new CheckpointStore();
  readonly stats: EventHubTriggerStats = { invocations: 0, failures: 0, retries: 0, crashes: 0, rebalances: 0, abandoned: [], checkpointWrites: 0 };
  private readonly clients = new Map<string, EventHubConsumerClient>();
  private readonly owners = new Map<string, PartitionPump>();
  private readonly retired: PartitionPump[] = [];
  private instanceCount = 0;
  private resize = 0;
  private closed = false;

  constructor(readonly options: EventHubTriggerOptions) {}

  logInvocation(args: unknown[]): void {
    this.options.log(args.map(String).join(' '));
  }

  private client(instance: string): EventHubConsumerClient {
    let c = this.clients.get(instance);
    if (!c) this.clients.set(instance, (c = new EventHubConsumerClient(this.options.consumerGroup, this.options.connectionString, this.options.eventHubName)));
    return c;
  }

  private newInstance(): string {
    return `i${++this.instanceCount}`;
  }

  private nextBatchSize(): number {
    const sizes = this.options.redeliveryBatchSizes ?? [this.options.settings.maxEventBatchSize];
    return sizes[this.resize++ % sizes.length]!;
  }

  private startPump(partition: string, instance: string, maxBatch: number): PartitionPump {
    const pump = new PartitionPump(instance, partition, this.client(instance), this, maxBatch, (p) => this.restartAfterCrash(p));
    this.owners.set(partition, pump);
    pump.start();
    return pump;
  }

  /** Spreads the partitions over `instances` instances, as the host's load balancing settles. */
  start(partitionIds: readonly string[], instances: number): void {
    const ids = Array.from({ length: instances }, () => this.newInstance());
    partitionIds.forEach((p, i) => this.startPump(p, ids[i % ids.length]!, this.options.settings.maxEventBatchSize));
  }

  /** After a crash the partition's ownership expires and another instance takes it from the checkpoint. */
  private restartAfterCrash(p: PartitionPump): void {
    this.retired.push(p);
    const restart = async () => {
      await sleep(Math.max(10, 30_000 * this.options.timeScale)); // ownership expiry, scaled
      if (!this.closed && this.owners.get(p.partition) === p) this.startPump(p.partition, this.newInstance(), this.nextBatchSize());
    };
    void restart();
  }

  /** A new instance takes `partition` from the checkpoint while the old owner still runs for `overlapMs`, then the old one lets go. */
  async rebalance(partition: string, overlapMs: number): Promise<void> {
    const old = this.owners.get(partition);
    if (!old) throw new Error(`expected partition ${partition} to have an owner to rebalance, got none`);
    this.stats.rebalances++;
    this.startPump(partition, this.newInstance(), this.nextBatchSize());
    this.options.log(`eventhub: rebalance of p${partition} from ${old.instance}, both read it for ${overlapMs} ms`);
    await sleep(overlapMs);
    this.retired.push(old);
    await old.stop();
  }

  /** Where each partition's checkpoint is. */
  positions(): Record<string, number> {
    return Object.fromEntries([...this.owners.keys()].sort().map((p) => [p, this.checkpoints.get(p)?.sequenceNumber ?? -1]));
  }

  async stop(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.owners.values(), ...this.retired].map((p) => p.stop()));
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
