import { runLocal } from '../../local/runner';
import { positiveInt, requireString, type Command } from '../args';
import { progressReporter, rate } from '../progress';

export const runCommand: Command = {
  name: 'run',
  summary: 'process landing files through bronze and silver into a local lake (only what is new)',
  usage: 'orderlake run --input <file.jsonl | folder> [--lake <dir>] [options]',
  options: {
    input: { type: 'string', short: 'i', value: 'file|folder', description: 'landing file, or a folder of them (read in name order); one event body per line' },
    lake: { type: 'string', short: 'l', value: 'dir', description: 'the lake folder', default: './lake' },
    partitions: { type: 'string', value: 'n', description: 'partitions of the local source (fixed for the life of a lake)', default: '4' },
    'batch-size': { type: 'string', value: 'n', description: 'events per batch and partition', default: '1000' },
    'skip-gold': { type: 'boolean', description: 'stop after silver (gold can be brought up to date later with orderlake gold)' },
    json: { type: 'boolean', description: 'print the run summary as JSON' },
    quiet: { type: 'boolean', short: 'q', description: 'no progress line' },
  },
  examples: ['orderlake run --input landing/ --lake ./lake', 'orderlake run -i orders.jsonl -l /tmp/lake --json'],
  async run(values, _pos, io) {
    const input = requireString(values, 'input', 'run');
    const lakeDir = values['lake'] as string;
    const progress = progressReporter(io, Boolean(values['quiet']));
    const summary = await runLocal({
      input,
      lakeDir,
      partitions: positiveInt(values, 'partitions', 'run') ?? 4,
      batchSize: positiveInt(values, 'batch-size', 'run') ?? 1000,
      gold: !values['skip-gold'],
      onGoldProgress: (m) => progress.update(() => m, true),
      onWarning: (m) => io.err(`\nwarning: ${m}\n`),
      onProgress: (p) => progress.update((s) => `run: ${p.read.toLocaleString('en-US')} events read (${rate(p.read, s)}), ${p.counts.written.toLocaleString('en-US')} to silver, ${p.counts.quarantined.toLocaleString('en-US')} quarantined, ${p.counts.duplicates.toLocaleString('en-US')} duplicates`),
    });
    progress.done();
    const c = summary.counts;
    if (values['json']) io.out(JSON.stringify({ read: summary.read, ...c, failed_batches: summary.failedBatches, failures: summary.failures }) + '\n');
    else {
      io.out(`read ${summary.read} new events into ${lakeDir}: ${c.written} to silver, ${c.quarantined} quarantined, ${c.dropped} dropped, ${c.duplicates} duplicates (${c.warned} with warnings)\n`);
      if (summary.gold?.run) io.out(`gold run ${summary.gold.run}: ${summary.gold.changedDates} order date(s) changed, ${summary.gold.tables.length} table(s) updated in ${lakeDir}/gold\n`);
      if (summary.failedBatches) io.out(`${summary.failedBatches} batch(es) stopped by a fail rule and kept in bronze for a replay:\n${summary.failures.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return summary.failedBatches ? 3 : 0;
  },
};
