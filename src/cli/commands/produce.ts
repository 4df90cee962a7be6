import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { generateEvents, DEFAULT_STREAM, DEFAULT_DIRT, CLEAN, type DirtRates } from '../../../producer/generator';
import { writeEventsToFile } from '../../../producer/file-sink';
import { QUIET_OPTION, positiveInt, UsageError, type Command, type Io } from '../args';
import { Pacer, parseDuration } from '../../../producer/pacer';
import { BatchingSender } from '../../../producer/batching-sender';
import { createProducer, eventHubsTargetFromEnv } from '../../../producer/eventhubs-client';
import { fileDeadLetter } from '../../../producer/dead-letter';
import { progressReporter } from '../progress';
import { count, rate } from '../format';

const DIRT_KNOBS: Array<[keyof DirtRates, string]> = [
  ['duplicate', 'resends of the same event'],
  ['outOfOrder', 'events sent 1-30 minutes out of order'],
  ['late', 'events sent 1-20 days late'],
  ['defect', 'events with a defect of one rule code'],
  ['normalise', 'events that only need normalisation'],
  ['test', 'orders of TEST- customers'],
];

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function fraction(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`expected --${name} to be a rate between 0 and 1, got ${JSON.stringify(v)}`);
  return n;
}

/** The stream options shared by `produce` and `demo`. */
export function streamOptionsFrom(values: Record<string, unknown>, command: string) {
  const endText = values['end'] as string | undefined;
  const end = endText === undefined ? startOfTodayUtc() : new Date(endText);
  if (Number.isNaN(end.getTime())) throw new UsageError(`expected --end to be an ISO date or timestamp, got ${JSON.stringify(endText)}`);
  const base: DirtRates = values['clean'] ? { ...CLEAN } : { ...DEFAULT_DIRT };
  for (const [knob] of DIRT_KNOBS) {
    const v = fraction(values[kebab(knob)], kebab(knob));
    if (v !== undefined) base[knob] = v;
  }
  const seedText = values['seed'] as string | undefined;
  if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UsageError(`expected --seed to be a whole number, got ${JSON.stringify(seedText)}`);
  return {
    ...DEFAULT_STREAM,
    seed: seedText === undefined ? DEFAULT_STREAM.seed : Number(seedText),
    events: positiveInt(values, 'events', command) ?? DEFAULT_STREAM.events,
    days: positiveInt(values, 'days', command) ?? DEFAULT_STREAM.days,
    end,
    dirt: base,
  };
}

export function startOfTodayUtc(): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export const STREAM_OPTIONS = {
  events: { type: 'string', value: 'n', description: `how many events (default: ${DEFAULT_STREAM.events}; produce --follow: no limit, produce --duration: rate x duration)` },
  seed: { type: 'string', value: 'n', description: 'random seed; the same seed and --end give the same bytes', default: String(DEFAULT_STREAM.seed) },
  end: { type: 'string', value: 'date', description: 'latest event time, ISO (default: today 00:00 UTC)' },
  days: { type: 'string', value: 'n', description: 'days of order history before --end', default: String(DEFAULT_STREAM.days) },
  clean: { type: 'boolean', description: 'no dirt at all (each knob can still be set)' },
  ...Object.fromEntries(DIRT_KNOBS.map(([k, d]) => [kebab(k), { type: 'string', value: 'rate', description: `rate of ${d}, 0 disables`, default: String(DEFAULT_DIRT[k]) }])),
} as const;

export const produceCommand: Command = {
  name: 'produce',
  summary: 'send a realistic, seeded, dirty order stream to Event Hubs or to landing files',
  usage: 'orderlake produce --to eventhubs [--rate n] [--duration 10m] | --to file <file.jsonl | folder> [--events n] [--follow]',
  options: {
    to: { type: 'string', value: 'eventhubs|file', description: 'where to send', default: 'file' },
    rate: { type: 'string', value: 'n', description: 'events per second, 0 = as fast as possible (default: 500 to Event Hubs and with --follow, else 0)' },
    duration: { type: 'string', value: 'time', description: 'stop after this long (30s, 10m, 1h); with --rate it sets how many events' },
    follow: { type: 'boolean', description: 'file: keep appending at --rate until Ctrl-C or --duration (for orderlake run --follow)' },
    namespace: { type: 'string', value: 'fqdn', description: 'Event Hubs namespace, e.g. ns.servicebus.windows.net (env EVENTHUB_FULLY_QUALIFIED_NAMESPACE); signs in with DefaultAzureCredential' },
    hub: { type: 'string', value: 'name', description: 'event hub name (env EVENTHUB_NAME)' },
    'connection-string': { type: 'string', value: 'text', description: 'a connection string instead of an identity, e.g. for the local emulator (env EVENTHUB_CONNECTION_STRING)' },
    'dead-letter': { type: 'string', value: 'file', description: 'where events that could not be sent are written', default: './produce-failed.jsonl' },
    ...STREAM_OPTIONS,
    quiet: QUIET_OPTION,
  },
  examples: [
    'orderlake produce --to eventhubs --namespace myns.servicebus.windows.net --hub orders --rate 500 --duration 10m',
    'orderlake produce --to file landing/ --events 100000 --seed 7',
    'orderlake produce --to file landing/ --follow --rate 2000    # then: orderlake run --input landing/ --follow',
    'orderlake produce --to file orders.jsonl --clean --duplicate 0.1',
  ],
  async run(values, positionals, io) {
    const to = values['to'];
    if (to !== 'file' && to !== 'eventhubs') throw new UsageError(`expected --to eventhubs or file, got ${JSON.stringify(to)}`);
    const follow = Boolean(values['follow']);
    const rateText = values['rate'] as string | undefined;
    if (rateText !== undefined && !/^\d+$/.test(rateText)) throw new UsageError(`expected --rate to be a whole number of events per second, got ${JSON.stringify(rateText)}`);
    const perSecond = rateText !== undefined ? Number(rateText) : to === 'eventhubs' || follow ? 500 : 0;
    let durationMs: number | undefined;
    if (values['duration'] !== undefined) {
      try {
        durationMs = parseDuration(values['duration'] as string);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const opts = streamOptionsFrom(values, 'produce');
    // Only an explicit --events caps follow mode and --duration (--events has no parsed default for
    // that reason): --duration with a rate decides the count, follow mode runs until Ctrl-C.
    if (values['events'] === undefined && (follow || durationMs !== undefined)) {
      opts.events = durationMs !== undefined && perSecond > 0 ? Math.ceil((perSecond * durationMs) / 1000) : Infinity;
    }
    const pacer = new Pacer({ rate: perSecond, ...(durationMs !== undefined ? { deadline: Date.now() + durationMs } : {}) });
    const progress = progressReporter(io, Boolean(values['quiet']));
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      progress.message('stopping: sending what is batched (Ctrl-C again to quit at once)');
      pacer.stop();
    };
    process.on('SIGINT', onSigint);
    try {
      if (to === 'file') return await toFile(values, positionals, opts, pacer, progress, io, follow);
      return await toEventHubs(values, opts, pacer, progress, io);
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

type Progress = ReturnType<typeof progressReporter>;

async function toFile(_values: Record<string, unknown>, positionals: string[], opts: ReturnType<typeof streamOptionsFrom>, pacer: Pacer, progress: Progress, io: Io, follow: boolean): Promise<number> {
  const target = positionals[0];
  if (!target) throw new UsageError("missing the target file or folder after the options (see 'orderlake produce --help')");
  let file = target;
  const isDir = await fs.stat(target).then((s) => s.isDirectory(), () => target.endsWith('/'));
  if (isDir) file = path.join(target, `orders-seed${opts.seed}-${Date.now()}.jsonl`);
  const started = Date.now();
  // Follow mode flushes small slices often, so a reader sees events within a tick.
  const n = await writeEventsToFile(file, pacer.pace(generateEvents(opts)), (p) => progress.update('produce', (s) => `produce: ${count(p.written)} events to ${file} (${rate(p.written, s)})`), follow ? 50 : 5000);
  progress.done();
  io.out(`wrote ${count(n)} events to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${opts.seed})\n`);
  return 0;
}

async function toEventHubs(values: Record<string, unknown>, opts: ReturnType<typeof streamOptionsFrom>, pacer: Pacer, progress: Progress, io: Io): Promise<number> {
  const target = eventHubsTargetFromEnv(process.env);
  if (values['namespace']) target.fullyQualifiedNamespace = values['namespace'] as string;
  if (values['hub']) target.eventHubName = values['hub'] as string;
  if (values['connection-string']) target.connectionString = values['connection-string'] as string;
  let client;
  try {
    client = createProducer(target);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const deadLetterFile = values['dead-letter'] as string;
  try {
    const partitionIds = await client.partitionIds();
    const sender = new BatchingSender(client.producer, partitionIds, {
      deadLetter: fileDeadLetter(deadLetterFile),
      onRetry: (attempt, e) => progress.message(`send failed (attempt ${attempt}), retrying: ${e.message}`),
    });
    const started = Date.now();
    let lastFlush = Date.now();
    let queued = 0;
    const status = (s: number) => `produce: ${count(sender.stats.sent)} sent (${rate(sender.stats.sent, s)}), ${count(sender.stats.failed + sender.stats.rejected)} failed, ${partitionIds.length} partitions`;
    for await (const body of pacer.pace(generateEvents(opts))) {
      await sender.send(body, partitionKeyOf(body));
      queued++;
      // Keep latency low at low rates: batches are sent when full or every 200 ms.
      if (Date.now() - lastFlush >= 200) {
        await sender.flush();
        lastFlush = Date.now();
      }
      progress.update('produce', status);
    }
    await sender.flush();
    progress.done();
    const st = sender.stats;
    io.out(`sent ${count(st.sent)} of ${count(queued)} events in ${count(st.batches)} batches to ${partitionIds.length} partitions in ${((Date.now() - started) / 1000).toFixed(1)} s; ${count(st.retries)} retries, ${count(st.failed)} failed, ${count(st.rejected)} too large${st.failed + st.rejected ? ` (written to ${deadLetterFile})` : ''}\n`);
    return st.failed + st.rejected ? 1 : 0;
  } finally {
    await client.close();
  }
}

/** The partition key of an event: its order_id (the raw line when there is none, as for broken JSON). */
export function partitionKeyOf(body: string): string {
  const m = /"order_id"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body);
  return m ? m[1]!.trim() : body;
}
