// A stand-in for the Azure Functions host, for end-to-end runs on this machine: it drives the
// handlers the app registers (functions/*.ts) from a real Event Hubs client, a real Storage
// queue and a timer, the way the host does, and reports what it did. Stage code is never
// touched: only the registered handlers are called, so adapters can change underneath.
import { QueueClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-queue';
import { InvocationContext, type Timer } from '@azure/functions';
import { storageWatchFactory, type RequestWatcher } from '../../../src/azure/request-watch';
import { captureRegistrations, readHostSettings, type HostSettings, type Registered } from './app-config';
import { EventHubTrigger, type CrashPoint, type DispatchedBatch, type EventHubTriggerStats } from './event-hub-trigger';
import { QueueTrigger, type QueueTriggerStats } from './queue-trigger';

let registered: Registered | undefined;

/** The app's registrations, captured once per process (a function file registers only when first loaded). */
export function registrations(): Registered {
  registered ??= captureRegistrations();
  return registered;
}

export interface HostOptions {
  /** App settings that binding expressions (%NAME%) resolve against. */
  appSettings: Record<string, string>;
  eventHubs: { connectionString: string; fullyQualifiedNamespace: string };
  /** The StateStorage connection: the queue service URL and its shared key (Azurite). */
  queueStorage: { url: string; account: string; key: string };
  /** Sees every queue request the host makes (request counting). */
  watchQueue?: RequestWatcher;
  /** Instances of the app: each holds some partitions and runs its own queue listener. */
  instances?: number;
  /** Multiplies host waits (retry intervals, visibility timeout, ownership expiry). */
  timeScale?: number;
  crashAt?: (batch: DispatchedBatch) => CrashPoint | undefined;
  redeliveryBatchSizes?: number[];
  log?: (line: string) => void;
}

export interface HostStats {
  eventHub: EventHubTriggerStats;
  queue: QueueTriggerStats;
  timer: { invocations: number; failures: number };
}

/** Resolves a binding expression like %SILVER_QUEUE_NAME% from the app settings, as the host does. */
export function resolveSetting(value: string, settings: Record<string, string>): string {
  return value.replace(/%([A-Za-z0-9_]+)%/g, (_, name: string) => {
    const v = settings[name];
    if (v === undefined) throw new Error(`expected app setting ${name} (named by a binding), got none`);
    return v;
  });
}

export class FunctionsHost {
  readonly settings: HostSettings;
  readonly eventHub: EventHubTrigger;
  readonly queue: QueueTrigger;
  readonly silverQueue: QueueClient;
  readonly poisonQueue: QueueClient;
  /** The same queue without the watcher: what the driver itself asks (is it empty?) is not the host's traffic. */
  private readonly queueAdmin: QueueClient;
  private readonly timerStats = { invocations: 0, failures: 0 };
  private readonly app: Registered;

  private constructor(private readonly opts: HostOptions) {
    this.app = registrations();
    this.settings = readHostSettings();
    const log = opts.log ?? (() => undefined);
    const timeScale = opts.timeScale ?? 1;
    const pipeline = newPipeline(new StorageSharedKeyCredential(opts.queueStorage.account, opts.queueStorage.key));
    if (opts.watchQueue) pipeline.factories.push(storageWatchFactory('queue', opts.watchQueue));
    const queueName = resolveSetting(this.app.refineSilver.queueName, opts.appSettings);
    this.silverQueue = new QueueClient(`${opts.queueStorage.url}/${queueName}`, pipeline);
    this.poisonQueue = new QueueClient(`${opts.queueStorage.url}/${queueName}-poison`, pipeline);
    this.queueAdmin = new QueueClient(`${opts.queueStorage.url}/${queueName}`, newPipeline(new StorageSharedKeyCredential(opts.queueStorage.account, opts.queueStorage.key)));
    const output = this.app.ingestBronze.return as { type?: string; queueName?: string } | undefined;
    if (output?.type !== 'queue' || resolveSetting(output.queueName ?? '', opts.appSettings) !== queueName) {
      throw new Error(`expected ingestBronze to return into the queue refineSilver reads (${queueName}), got ${JSON.stringify(output)}`);
    }
    this.queue = new QueueTrigger({ queue: this.silverQueue, poison: this.poisonQueue, registration: this.app.refineSilver, settings: this.settings.queues, timeScale, log });
    const eh = this.app.ingestBronze;
    this.eventHub = new EventHubTrigger({
      connectionString: opts.eventHubs.connectionString,
      fullyQualifiedNamespace: opts.eventHubs.fullyQualifiedNamespace,
      eventHubName: resolveSetting(eh.eventHubName, opts.appSettings),
      consumerGroup: resolveSetting(eh.consumerGroup ?? '$Default', opts.appSettings),
      registration: eh,
      settings: this.settings.eventHubs,
      output: (value) => this.writeQueueOutput(value),
      timeScale,
      ...(opts.crashAt ? { crashAt: opts.crashAt } : {}),
      ...(opts.redeliveryBatchSizes ? { redeliveryBatchSizes: opts.redeliveryBatchSizes } : {}),
      log,
    });
  }

  /** Creates the queue (the deployment does, in Azure) and starts the triggers. */
  static async start(opts: HostOptions, partitionIds: readonly string[]): Promise<FunctionsHost> {
    const host = new FunctionsHost(opts);
    await host.queueAdmin.createIfNotExists();
    host.eventHub.start(partitionIds, opts.instances ?? 1);
    host.queue.start(opts.instances ?? 1);
    return host;
  }

  /** The queue output binding: an object goes as JSON, base64-encoded when host.json says so. */
  private async writeQueueOutput(value: unknown): Promise<void> {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    await this.silverQueue.sendMessage(this.settings.queues.messageEncoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text);
    this.queue.notify();
  }

  /** Fires the gold timer once; a failing run is logged and counted, as the host does. */
  async fireTimer(): Promise<void> {
    const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    this.timerStats.invocations++;
    try {
      await this.app.buildGold.handler(timer, new InvocationContext({ invocationId: `timer-${this.timerStats.invocations}`, functionName: 'buildGold', logHandler: (_l, ...a) => this.opts.log?.(a.map(String).join(' ')) }));
    } catch (e) {
      this.timerStats.failures++;
      this.opts.log?.(`timer: buildGold failed: ${(e as Error).message}`);
    }
  }

  /**
   * Waits until every partition is checkpointed up to `lastSequence` and the silver queue is
   * empty with nothing in flight (checked twice in a row: a retry may be about to reappear).
   */
  async drain(lastSequence: Record<string, number>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    for (;;) {
      const positions = this.eventHub.positions();
      const caughtUp = Object.entries(lastSequence).every(([p, last]) => (positions[p] ?? -1) >= last);
      const props = caughtUp && this.queue.busy() === 0 ? await this.queueAdmin.getProperties() : undefined;
      quietChecks = props && props.approximateMessagesCount === 0 && this.queue.busy() === 0 ? quietChecks + 1 : 0;
      if (quietChecks >= 2) return;
      if (Date.now() > deadline) {
        throw new Error(`expected the host to drain within ${timeoutMs} ms: checkpoints ${JSON.stringify(positions)} of ${JSON.stringify(lastSequence)}, queue ${props?.approximateMessagesCount ?? '?'} waiting, ${this.queue.busy()} in flight`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  stats(): HostStats {
    return { eventHub: this.eventHub.stats, queue: this.queue.stats, timer: { ...this.timerStats } };
  }

  async stop(): Promise<void> {
    await this.eventHub.stop();
    await this.queue.stop();
  }
}
