// What the Functions host reads before it runs anything: the functions as the app registers
// them (captured from the `app.*` calls of functions/*.ts, as test/functions/registrations.test.ts
// does) and host.json. The driver models the host from these, never from copied constants,
// so a change to a trigger's options or to host.json changes what the driver does.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Duration, EventHubFunctionOptions, RetryOptions, StorageQueueFunctionOptions, TimerFunctionOptions } from '@azure/functions';

const ROOT = findRoot(__dirname);
const FUNCTION_FILES = ['ingestBronze', 'refineSilver', 'buildGold', 'health'];

function findRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      if ((JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string }).name === 'orderlake') return d;
    } catch {
      // no package.json here: go up
    }
    if (path.dirname(d) === d) throw new Error(`expected the orderlake package.json above ${dir}, found none`);
  }
}

export interface Registered {
  ingestBronze: EventHubFunctionOptions;
  refineSilver: StorageQueueFunctionOptions;
  buildGold: TimerFunctionOptions;
}

/**
 * Loads the function files with `app.eventHub`, `app.storageQueue`, `app.timer` and `app.http`
 * replaced by a recorder, and returns the options each function registered (handlers included).
 * Must run before anything else loads functions/*: a module loaded earlier registers nothing.
 */
export function captureRegistrations(): Registered {
  // The compiled bench loads dist/functions next to dist/test; jest loads the TypeScript.
  const functionsDir = path.resolve(__dirname, '../../../functions');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('@azure/functions') as { app: Record<string, unknown> };
  const kinds = ['eventHub', 'storageQueue', 'timer', 'http'] as const;
  const saved = kinds.map((k) => lib.app[k]);
  const seen: Record<string, Record<string, unknown>> = {};
  for (const k of kinds) lib.app[k] = (name: string, options: Record<string, unknown>) => (seen[name] = { kind: k, ...options });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const f of FUNCTION_FILES) require(path.join(functionsDir, f));
  } finally {
    kinds.forEach((k, i) => (lib.app[k] = saved[i]));
  }
  const want = { ingestBronze: 'eventHub', refineSilver: 'storageQueue', buildGold: 'timer' } as const;
  for (const [name, kind] of Object.entries(want)) {
    if (seen[name]?.['kind'] !== kind) {
      throw new Error(`expected functions/${name} to register an ${kind} function when loaded, got ${JSON.stringify(seen[name]?.['kind'] ?? 'nothing')} (were the function files loaded before captureRegistrations?)`);
    }
  }
  return seen as unknown as Registered;
}

/** host.json's eventHubs and queues sections, with the defaults the docs give for what it leaves out. */
export interface HostSettings {
  eventHubs: { maxEventBatchSize: number; minEventBatchSize: number; maxWaitTimeMs: number; prefetchCount: number; batchCheckpointFrequency: number; initialOffset: 'fromStart' | 'fromEnd' };
  queues: { batchSize: number; newBatchThreshold: number; maxDequeueCount: number; visibilityTimeoutMs: number; maxPollingIntervalMs: number; messageEncoding: 'base64' | 'none' };
}

/** "00:00:05" (host.json's TimeSpan form) in milliseconds. */
export function timeSpanMs(text: string): number {
  const m = /^(\d+):(\d{2}):(\d{2})(\.\d+)?$/.exec(text);
  if (!m) throw new Error(`expected a host.json time span hh:mm:ss, got ${JSON.stringify(text)}`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]) + Number(m[4] ?? 0)) * 1000;
}

/** A registration's Duration (or milliseconds) in milliseconds, as @azure/functions reads it (toRpcDuration.ts). */
export function durationMs(d: Duration | number): number {
  if (typeof d === 'number') return d;
  return (d.milliseconds ?? 0) + ((d.seconds ?? 0) + ((d.minutes ?? 0) + (d.hours ?? 0) * 60) * 60) * 1000;
}

// Defaults: learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs#host-json
// (maxEventBatchSize 100, minEventBatchSize 1, maxWaitTime 60 s, prefetchCount 300,
// batchCheckpointFrequency 1) and functions-bindings-storage-queue#host-json (batchSize 16,
// newBatchThreshold batchSize/2, maxDequeueCount 5, visibilityTimeout 0, maxPollingInterval 1 min).
export function readHostSettings(file = path.join(ROOT, 'host.json')): HostSettings {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { extensions?: { eventHubs?: Record<string, unknown>; queues?: Record<string, unknown> } };
  const eh = json.extensions?.eventHubs ?? {};
  const q = json.extensions?.queues ?? {};
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  const span = (v: unknown, d: number) => (typeof v === 'string' ? timeSpanMs(v) : d);
  const batchSize = num(q['batchSize'], 16);
  const initial = (eh['initialOffsetOptions'] as { type?: string } | undefined)?.type ?? 'fromStart';
  if (initial !== 'fromStart' && initial !== 'fromEnd') throw new Error(`expected host.json initialOffsetOptions.type fromStart or fromEnd (the driver models those), got ${JSON.stringify(initial)}`);
  const encoding = q['messageEncoding'] ?? 'base64';
  if (encoding !== 'base64' && encoding !== 'none') throw new Error(`expected host.json queues.messageEncoding base64 or none, got ${JSON.stringify(encoding)}`);
  return {
    eventHubs: {
      maxEventBatchSize: num(eh['maxEventBatchSize'], 100),
      minEventBatchSize: num(eh['minEventBatchSize'], 1),
      maxWaitTimeMs: span(eh['maxWaitTime'], 60_000),
      prefetchCount: num(eh['prefetchCount'], 300),
      batchCheckpointFrequency: num(eh['batchCheckpointFrequency'], 1),
      initialOffset: initial,
    },
    queues: {
      batchSize,
      newBatchThreshold: num(q['newBatchThreshold'], Math.floor(batchSize / 2)),
      maxDequeueCount: num(q['maxDequeueCount'], 5),
      visibilityTimeoutMs: span(q['visibilityTimeout'], 0),
      maxPollingIntervalMs: span(q['maxPollingInterval'], 60_000),
      messageEncoding: encoding,
    },
  };
}

/**
 * The wait before retry `n` (1-based) of a registered retry policy, or undefined when no retry
 * is left (learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages, "Retry
 * strategies": fixed delay waits delayInterval; exponential backoff waits the minimum first and
 * adds time exponentially up to the maximum; maxRetryCount -1 retries indefinitely). The
 * service's small randomisation is left out so runs repeat.
 */
export function retryDelayMs(retry: RetryOptions | undefined, n: number): number | undefined {
  if (!retry) return undefined; // no policy: an Event Hubs batch that fails is not retried
  if (retry.maxRetryCount !== -1 && n > retry.maxRetryCount) return undefined;
  if (retry.strategy === 'fixedDelay') return durationMs(retry.delayInterval);
  return Math.min(durationMs(retry.maximumInterval), durationMs(retry.minimumInterval) * 2 ** (n - 1));
}
