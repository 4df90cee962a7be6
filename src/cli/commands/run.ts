import { runLocal, type FollowCycle } from '../../local/runner';
import { MEMORY_LIMIT_OPTION, QUIET_OPTION, LAKE_OPTION, memoryLimit as memoryLimitOption, positiveInt, requireString, type Command } from '../args';
import { requireLakeTarget } from '../lake';
import { goldDone, progressReporter } from '../progress';
import { count, rate, seconds } from '../format';

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
    'memory-limit': MEMORY_LIMIT_OPTION,
    json: { type: 'boolean', description: 'print the run summary as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake run --input landing/ --lake ./lake', 'orderlake run -i orders.jsonl -l /tmp/lake --json'],
  async run(values, _pos, io) {
    const input = requireString(values, 'input', 'run');
    const lakeDir = values['lake'] as string;
    const partitions = positiveInt(values, 'partitions', 'run') ?? 4;
    const batchSize = positiveInt(values, 'batch-size', 'run') ?? 1000;
    const memoryLimit = memoryLimitOption(values, 'run');
    await requireLakeTarget(lakeDir);
    const progress = progressReporter(io, Boolean(values['quiet']));
    const follow = Boolean(values['follow']);
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(130);
      progress.message('stopping after the current cycle (Ctrl-C again to quit at once)');
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
      progress.update('follow', () => `follow: ${count(t.read)} events in (${rate(t.read, s)}), ${count(t.counts.written)} to silver (${rate(t.counts.written, s)}), ${count(t.counts.quarantined)} quarantined, lag ${latest!.lagSeconds === null ? '-' : seconds(latest!.lagSeconds)}, gold ${lastGold ? `run ${lastGold.run} ${((Date.now() - lastGold.at) / 1000).toFixed(0)} s ago (${seconds(lastGold.seconds)})` : '-'}`, { force: true });
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
      partitions,
      batchSize,
      gold: !values['skip-gold'],
      ...(memoryLimit ? { memoryLimit } : {}),
      ...(follow ? {} : { onGoldProgress: (m: string) => progress.update('gold', () => m, { final: goldDone }) }),
      onWarning: (m) => progress.message(`warning: ${m}`),
      onProgress: (p) => progress.update('run', (s) => `run: ${count(p.read)} events read (${rate(p.read, s)}), ${count(p.counts.written)} to silver, ${count(p.counts.quarantined)} quarantined, ${count(p.counts.duplicates)} duplicates`),
    });
    process.off('SIGINT', onSigint);
    if (ticker) clearInterval(ticker);
    render();
    progress.done();
    const c = summary.counts;
    if (values['json']) io.out(JSON.stringify({ read: summary.read, ...c, failed_batches: summary.failedBatches, failures: summary.failures }) + '\n');
    else {
      io.out(`read ${count(summary.read)} new events into ${lakeDir}: ${count(c.written)} to silver, ${count(c.quarantined)} quarantined, ${count(c.dropped)} dropped, ${count(c.duplicates)} duplicates (${count(c.warned)} with warnings)\n`);
      if (summary.gold?.run) io.out(`gold run ${summary.gold.run}: ${count(summary.gold.changedDates)} order date(s) changed, ${summary.gold.tables.length} table(s) updated in ${lakeDir}/gold\n`);
      // Each stopped batch's reason was printed once, as a warning, when it happened.
      if (summary.failedBatches) io.out(`${count(summary.failedBatches)} batch(es) stopped by a fail rule (see the warning above) and kept in bronze: 'orderlake replay --lake ${lakeDir}' once the cause is fixed\n`);
    }
    return summary.failedBatches ? 3 : 0;
  },
};
