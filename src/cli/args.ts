// A small command framework over node:util parseArgs: each command declares its
// options once, and help text and errors come from that declaration.
import { parseArgs } from 'node:util';
import { memorySize } from '../util/memory-size';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  value?: string;
  description: string;
  default?: string;
}

/** Options most commands share, declared once. */
export const LAKE_OPTION: OptionSpec = { type: 'string', short: 'l', value: 'dir', description: 'the lake folder', default: './lake' };
export const QUIET_OPTION: OptionSpec = { type: 'boolean', short: 'q', description: 'no progress line' };

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  run(values: Record<string, string | boolean | undefined>, positionals: string[], io: Io): Promise<number>;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function commandHelp(c: Command): string {
  const lines = [`orderlake ${c.name}: ${c.summary}`, '', `Usage: ${c.usage}`, '', 'Options:'];
  const entries = Object.entries({ ...c.options, help: { type: 'boolean', short: 'h', description: 'show this help' } as OptionSpec });
  const left = entries.map(([name, o]) => `  ${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  entries.forEach(([, o], i) => lines.push(`${left[i]!.padEnd(width)}${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ''}`));
  if (c.examples?.length) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export function parseCommandArgs(c: Command, argv: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(c.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    for (const [name, o] of Object.entries(c.options)) if (values[name] === undefined && o.default !== undefined) (values as Record<string, unknown>)[name] = o.type === 'boolean' ? o.default === 'true' : o.default;
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')} (see 'orderlake ${c.name} --help')`);
  }
}

export function requireString(values: Record<string, unknown>, name: string, command: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name} (see 'orderlake ${command} --help')`);
  return v;
}

export function positiveInt(values: Record<string, unknown>, name: string, command: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`expected --${name} to be a positive integer, got ${JSON.stringify(v)} (see 'orderlake ${command} --help')`);
  }
  return n;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A real calendar date YYYY-MM-DD (2026-02-30 is not one); undefined when the option is absent. */
export function calendarDate(values: Record<string, unknown>, name: string, command: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const expected = `expected --${name} to be a calendar date YYYY-MM-DD, got ${JSON.stringify(v)}`;
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) throw new UsageError(`${expected} (see 'orderlake ${command} --help')`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) throw new UsageError(`${expected}: months are 01 to 12`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) throw new UsageError(`${expected}: ${MONTHS[month - 1]} ${year} has days 01 to ${days}`);
  return v as string;
}

/** --memory-limit of the commands that run gold: DuckDB's buffer memory. */
export const MEMORY_LIMIT_OPTION: OptionSpec = { type: 'string', value: 'size', description: "DuckDB's buffer memory for gold, such as 1GB; it spills to disk beyond it (default 256MB; more is faster on large dates)" };

/** --memory-limit checked (src/util/memory-size.ts), or undefined without it. */
export function memoryLimit(values: Record<string, unknown>, command: string): string | undefined {
  const v = values['memory-limit'];
  if (v === undefined) return undefined;
  try {
    return memorySize(String(v), '--memory-limit');
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (see 'orderlake ${command} --help')`);
  }
}
