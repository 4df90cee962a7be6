import { BatchingSender, type EventBatchLike, type ProducerLike } from '../../producer/batching-sender';
import { partitionForKey } from '../../producer/partition-key';

/** A fake with the SDK's tryAdd semantics: false when the event does not fit the batch's byte limit. */
class FakeBatch implements EventBatchLike {
  readonly bodies: string[] = [];
  private size = 0;
  constructor(readonly partitionId: string, private readonly maxBytes: number) {}
  get count() {
    return this.bodies.length;
  }
  tryAdd(event: { body: unknown }): boolean {
    const bytes = (event.body as Buffer).length + 16;
    if (this.size + bytes > this.maxBytes) return false;
    this.size += bytes;
    this.bodies.push((event.body as Buffer).toString('utf8'));
    return true;
  }
}

class FakeProducer implements ProducerLike {
  sent: FakeBatch[] = [];
  failuresLeft = 0;
  constructor(private readonly maxBytes = 100) {}
  async createBatch(o: { partitionId: string }) {
    return new FakeBatch(o.partitionId, this.maxBytes);
  }
  async sendBatch(b: EventBatchLike) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('service busy');
    }
    this.sent.push(b as FakeBatch);
  }
}

const KEY = 'ORD-000001';
const P = String(partitionForKey(KEY, 2));

describe('BatchingSender', () => {
  it('sends a full batch and starts a new one', async () => {
    const fake = new FakeProducer(100); // 16 + 20 bytes each: two fit, the third does not
    const s = new BatchingSender(fake, ['0', '1']);
    for (const b of ['a'.repeat(20), 'b'.repeat(20), 'c'.repeat(20)]) await s.send(b, KEY);
    expect(fake.sent.map((b) => [b.partitionId, b.bodies])).toEqual([[P, ['a'.repeat(20), 'b'.repeat(20)]]]);
    await s.flush();
    expect(fake.sent.map((b) => b.bodies)).toEqual([['a'.repeat(20), 'b'.repeat(20)], ['c'.repeat(20)]]);
    expect(s.stats).toEqual({ sent: 3, failed: 0, rejected: 0, batches: 2, retries: 0 });
  });

  it('reports an event too large for an empty batch instead of losing it', async () => {
    const fake = new FakeProducer(100);
    const dead: Array<[string[], string]> = [];
    const s = new BatchingSender(fake, ['0', '1'], { deadLetter: async (b, r) => { dead.push([b, r]); } });
    await s.send('x'.repeat(10), KEY);
    await s.send('y'.repeat(200), KEY);
    await s.flush();
    expect(dead).toEqual([[['y'.repeat(200)], 'event of 200 bytes is larger than an empty batch allows']]);
    expect(fake.sent.map((b) => b.bodies)).toEqual([['x'.repeat(10)]]);
    expect(s.stats).toMatchObject({ sent: 1, rejected: 1 });
  });

  it('keeps one batch per partition, routing each key to the partition the service would pick', async () => {
    const fake = new FakeProducer(10_000);
    const s = new BatchingSender(fake, ['p0', 'p1', 'p2', 'p3']);
    const keys = Array.from({ length: 40 }, (_, i) => `ORD-${100000 + i}`);
    for (const k of keys) await s.send(k, k);
    await s.flush();
    for (const b of fake.sent) for (const body of b.bodies) expect(b.partitionId).toBe(`p${partitionForKey(body, 4)}`);
    expect(fake.sent.reduce((n, b) => n + b.count, 0)).toBe(40);
  });

  it('retries a failed send with doubling backoff', async () => {
    const fake = new FakeProducer();
    fake.failuresLeft = 2;
    const waits: number[] = [];
    const s = new BatchingSender(fake, ['0'], { backoffMs: 100, sleep: async (ms) => { waits.push(ms); } });
    await s.send('a', KEY);
    await s.flush();
    expect(waits).toEqual([100, 200]);
    expect(s.stats).toEqual({ sent: 1, failed: 0, rejected: 0, batches: 1, retries: 2 });
  });

  it('counts events as failed and dead-letters them when every retry fails', async () => {
    const fake = new FakeProducer();
    fake.failuresLeft = 99;
    const dead: Array<[string[], string]> = [];
    const s = new BatchingSender(fake, ['0'], { maxRetries: 2, sleep: async () => {}, deadLetter: async (b, r) => { dead.push([b, r]); } });
    await s.send('a', KEY);
    await s.send('b', KEY);
    await s.flush();
    expect(s.stats).toEqual({ sent: 0, failed: 2, rejected: 0, batches: 0, retries: 2 });
    expect(dead).toEqual([[['a', 'b'], 'send to partition 0 failed after 3 attempts: service busy']]);
  });

  it('refuses an event hub without partitions', () => {
    expect(() => new BatchingSender(new FakeProducer(), [])).toThrow('expected at least one Event Hubs partition id, got none');
  });
});
