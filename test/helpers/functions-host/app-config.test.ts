// What the host stand-in reads: the app's registrations and host.json. Registrations are
// captured before anything else in this file loads functions/*.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureRegistrations, readHostSettings, retryDelayMs, timeSpanMs, durationMs } from './app-config';
import { resolveSetting } from './host';

const registered = captureRegistrations();

describe('captureRegistrations', () => {
  it('returns what each function file registers, handlers included', () => {
    const { ingestBronze: exported } = require('../../../functions/ingestBronze') as { ingestBronze: unknown };
    expect(registered.ingestBronze.handler).toBe(exported);
    expect(registered.ingestBronze).toMatchObject({ cardinality: 'many', dataType: 'binary', eventHubName: '%EVENTHUB_NAME%' });
    expect(registered.refineSilver.queueName).toBe('%SILVER_QUEUE_NAME%');
    expect(registered.buildGold.schedule).toBe('%GOLD_SCHEDULE%');
  });

  it('fails clearly when the function files were loaded before', () => {
    expect(() => captureRegistrations()).toThrow('expected functions/ingestBronze to register an eventHub function when loaded, got "nothing" (were the function files loaded before captureRegistrations?)');
  });
});

describe('readHostSettings', () => {
  it("reads this app's host.json", () => {
    expect(readHostSettings()).toEqual({
      eventHubs: { maxEventBatchSize: 1000, minEventBatchSize: 200, maxWaitTimeMs: 5000, prefetchCount: 2000, batchCheckpointFrequency: 1, initialOffset: 'fromStart' },
      queues: { batchSize: 4, newBatchThreshold: 2, maxDequeueCount: 5, visibilityTimeoutMs: 30_000, maxPollingIntervalMs: 2000, messageEncoding: 'base64' },
    });
  });

  it('takes the documented defaults for what host.json leaves out', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-hostjson-'));
    const file = path.join(dir, 'host.json');
    await fs.writeFile(file, JSON.stringify({ version: '2.0', extensions: { queues: { batchSize: 8 } } }));
    expect(readHostSettings(file)).toEqual({
      eventHubs: { maxEventBatchSize: 100, minEventBatchSize: 1, maxWaitTimeMs: 60_000, prefetchCount: 300, batchCheckpointFrequency: 1, initialOffset: 'fromStart' },
      queues: { batchSize: 8, newBatchThreshold: 4, maxDequeueCount: 5, visibilityTimeoutMs: 0, maxPollingIntervalMs: 60_000, messageEncoding: 'base64' },
    });
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('timeSpanMs and durationMs', () => {
  it('read host.json time spans and registration durations', () => {
    expect(timeSpanMs('00:10:00')).toBe(600_000);
    expect(timeSpanMs('00:00:00.80')).toBe(800);
    expect(() => timeSpanMs('5s')).toThrow('expected a host.json time span hh:mm:ss, got "5s"');
    expect(durationMs({ minutes: 5 })).toBe(300_000);
    expect(durationMs({ hours: 1, seconds: 2, milliseconds: 3 })).toBe(3_602_003);
    expect(durationMs(250)).toBe(250);
  });
});

describe('retryDelayMs', () => {
  it('follows the registered exponential backoff up to its maximum, then stops', () => {
    const retry = { strategy: 'exponentialBackoff' as const, maxRetryCount: 8, minimumInterval: { seconds: 5 }, maximumInterval: { minutes: 5 } };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(retry, n))).toEqual([5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, undefined]);
  });

  it('retries indefinitely at -1, waits a fixed delay, and does not retry without a policy', () => {
    expect(retryDelayMs({ strategy: 'fixedDelay', maxRetryCount: -1, delayInterval: { seconds: 10 } }, 1000)).toBe(10_000);
    expect(retryDelayMs(undefined, 1)).toBeUndefined();
  });
});

describe('resolveSetting', () => {
  it('replaces %NAME% from the app settings and names a missing one', () => {
    expect(resolveSetting('%SILVER_QUEUE_NAME%', { SILVER_QUEUE_NAME: 'silver-batches' })).toBe('silver-batches');
    expect(() => resolveSetting('%EVENTHUB_NAME%', {})).toThrow('expected app setting EVENTHUB_NAME (named by a binding), got none');
  });
});
