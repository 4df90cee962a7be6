// The whole Azure path on this machine, through the real SDKs: `orderlake produce --to
// eventhubs` (the real sender, a child process) -> the test Event Hubs endpoint -> the
// Functions host stand-in (ingestBronze, the silver queue on Azurite, refineSilver, the gold
// timer) -> Table and Queue storage on Azurite and the lake on the test DFS server -> gold.
// Every storage request is counted where the SDK sends it, Event Hubs at the endpoint; faults
// can be injected on the way. The e2e test and `npm run bench` (figure 6) both run this.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-file-datalake';
import { createServices, setServices } from '../../src/azure/services';
import { RequestCounter, lakePipeline, type RequestWatcher } from '../../src/azure/request-watch';
import { AdlsLake } from '../../src/adapters/azure/adls-lake';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { startAzurite, AZURITE_ACCOUNT, AZURITE_KEY } from './azurite';
import { startDfsServer } from './dfs-server';
import { startEventHubsServer } from './eventhubs-server';
import { StorageFaults } from './storage-faults';
import { FunctionsHost, registrations, type HostStats } from './functions-host/host';
import type { CrashPoint, DispatchedBatch } from './functions-host/event-hub-trigger';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
export const FILESYSTEMS = ['bronze', 'silver', 'quarantine', 'gold'];

export interface FaultPlan {
  /** A lake and Table outage of this many ms, starting once a third of the events are checkpointed. */
  outageMs?: number;
  /**
   * The instance crashes on the first delivery of every nth batch, at `at`: after the handler
   * (bronze written, no queue message, no checkpoint) or after the output binding (queue
   * message sent, no checkpoint: the redelivered batches overlap one already queued).
   */
  crash?: { everyNthBatch: number; at: CrashPoint };
  /** Fire the gold timer once two thirds of the events are checkpointed (an incremental run follows at the end). */
  goldMidRun?: boolean;
  /** Once half the events are checkpointed, a second instance takes this partition while the first still reads it for overlapMs. */
  rebalance?: { partition: string; overlapMs: number };
  /** Reads of the first bronze file fail until its queue message is in the poison queue; then `orderlake poison-replay` moves it back. */
  poisonFirstBatch?: boolean;
}

export interface AzurePathOptions {
  events: number;
  seed: number;
  /** The generator's --end (fix it, so the same events can be produced again to a file). */
  end: string;
  /** The generator's --days of order history (default 30: about one order lifecycle, as a live stream spans). */
  days?: number;
  faults?: FaultPlan;
  instances?: number;
  timeScale?: number;
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface AzurePathResult {
  /** Events the producer sent. */
  sent: number;
  /** Gold exports (JSON lines) per table. */
  exports: Record<string, string[]>;
  /** Requests of bronze + silver (everything before the final gold run): storage per service.operation and per service.target.operation, Event Hubs per operation. */
  ingest: { storage: Record<string, number>; storageByTarget: Record<string, number>; eventHubs: Record<string, number> };
  /** Requests of the final gold run alone. */
  goldRun: { storage: Record<string, number>; storageByTarget: Record<string, number> };
  host: HostStats;
  faultsInjected: Record<string, number>;
  poisoned: number;
  /** Bronze files in the lake at the end (a crashed or split delivery leaves its own). */
  bronzeFiles: number;
  seconds: number;
}

/** Runs `orderlake <args>` (the built CLI) and returns its stdout; fails on a non-zero exit. */
export async function orderlake(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0) throw new Error(`orderlake ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`);
  return out;
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));

/** Calls `fn` once the share of events checkpointed reaches `share`. */
function whenCheckpointed(host: () => FunctionsHost | undefined, total: () => number, share: number, fn: () => Promise<void> | void): { stop: () => void; done: Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    const tick = () => {
      const h = host();
      const n = total();
      if (stopped) return resolve();
      const through = h ? Object.values(h.eventHub.positions()).reduce((s, p) => s + p + 1, 0) : 0;
      if (n > 0 && through >= n * share) return Promise.resolve(fn()).then(resolve, reject);
      timer = setTimeout(tick, 50);
    };
    tick();
  });
  return { stop: () => { stopped = true; if (timer) clearTimeout(timer); }, done };
}

export async function runAzurePath(opts: AzurePathOptions): Promise<AzurePathResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const plan = opts.faults ?? {};
  // buildGold keeps its DuckDB scratch under os.tmpdir(), fixed when functions/buildGold loads:
  // give this process its own, so a gold run elsewhere (another test file) cannot sweep it.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-azure-path-'));
  const tmpdir = process.env['TMPDIR'];
  process.env['TMPDIR'] = scratch;
  try {
    registrations();
  } finally {
    if (tmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = tmpdir;
  }
  const [azurite, dfs, eventHubs] = await Promise.all([startAzurite(), startDfsServer(), startEventHubsServer({ hub: 'orders', partitions: 4 })]);
  let host: FunctionsHost | undefined;
  const triggers: Array<{ stop: () => void; done: Promise<void> }> = [];
  try {
    const key = new StorageSharedKeyCredential(AZURITE_ACCOUNT, Buffer.from('test-dfs-key').toString('base64'));
    const admin = new DataLakeServiceClient(dfs.url, key);
    for (const name of FILESYSTEMS) await admin.getFileSystemClient(name).create();
    const counter = new RequestCounter();
    const faults = new StorageFaults();
    const watch: RequestWatcher = (r) => {
      faults.watch(r);
      counter.watch(r);
    };
    const state = await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' }, undefined, watch);
    setServices({ ...state, lake: new AdlsLake(dfs.url, lakePipeline(key, watch)) });
    counter.reset(); // creating the tables is the deployment's, not the pipeline's

    let batchesSeen = 0;
    const crash = plan.crash;
    const crashAt = crash
      ? (b: DispatchedBatch): CrashPoint | undefined => (b.attempt === 0 && ++batchesSeen % crash.everyNthBatch === 0 ? crash.at : undefined)
      : undefined;
    let clearPoison: (() => void) | undefined;
    if (plan.poisonFirstBatch) {
      let target: string | undefined;
      clearPoison = faults.failUntilCleared('poison', (r) => {
        // The first bronze file read is refineSilver's (bronze is only written, never read, before).
        const file = /\/bronze\/(.+\.jsonl)(\?|$)/.exec(decodeURIComponent(r.url))?.[1];
        if (!file || r.service !== 'adls' || (r.method !== 'GET' && r.method !== 'HEAD')) return false;
        target ??= file;
        return file === target;
      });
    }
    host = await FunctionsHost.start({
      appSettings: { EVENTHUB_NAME: eventHubs.hub, EVENTHUB_CONSUMER_GROUP: 'orderlake', SILVER_QUEUE_NAME: 'silver-batches', GOLD_SCHEDULE: '0 */5 * * * *' },
      eventHubs: { connectionString: eventHubs.connectionString, fullyQualifiedNamespace: `127.0.0.1:${eventHubs.port}` },
      queueStorage: { url: azurite.queueUrl, account: AZURITE_ACCOUNT, key: AZURITE_KEY },
      watchQueue: counter.watch,
      instances: opts.instances ?? 2,
      timeScale: opts.timeScale ?? 0.02,
      ...(crashAt ? { crashAt, redeliveryBatchSizes: [333, 1000, 150] } : plan.rebalance ? { redeliveryBatchSizes: [250] } : {}),
      log,
    }, eventHubs.partitions.map((_, i) => String(i)));

    const total = () => opts.events;
    if (plan.outageMs) {
      triggers.push(whenCheckpointed(() => host, total, 1 / 3, () => {
        log(`faults: lake and Table outage for ${plan.outageMs} ms`);
        faults.outage(plan.outageMs!, ['adls', 'table']);
      }));
    }
    if (plan.rebalance) {
      const r = plan.rebalance;
      triggers.push(whenCheckpointed(() => host, total, 1 / 2, () => host!.eventHub.rebalance(r.partition, r.overlapMs)));
    }
    if (plan.goldMidRun) triggers.push(whenCheckpointed(() => host, total, 2 / 3, () => host!.fireTimer()));
    // The producer: the real CLI and SDK, to the endpoint. Its events are what the run must account for.
    const out = await orderlake(['produce', '--to', 'eventhubs', '--connection-string', eventHubs.connectionString, '--events', String(opts.events), '--seed', String(opts.seed), '--end', opts.end, '--days', String(opts.days ?? 30), '--rate', '0', '--quiet']);
    // The CLI prints counts with thousands separators (3,000).
    const m = /sent ([\d,]+) of ([\d,]+) events/.exec(out);
    if (!m || m[1] !== m[2]) throw new Error(`expected the producer to send every event, got: ${out.trim()}`);
    const sent = Number(m[1]!.replace(/,/g, ''));
    const lastSequence = Object.fromEntries(eventHubs.partitions.map((p, i) => [String(i), p.length - 1]));
    const timeout = opts.drainTimeoutMs ?? 120_000;
    await host.drain(lastSequence, timeout);
    await Promise.all(triggers.map((t) => t.done));

    let poisoned = 0;
    if (clearPoison) {
      poisoned = host.stats().queue.poisoned;
      clearPoison(); // the cause is fixed; bring the batch back as an operator would
      await orderlake(['poison-replay', '--connection-string', azurite.connectionString, '--queue', 'silver-batches']);
      host.queue.notify();
      await host.drain(lastSequence, timeout);
    }

    const ingestStorage = counter.byOperation();
    const ingestTargets = counter.byTarget();
    const eventHubCounts = eventHubs.counts();
    await host.fireTimer();
    const goldRun = { storage: diff(counter.byOperation(), ingestStorage), storageByTarget: diff(counter.byTarget(), ingestTargets) };
    const stats = host.stats();
    if (stats.timer.failures > (plan.goldMidRun ? 1 : 0)) throw new Error('expected the final gold run to succeed, it failed (see the log)');

    const reader = new AdlsLake(dfs.url, newPipeline(key)); // not counted: reading the result is the test's, not the pipeline's
    const gold: Record<string, string[]> = {};
    for (const t of GOLD_TABLES) {
      const lines: string[] = [];
      for await (const line of exportTable(reader, t.name)) lines.push(line);
      gold[t.name] = lines;
    }
    return {
      sent,
      exports: gold,
      ingest: { storage: ingestStorage, storageByTarget: ingestTargets, eventHubs: eventHubCounts },
      goldRun,
      host: stats,
      faultsInjected: Object.fromEntries(faults.injected),
      poisoned,
      bronzeFiles: (await reader.list('bronze')).length,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const t of triggers) t.stop();
    await host?.stop();
    setServices(undefined);
    await Promise.all([azurite.stop(), dfs.stop(), eventHubs.stop()]);
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
