// Releases events at a steady rate (events per second), in ticks of 100 ms, until the
// source ends, the deadline passes or stop() is called. Rate 0 means as fast as possible.

export interface PacerOptions {
  rate: number;
  /** Epoch ms after which no more events are released. */
  deadline?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class Pacer {
  private stopped = false;

  constructor(private readonly opts: PacerOptions) {}

  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async *pace<T>(source: Iterable<T>): AsyncGenerator<T> {
    const now = this.opts.now ?? Date.now;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const start = now();
    let released = 0;
    for (const item of source) {
      if (this.stopped) return;
      if (this.opts.deadline !== undefined && now() >= this.opts.deadline) return;
      // Ahead of schedule: wait for this event's slot, in short sleeps so stop() is prompt.
      for (;;) {
        if (this.stopped) return;
        const wait = this.opts.rate > 0 ? start + (released / this.opts.rate) * 1000 - now() : 0;
        if (wait <= 0) break;
        await sleep(Math.min(wait, 100));
      }
      if (this.opts.deadline !== undefined && now() >= this.opts.deadline) return;
      released++;
      yield item;
    }
  }
}

/** Parses 10m, 30s, 1h, 500ms into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`expected a duration like 30s, 10m or 1h, got ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}
