// A storage outage longer than any retry window (issue: "the Event Hubs trigger checkpoints
// past a batch once maxRetryCount (8) is spent, so an ADLS outage longer than the retry window
// loses events that never reached bronze"). The Functions host is played from the retry policy
// ingestBronze registers: it retries a failed batch while the policy allows and checkpoints
// past it once the retries are spent (Azure Functions error handling and retries: "Event Hubs:
// retry policy, function level"). A lake that fails 20 times, then recovers: every event is in
// bronze exactly once.
import { InvocationContext, app } from '@azure/functions';
import { setServices, type AzureServices } from '../../src/azure/services';
import { parseBronze } from '../../src/bronze/bronze';
import type { Lake } from '../../src/pipeline/ports';
import { orderEvent, uuid } from '../helpers/events';

interface RetryOptions { strategy: string; maxRetryCount: number }

/** ingestBronze's handler and retry policy, as the host gets them from app.eventHub. */
function registration(): { handler: (m: unknown, c: InvocationContext) => Promise<unknown>; retry: RetryOptions } {
  let found: { handler: (m: unknown, c: InvocationContext) => Promise<unknown>; retry: RetryOptions } | undefined;
  jest.isolateModules(() => {
    const { app: isolatedApp } = require('@azure/functions') as { app: typeof app };
    jest.spyOn(isolatedApp, 'eventHub').mockImplementation(((_name: string, o: { handler: never; retry: RetryOptions }) => {
      found = { handler: o.handler, retry: o.retry };
    }) as never);
    const services = require('../../src/azure/services') as { setServices: typeof setServices };
    services.setServices({ lake: outageLake } as unknown as AzureServices);
    require('../../functions/ingestBronze');
  });
  if (!found) throw new Error('expected functions/ingestBronze.ts to register an Event Hubs trigger');
  return found;
}

/** An in-memory lake whose writes fail while `down` is above zero (each failed write counts down). */
const files = new Map<string, Buffer>();
let down = 0;
const outageLake = {
  async writeFile(p: string, d: string | Uint8Array) {
    if (down > 0) {
      down--;
      throw Object.assign(new Error('ServiceUnavailable: the storage account is not reachable'), { statusCode: 503 });
    }
    files.set(p, Buffer.from(d));
  },
} as unknown as Lake;

function invocation(first: number, n: number) {
  const bodies = Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify(orderEvent({ event_id: uuid(first + i) }))));
  const context = new InvocationContext({
    invocationId: `inv-${first}`,
    functionName: 'ingestBronze',
    triggerMetadata: {
      partitionContext: { partitionId: '0', eventHubName: 'orders', consumerGroup: 'orderlake', fullyQualifiedNamespace: 'ns.servicebus.windows.net' },
      sequenceNumberArray: bodies.map((_, i) => first + i),
      offsetArray: bodies.map((_, i) => String((first + i) * 100)),
      enqueuedTimeUtcArray: bodies.map(() => '2026-03-05T12:00:00.000Z'),
    },
  });
  return { bodies, context };
}

/** The host: run the batch; on failure, retry while the policy allows; then checkpoint (the batch is done, persisted or not). */
async function hostDelivers(handler: (m: unknown, c: InvocationContext) => Promise<unknown>, retry: RetryOptions, first: number, n: number): Promise<'persisted' | 'checkpointed-past'> {
  for (let attempt = 0; ; attempt++) {
    const { bodies, context } = invocation(first, n);
    try {
      await handler(bodies, context);
      return 'persisted';
    } catch {
      if (retry.maxRetryCount !== -1 && attempt >= retry.maxRetryCount) return 'checkpointed-past';
    }
  }
}

describe('ingestBronze through a storage outage', () => {
  const { handler, retry } = registration();
  afterAll(() => setServices(undefined));

  it('retries without end, so a lake down for 20 attempts loses nothing and doubles nothing', async () => {
    expect(retry.maxRetryCount).toBe(-1);
    files.clear();
    const outcomes: string[] = [];
    outcomes.push(await hostDelivers(handler, retry, 0, 50));
    down = 20; // longer than the old policy's 8 retries
    outcomes.push(await hostDelivers(handler, retry, 50, 50));
    outcomes.push(await hostDelivers(handler, retry, 100, 50));
    expect(outcomes).toEqual(['persisted', 'persisted', 'persisted']);
    const seqs = [...files.entries()].flatMap(([p, d]) => parseBronze(d, p).events.map((e) => e.sequenceNumber)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });
});
