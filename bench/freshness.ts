// Figure 5: freshness in follow mode. A producer appends events to a landing file at a steady
// rate while `orderlake run --follow` (in process) takes them in; an event's latency runs from
// the write of its line to the end of the first gold run that includes it.
import { appendFileSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateEvents, DEFAULT_STREAM } from '../producer/generator';
import { runLocal } from '../src/local/runner';

/** One session's latencies (ms) and the gold runs it saw. */
export interface Freshness {
  events: number;
  p50: number;
  p95: number;
  max: number;
  goldRuns: number;
}

/** A mark: the events 0 .. upTo-1 were written (or visible in gold) at `at` (ms). */
export interface Mark {
  upTo: number;
  at: number;
}

/**
 * Each event's latency (ms), from the first write that holds it to the first gold run that
 * includes it; events that no gold run included are left out. Both lists are in time order.
 */
export function latenciesOf(sent: readonly Mark[], visible: readonly Mark[], written: number): number[] {
  const out: number[] = [];
  let v = 0;
  for (let i = 0, s = 0; i < written; i++) {
    while (s < sent.length && sent[s]!.upTo <= i) s++;
    while (v < visible.length && visible[v]!.upTo <= i) v++;
    if (s < sent.length && v < visible.length) out.push(visible[v]!.at - sent[s]!.at);
  }
  return out.sort((a, b) => a - b);
}

/** The session's summary: p50, p95 (nearest rank, from below) and max of the latencies. */
export function freshnessOf(latencies: readonly number[], goldRuns: number): Freshness {
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { events: latencies.length, p50: p(0.5), p95: p(0.95), max: latencies[latencies.length - 1] ?? NaN, goldRuns };
}

export interface FreshnessRun {
  /** A folder of its own, emptied first and removed after. */
  dir: string;
  seed: number;
  /** How long the producer writes. */
  seconds: number;
  /** Events per second the producer writes. */
  rate: number;
  end: Date;
}

/** One follow-mode session on a new lake. */
export async function measureFreshness(run: FreshnessRun): Promise<Freshness> {
  await fs.rm(run.dir, { recursive: true, force: true });
  const landing = path.join(run.dir, 'landing', 'orders.jsonl');
  await fs.mkdir(path.dirname(landing), { recursive: true });
  await fs.writeFile(landing, '');
  const sent: Mark[] = [];
  const stream = generateEvents({ ...DEFAULT_STREAM, seed: run.seed, events: run.rate * (run.seconds + 10), days: 30, end: run.end });
  let written = 0;
  const t0 = Date.now();
  const stop = new AbortController();
  // The producer: every 50 ms, the lines due by now, appended in one write.
  const producer = setInterval(() => {
    const due = Math.floor(((Date.now() - t0) / 1000) * run.rate);
    const batch: string[] = [];
    while (written < due) {
      const next = stream.next();
      if (next.done) break;
      batch.push(next.value);
      written++;
    }
    if (batch.length) {
      appendFileSync(landing, batch.join('\n') + '\n');
      sent.push({ upTo: written, at: Date.now() });
    }
    if (Date.now() - t0 > run.seconds * 1000) {
      clearInterval(producer);
      setTimeout(() => stop.abort(), 3000);
    }
  }, 50);
  const visible: Mark[] = [];
  await runLocal({
    input: path.dirname(landing),
    lakeDir: path.join(run.dir, 'lake'),
    follow: { signal: stop.signal, pollMs: 100, onCycle: (c) => { if (c.goldRun !== null) visible.push({ upTo: c.totals.read, at: Date.now() }); } },
  });
  await fs.rm(run.dir, { recursive: true, force: true });
  return freshnessOf(latenciesOf(sent, visible, written), visible.length);
}
