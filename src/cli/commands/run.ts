import { runLocal, type FollowCycle } from '../../local/runner';
import { QUIET_OPTION, LAKE_OPTION, positiveInt, requireString, type Command } from '../args';
import { progressReporter, rate } from '../progress';

export const runCommand: Command = {
  name: 'run',
  summary: 'process landing files through bronze and silver into a local lake (only what is new)',
  usage: 'orderlake run --input <file.jsonl | folder> [--lake <dir>] [options]',
  options: {
    input: { type: 'string', short: 'i', value: 'file|folder', description: 'landing file, or a folder of them (read in name order); one event body per line' },
    lake: LAKE_OPTION,
    partitions: { type: 'string', value: 'n', description: 'partitions of the local source (fixed for the life of a lake)', default: '4' },
    'batch-size': { type: 'string', value: 'n', description: 'events per batch and partition', default: '1000' },
    follow: { type: 'boolean', description: 'keep reading what is appended to the input (Ctrl-C to stop), with a live status line' },
    'skip-gold': { type: 'boolean', description: 'stop after silver (gold can be brought up to date later with orderlake gold)' },
    json: { type: 'boolean', description: 'print the run summary as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake run --input landing/ --lake ./lake', 'orderlake run -i orders.jsonl -l /tmp/lake --json'],
  async run(values, _pos, io) {
    const input = requireString(values, 'input', 'run');
    const lakeDir = values['lake'] as string;
    const progress = progressReporter(io, Boolean(values['quiet']));
    const follow = Boolean(values['follow']);
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(130);
      io.err('\nstopping after the current cycle (Ctrl-C again to quit at once)\n');
      stop.abort();
    };
    if (follow) process.on('SIGINT', onSigint);
    const began = Date.now();
    let lastGold: { run: number; at: number; seconds: number } | undefined;
    let latest: FollowCycle | undefined;
    // The live status is drawn on a timer from the latest cycle (twice a second on a terminal,
    // every 5 s in a log), so no update is lost between cycles.
    const render = () => {
      if (!latest) return;
      const s = (Date.now() - began) / 1000;
      const t = latest.totals;
      progress.update(() => `follow: ${t.read.toLocaleString('en-US')} events in (${rate(t.read, s)}), ${t.counts.written.toLocaleString('en-US')} to silver (${rate(t.counts.written, s)}), ${t.counts.quarantined} quarantined, lag ${latest!.lagSeconds === null ? '-' : `${latest!.lagSeconds.toFixed(1)} s`}, gold ${lastGold ? `run ${lastGold.run} ${((Date.now() - lastGold.at) / 1000).toFixed(0)} s ago (${lastGold.seconds.toFixed(1)} s)` : '-'}`, true);
    };
    const ticker = follow ? setInterval(render, io.isTTY ? 500 : 5000) : undefined;
    const summary = await runLocal({
      ...(follow ? {
        follow: {
          signal: stop.signal,
          onCycle: (c) => {
            if (c.goldRun !== null) lastGold = { run: c.goldRun, at: Date.now(), seconds: c.goldSeconds ?? 0 };
            const first = !latest;
            latest = c;
            if (first) render();
          },
        },
      } : {}),
      input,
      lakeDir,
      partitions: positiveInt(values, 'partitions', 'run') ?? 4,
      batchSize: positiveInt(values, 'batch-size', 'run') ?? 1000,
      gold: !values['skip-gold'],
      ...(follow ? {} : { onGoldProgress: (m: string) => progress.update(() => m, true) }),
      onWarning: (m) => io.err(`\nwarning: ${m}\n`),
      onProgress: (p) => progress.update((s) => `run: ${p.read.toLocaleString('en-US')} events read (${rate(p.read, s)}), ${p.counts.written.toLocaleString('en-US')} to silver, ${p.counts.quarantined.toLocaleString('en-US')} quarantined, ${p.counts.duplicates.toLocaleString('en-US')} duplicates`),
    });
    process.off('SIGINT', onSigint);
    if (ticker) clearInterval(ticker);
    render();
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
