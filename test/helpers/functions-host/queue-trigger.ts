// The Functions host's queue trigger, played against a real Storage queue (Azurite here):
// each instance's listener fetches `batchSize` messages at a time and fetches again when the
// messages in flight drop to `newBatchThreshold`, so up to batchSize + newBatchThreshold run
// at once per instance (QueuesOptions, learn.microsoft.com/dotnet/api/microsoft.azure.webjobs.host.queuesoptions).
// Fetched messages stay invisible for 10 minutes (the host's QueueListener: "_visibilityTimeout =
// TimeSpan.FromMinutes(10)", renewed for longer runs; runs here are far shorter, so it is not
// renewed). A message whose dequeue count is already above maxDequeueCount goes straight to the
// poison queue; a success deletes the message; a failure either makes it visible again after
// host.json's visibilityTimeout or, at maxDequeueCount, copies it to `<queue>-poison` and
// deletes it (QueueProcessor.BeginProcessingMessageAsync / CompleteProcessingMessageAsync,
// Azure/azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Queues).
// The message reaches a Node v4 handler as the host gives it: the text (base64-decoded with
// messageEncoding base64), JSON-parsed when it parses (@azure/functions
// src/converters/fromRpcTypedData.ts, tryJsonParse), with the binding data DequeueCount, Id,
// PopReceipt, InsertionTime, ExpirationTime, NextVisibleTime and QueueTrigger in triggerMetadata,
// camel-cased (QueueTriggerBinding.CreateBindingData; fromRpcTriggerMetadata.ts).
import type { QueueClient, DequeuedMessageItem } from '@azure/storage-queue';
import { InvocationContext, type StorageQueueFunctionOptions } from '@azure/functions';
import type { HostSettings } from './app-config';

export interface QueueTriggerOptions {
  queue: QueueClient;
  poison: QueueClient;
  registration: StorageQueueFunctionOptions;
  settings: HostSettings['queues'];
  /** Multiplies host.json's visibilityTimeout (the tests run host minutes in seconds). */
  timeScale: number;
  log: (line: string) => void;
}

export interface QueueTriggerStats {
  invocations: number;
  failures: number;
  poisoned: number;
  /** The most messages one instance ran at once. */
  maxConcurrent: number;
}

/** The listener's wait after an empty fetch starts here and doubles up to maxPollingInterval. */
const MIN_POLL_MS = 100;
const FETCH_VISIBILITY_S = 600;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function decodeText(m: DequeuedMessageItem, encoding: HostSettings['queues']['messageEncoding']): string {
  return encoding === 'base64' ? Buffer.from(m.messageText, 'base64').toString('utf8') : m.messageText;
}

function tryJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class QueueTrigger {
  readonly stats: QueueTriggerStats = { invocations: 0, failures: 0, poisoned: 0, maxConcurrent: 0 };
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(readonly options: QueueTriggerOptions) {}

  /** Starts one listener per instance. */
  start(instances: number): void {
    this.running = true;
    for (let i = 1; i <= instances; i++) this.loops.push(this.listen(`q${i}`));
  }

  /** Another function of the app added a message: listeners fetch now instead of waiting out their poll (the host's shared queue watcher). */
  notify(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Messages being processed right now, over all instances. */
  busy(): number {
    return this.inFlight.size;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await Promise.all(this.loops);
    await Promise.all([...this.inFlight]);
  }

  private async listen(instance: string): Promise<void> {
    const { queue, settings } = this.options;
    let mine = 0;
    let wait = MIN_POLL_MS;
    while (this.running) {
      if (mine > settings.newBatchThreshold) {
        await this.pause(20);
        continue;
      }
      let messages: DequeuedMessageItem[] = [];
      try {
        messages = (await queue.receiveMessages({ numberOfMessages: settings.batchSize, visibilityTimeout: FETCH_VISIBILITY_S })).receivedMessageItems;
      } catch (e) {
        this.options.log(`queue ${instance}: fetch failed: ${(e as Error).message}`);
      }
      if (!messages.length) {
        await this.pause(wait);
        wait = Math.min(wait * 2, settings.maxPollingIntervalMs);
        continue;
      }
      wait = MIN_POLL_MS;
      for (const m of messages) {
        mine++;
        this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, mine);
        const run = this.process(instance, m).finally(() => {
          mine--;
          this.inFlight.delete(run);
          this.notify();
        });
        this.inFlight.add(run);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private async process(instance: string, m: DequeuedMessageItem): Promise<void> {
    const { queue, settings, registration, log } = this.options;
    if (m.dequeueCount > settings.maxDequeueCount) return this.toPoison(m);
    const text = decodeText(m, settings.messageEncoding);
    const context = new InvocationContext({
      invocationId: `q-${instance}-${m.messageId}-${m.dequeueCount}`,
      functionName: 'refineSilver',
      logHandler: (_level, ...args) => log(args.map(String).join(' ')),
      triggerMetadata: {
        queueTrigger: text,
        dequeueCount: m.dequeueCount,
        id: m.messageId,
        popReceipt: m.popReceipt,
        insertionTime: m.insertedOn.toISOString(),
        expirationTime: m.expiresOn.toISOString(),
        nextVisibleTime: m.nextVisibleOn.toISOString(),
      },
    });
    this.stats.invocations++;
    try {
      await registration.handler(tryJsonParse(text), context);
    } catch (e) {
      this.stats.failures++;
      log(`queue ${instance}: message ${m.messageId} dequeue ${m.dequeueCount} failed: ${(e as Error).message}`);
      if (m.dequeueCount >= settings.maxDequeueCount) return this.toPoison(m);
      const visibleIn = Math.ceil((settings.visibilityTimeoutMs * this.options.timeScale) / 1000); // the queue API counts whole seconds
      await queue.updateMessage(m.messageId, m.popReceipt, undefined, visibleIn).catch((err: Error) => log(`queue ${instance}: release failed: ${err.message}`));
      return;
    }
    await queue.deleteMessage(m.messageId, m.popReceipt).catch((err: Error) => log(`queue ${instance}: delete failed: ${err.message}`));
  }

  private async toPoison(m: DequeuedMessageItem): Promise<void> {
    const { queue, poison, log } = this.options;
    log(`queue: message ${m.messageId} reached maxDequeueCount (${m.dequeueCount}); moving it to ${poison.name}`);
    await poison.createIfNotExists();
    await poison.sendMessage(m.messageText);
    await queue.deleteMessage(m.messageId, m.popReceipt);
    this.stats.poisoned++;
  }
}
