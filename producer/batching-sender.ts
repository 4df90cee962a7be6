// Sends events to Event Hubs in batches, one open batch per partition. An event goes to
// the partition its key hashes to (as the service would place the key), so every event of
// an order lands in one partition, in send order, while batches stay full.
// tryAdd semantics (the SDK's EventDataBatch): false when the event does not fit. Then the
// batch is sent and a new one started; an event that does not fit an empty batch is
// reported (dead-lettered), never silently lost.
import { partitionForKey } from './partition-key';

export interface EventBatchLike {
  tryAdd(event: { body: unknown }): boolean;
  readonly count: number;
}

/** The part of EventHubProducerClient the sender uses. */
export interface ProducerLike {
  createBatch(options: { partitionId: string }): Promise<EventBatchLike>;
  sendBatch(batch: EventBatchLike): Promise<void>;
}

export interface SendStats {
  sent: number;
  failed: number;
  rejected: number;
  batches: number;
  retries: number;
}

export interface SenderOptions {
  /** Send attempts after the first, with doubling backoff. */
  maxRetries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Events that could not be sent, with why: written somewhere a person can find them. */
  deadLetter?: (bodies: string[], reason: string) => Promise<void>;
  onRetry?: (attempt: number, error: Error) => void;
}

interface OpenBatch {
  batch: EventBatchLike;
  bodies: string[];
}

export class BatchingSender {
  readonly stats: SendStats = { sent: 0, failed: 0, rejected: 0, batches: 0, retries: 0 };
  private open = new Map<string, OpenBatch>();

  constructor(
    private readonly producer: ProducerLike,
    private readonly partitionIds: readonly string[],
    private readonly opts: SenderOptions = {},
  ) {
    if (!partitionIds.length) throw new Error('expected at least one Event Hubs partition id, got none');
  }

  private async newBatch(partitionId: string): Promise<OpenBatch> {
    const b = { batch: await this.producer.createBatch({ partitionId }), bodies: [] };
    this.open.set(partitionId, b);
    return b;
  }

  async send(body: string, partitionKey: string): Promise<void> {
    const partitionId = this.partitionIds[partitionForKey(partitionKey, this.partitionIds.length)]!;
    const event = { body: Buffer.from(body, 'utf8') };
    let b = this.open.get(partitionId) ?? (await this.newBatch(partitionId));
    if (b.batch.tryAdd(event)) {
      b.bodies.push(body);
      return;
    }
    if (b.batch.count > 0) {
      await this.sendOpen(partitionId);
      b = await this.newBatch(partitionId);
      if (b.batch.tryAdd(event)) {
        b.bodies.push(body);
        return;
      }
    }
    this.stats.rejected++;
    await this.opts.deadLetter?.([body], `event of ${Buffer.byteLength(body)} bytes is larger than an empty batch allows`);
  }

  /** Send every open batch (on a timer, and at the end). */
  async flush(): Promise<void> {
    for (const partitionId of [...this.open.keys()]) {
      if (this.open.get(partitionId)!.batch.count > 0) await this.sendOpen(partitionId);
    }
  }

  private async sendOpen(partitionId: string): Promise<void> {
    const b = this.open.get(partitionId)!;
    this.open.delete(partitionId);
    const max = this.opts.maxRetries ?? 3;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.producer.sendBatch(b.batch);
        this.stats.sent += b.bodies.length;
        this.stats.batches++;
        return;
      } catch (e) {
        if (attempt >= max) {
          this.stats.failed += b.bodies.length;
          await this.opts.deadLetter?.(b.bodies, `send to partition ${partitionId} failed after ${attempt + 1} attempts: ${(e as Error).message}`);
          return;
        }
        this.stats.retries++;
        this.opts.onRetry?.(attempt + 1, e as Error);
        await sleep((this.opts.backoffMs ?? 500) * 2 ** attempt);
      }
    }
  }
}
