import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { generateEvents, DEFAULT_STREAM, DEFAULT_DIRT, CLEAN, type DirtRates } from '../../../producer/generator';
import { writeEventsToFile } from '../../../producer/file-sink';
import { positiveInt, UsageError, type Command } from '../args';
import { progressReporter, rate } from '../progress';

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
  events: { type: 'string', value: 'n', description: 'how many events', default: String(DEFAULT_STREAM.events) },
  seed: { type: 'string', value: 'n', description: 'random seed; the same seed and --end give the same bytes', default: String(DEFAULT_STREAM.seed) },
  end: { type: 'string', value: 'date', description: 'latest event time, ISO (default: today 00:00 UTC)' },
  days: { type: 'string', value: 'n', description: 'days of order history before --end', default: String(DEFAULT_STREAM.days) },
  clean: { type: 'boolean', description: 'no dirt at all (each knob can still be set)' },
  ...Object.fromEntries(DIRT_KNOBS.map(([k, d]) => [kebab(k), { type: 'string', value: 'rate', description: `rate of ${d}, 0 disables`, default: String(DEFAULT_DIRT[k]) }])),
} as const;

export const produceCommand: Command = {
  name: 'produce',
  summary: 'generate a realistic, seeded, dirty order stream (to landing files; Event Hubs in a later release)',
  usage: 'orderlake produce --to file <file.jsonl | folder> [--events n] [--seed n] [dirt knobs]',
  options: {
    to: { type: 'string', value: 'sink', description: "where to send: 'file'", default: 'file' },
    ...STREAM_OPTIONS,
    quiet: { type: 'boolean', short: 'q', description: 'no progress line' },
  },
  examples: ['orderlake produce --to file landing/ --events 100000 --seed 7', 'orderlake produce --to file orders.jsonl --clean --duplicate 0.1'],
  async run(values, positionals, io) {
    if (values['to'] !== 'file') throw new UsageError(`expected --to file, got ${JSON.stringify(values['to'])}`);
    const target = positionals[0];
    if (!target) throw new UsageError("missing the target file or folder after the options (see 'orderlake produce --help')");
    const opts = streamOptionsFrom(values, 'produce');
    let file = target;
    const isDir = await fs.stat(target).then((s) => s.isDirectory(), () => target.endsWith('/'));
    if (isDir) file = path.join(target, `orders-seed${opts.seed}-${Date.now()}.jsonl`);
    const progress = progressReporter(io, Boolean(values['quiet']));
    const n = await writeEventsToFile(file, generateEvents(opts), (p) => progress.update((s) => `produce: ${p.written.toLocaleString('en-US')} events (${rate(p.written, s)})`));
    progress.done();
    io.out(`wrote ${n} events to ${file}\n`);
    return 0;
  },
};
