// The bench scripts' command lines: usage text, parsing, and what a wrong option gives.
import { benchArgs, benchUsage, reportBenchFailure, BenchUsageError, type BenchCommand } from '../../bench/args';

const COMMAND: BenchCommand = {
  command: 'node dist/bench/x.js',
  summary: 'Measures x.',
  options: {
    cycles: { type: 'number', default: '40', help: 'cycles to run' },
    dir: { type: 'string', default: '/tmp/x', help: 'work folder' },
    smoke: { type: 'boolean', help: 'tiny sizes' },
  },
};

describe('benchUsage', () => {
  it('lists each option with what it sets and its default, and --help', () => {
    expect(benchUsage(COMMAND)).toBe([
      'usage: node dist/bench/x.js [options]',
      '',
      'Measures x.',
      '',
      'options:',
      '  --cycles N   cycles to run (default: 40)',
      '  --dir VALUE  work folder (default: /tmp/x)',
      '  --smoke      tiny sizes',
      '  --help       this text',
      '',
    ].join('\n'));
  });
});

describe('benchArgs', () => {
  it('gives defaults, given values and flags', () => {
    const a = benchArgs(COMMAND, []);
    expect([a?.num('cycles'), a?.str('dir'), a?.flag('smoke')]).toEqual([40, '/tmp/x', false]);
    const b = benchArgs(COMMAND, ['--cycles', '7', '--dir=/w', '--smoke']);
    expect([b?.num('cycles'), b?.str('dir'), b?.flag('smoke')]).toEqual([7, '/w', true]);
  });

  it('prints the usage and gives nothing for --help or -h', () => {
    const out: string[] = [];
    expect(benchArgs(COMMAND, ['--help'], (s) => out.push(s))).toBeUndefined();
    expect(benchArgs(COMMAND, ['--cycles', '3', '-h'], (s) => out.push(s))).toBeUndefined();
    expect(out).toEqual([benchUsage(COMMAND), benchUsage(COMMAND)]);
  });

  it('names a wrong option or a value that is not a number, then the usage', () => {
    expect(() => benchArgs(COMMAND, ['--cycles', 'x'])).toThrow(new BenchUsageError(`expected --cycles to be a number, got 'x'\n\n${benchUsage(COMMAND)}`));
    expect(() => benchArgs(COMMAND, ['--cycles', ''])).toThrow(`expected --cycles to be a number, got ''`);
    expect(() => benchArgs(COMMAND, ['--cycle', '3'])).toThrow(BenchUsageError);
    expect(() => benchArgs(COMMAND, ['--cycle', '3'])).toThrow(`Unknown option '--cycle'`);
    expect(() => benchArgs(COMMAND, ['extra'])).toThrow(BenchUsageError);
  });

  it('refuses a name the command does not declare as that kind (a bug in the script, not the command line)', () => {
    const a = benchArgs(COMMAND, [])!;
    expect(() => a.num('dir')).toThrow('bench/args: no number option --dir in node dist/bench/x.js');
    expect(() => a.flag('cycles')).toThrow('bench/args: no boolean option --cycles in node dist/bench/x.js');
  });
});

describe('reportBenchFailure', () => {
  const saved = process.exitCode;
  afterEach(() => {
    process.exitCode = saved;
    jest.restoreAllMocks();
  });

  it('writes a usage error as its message with exit code 2, anything else with its stack and 1', () => {
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
    reportBenchFailure(new BenchUsageError('expected --x to be a number'));
    const usageCode = process.exitCode;
    const e = new Error('boom');
    reportBenchFailure(e);
    expect([written, usageCode, process.exitCode]).toEqual([['expected --x to be a number\n', `${e.stack}\n`], 2, 1]);
  });
});
