import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { generateEvents } from '../../../producer/generator';
import { writeEventsToFile } from '../../../producer/file-sink';
import { runLocal, openLocalLake } from '../../local/runner';
import { pipelineStats } from '../../pipeline/stats';
import { STREAM_OPTIONS, streamOptionsFrom } from './produce';
import type { Command } from '../args';
import { progressReporter, rate } from '../progress';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole local pipeline in one go: generate a dirty order stream, run it, summarise (npm start)',
  usage: 'orderlake demo [--lake <dir>] [--landing <dir>] [--events n] [--seed n]',
  options: {
    lake: { type: 'string', short: 'l', value: 'dir', description: 'the lake folder', default: './lake' },
    landing: { type: 'string', value: 'dir', description: 'where the generated landing file goes', default: './landing' },
    ...STREAM_OPTIONS,
    quiet: { type: 'boolean', short: 'q', description: 'no progress line' },
  },
  async run(values, _pos, io) {
    const opts = streamOptionsFrom(values, 'demo');
    const lakeDir = values['lake'] as string;
    const landing = values['landing'] as string;
    const file = path.join(landing, `orders-seed${opts.seed}-${opts.end.toISOString().slice(0, 10)}-${opts.events}.jsonl`);
    const progress = progressReporter(io, Boolean(values['quiet']));
    if (await fs.stat(file).then(() => false, () => true)) {
      const tmp = `${file}.partial`;
      await fs.rm(tmp, { force: true });
      await writeEventsToFile(tmp, generateEvents(opts), (p) => progress.update((s) => `generating: ${p.written.toLocaleString('en-US')} of ${opts.events.toLocaleString('en-US')} events (${rate(p.written, s)})`));
      await fs.rename(tmp, file); // a complete file or none, so an interrupted demo starts the file over
      progress.done();
      io.out(`generated ${opts.events} events (seed ${opts.seed}) into ${file}\n`);
    } else {
      io.out(`using ${file} (already generated)\n`);
    }
    const summary = await runLocal({
      input: landing,
      lakeDir,
      onWarning: (m) => io.err(`\nwarning: ${m}\n`),
      onProgress: (p) => progress.update((s) => `pipeline: ${p.read.toLocaleString('en-US')} events (${rate(p.read, s)}), ${p.counts.written.toLocaleString('en-US')} to silver`),
    });
    progress.done();
    const { state } = openLocalLake(lakeDir);
    const s = await pipelineStats(state.commits);
    const lines = [
      '',
      `This run: ${summary.read} new events. The lake in total:`,
      `  received    ${String(s.received).padStart(9)}  = written + quarantined + dropped + duplicates`,
      `  silver      ${String(s.written).padStart(9)}  (${s.warned} with warnings)  ${path.join(lakeDir, 'silver')}`,
      `  quarantine  ${String(s.quarantined).padStart(9)}  (${s.malformed} malformed JSON)      ${path.join(lakeDir, 'quarantine')}`,
      `  dropped     ${String(s.dropped).padStart(9)}  (test traffic)`,
      `  duplicates  ${String(s.duplicates).padStart(9)}`,
      '',
      'Quarantine by rule code:',
      ...Object.entries(s.codes)
        .filter(([code]) => !['duplicate_event', 'test_order', 'total_mismatch', 'invalid_email'].includes(code))
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `  ${code.padEnd(28)}${String(n).padStart(7)}`),
      '',
      `Bronze (raw, replayable): ${path.join(lakeDir, 'bronze')}`,
      `Look closer: orderlake stats --lake ${lakeDir}   |   orderlake quarantine --lake ${lakeDir} | head`,
    ];
    io.out(lines.join('\n') + '\n');
    return summary.failedBatches ? 3 : 0;
  },
};
