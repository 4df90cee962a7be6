#!/usr/bin/env node
// orderlake command line: dispatch, help and error handling. Commands live in commands/.
import { commandHelp, parseCommandArgs, UsageError, type Command, type Io } from './args';
import { runCommand } from './commands/run';
import { statsCommand } from './commands/stats';
import { quarantineCommand } from './commands/quarantine';
import { produceCommand } from './commands/produce';
import { demoCommand } from './commands/demo';
import { goldCommand } from './commands/gold';
import { exportCommand } from './commands/export';
import { poisonReplayCommand } from './commands/poison';
import { replayCommand } from './commands/replay';
import { optimizeCommand } from './commands/optimize';
import { vacuumCommand } from './commands/vacuum';
import { upgradeCommand } from './commands/upgrade';
import { reportCommand } from './commands/report';
import { validateCommand } from './commands/validate';
import { describeError } from './errors';

export const COMMANDS: Command[] = [demoCommand, runCommand, goldCommand, exportCommand, replayCommand, reportCommand, statsCommand, quarantineCommand, validateCommand, optimizeCommand, vacuumCommand, upgradeCommand, produceCommand, poisonReplayCommand];

function toolHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'orderlake: a real-time order pipeline (bronze -> silver -> gold), on Azure or on this machine.',
    '',
    'Usage: orderlake <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'orderlake <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out((target ? commandHelp(target) : toolHelp()) + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${(require('../../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see 'orderlake --help')`);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values['help']) {
      io.out(commandHelp(command) + '\n');
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (e) {
    io.err(`orderlake${command ? ` ${command.name}` : ''}: ${describeError(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  // `orderlake export ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const io: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`orderlake: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
