// Command-line options of the bench scripts: `--help` prints what the script measures and each
// option with its default; an unknown option or a value that is not a number is one line naming
// the option and the value, then the usage, and exit code 2, not a stack trace.
import { parseArgs } from 'node:util';

export interface BenchOption {
  /** A flag, or a value: `number` values are checked to be finite numbers. */
  type: 'boolean' | 'string' | 'number';
  default?: string;
  /** One line: what the option sets. */
  help: string;
}

export interface BenchCommand {
  /** How it is called, e.g. `node dist/bench/cycles.js`. */
  command: string;
  /** What it measures: a few lines. */
  summary: string;
  options: Record<string, BenchOption>;
}

/** A wrong command line: the message names the option and the value, followed by the usage. */
export class BenchUsageError extends Error {}

export interface BenchArgs {
  str(name: string): string;
  num(name: string): number;
  flag(name: string): boolean;
}

export function benchUsage(c: BenchCommand): string {
  const rows = Object.entries(c.options).map(([name, o]) => [`--${name}${o.type === 'boolean' ? '' : o.type === 'number' ? ' N' : ' VALUE'}`, `${o.help}${o.default !== undefined ? ` (default: ${o.default})` : ''}`] as const);
  const width = Math.max(...rows.map(([n]) => n.length), '--help'.length) + 2;
  return [`usage: ${c.command} [options]`, '', c.summary, '', 'options:', ...rows.map(([n, h]) => `  ${n.padEnd(width)}${h}`), `  ${'--help'.padEnd(width)}this text`, ''].join('\n');
}

/** The parsed options, or undefined when `--help` was given (the usage is then on stdout). Throws BenchUsageError. */
export function benchArgs(c: BenchCommand, argv: readonly string[] = process.argv.slice(2), out: (s: string) => void = (s) => process.stdout.write(s)): BenchArgs | undefined {
  const options = Object.fromEntries([
    ...Object.entries(c.options).map(([name, o]) => [name, o.type === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, ...(o.default !== undefined ? { default: o.default } : {}) }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new BenchUsageError(`${(e as Error).message}\n\n${benchUsage(c)}`);
  }
  if (values['help']) {
    out(benchUsage(c));
    return undefined;
  }
  for (const [name, o] of Object.entries(c.options)) {
    const v = values[name];
    if (o.type === 'number' && v !== undefined && (v === '' || !Number.isFinite(Number(v)))) {
      throw new BenchUsageError(`expected --${name} to be a number, got '${String(v)}'\n\n${benchUsage(c)}`);
    }
  }
  const known = (name: string, type: BenchOption['type'][]) => {
    const o = c.options[name];
    if (!o || !type.includes(o.type)) throw new Error(`bench/args: no ${type.join(' or ')} option --${name} in ${c.command}`);
  };
  return {
    str: (name) => (known(name, ['string', 'number']), String(values[name] ?? '')),
    num: (name) => (known(name, ['number']), Number(values[name])),
    flag: (name) => (known(name, ['boolean']), values[name] === true),
  };
}

/** For a script's top-level catch: a usage error as its message (exit code 2), anything else with its stack (1). */
export function reportBenchFailure(e: unknown): void {
  if (e instanceof BenchUsageError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
