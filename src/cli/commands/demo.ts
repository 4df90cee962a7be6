import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { generateEvents } from '../../../producer/generator';
import { writeEventsToFile } from '../../../producer/file-sink';
import { runLocal, openLocalLake } from '../../local/runner';
import { pipelineStats } from '../../pipeline/stats';
import { exportTable } from '../../gold/export';
import { buildReport } from '../../report/build-report';
import { STREAM_OPTIONS, streamOptionsFrom } from './produce';
import { LAKE_OPTION, QUIET_OPTION, type Command } from '../args';
import { requireLakeTarget } from '../lake';
import { goldDone, progressReporter } from '../progress';
import { count, rate } from '../format';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole local pipeline in one go: generate a dirty order stream, run it, summarise (npm start)',
  usage: 'orderlake demo [--lake <dir>] [--landing <dir>] [--events n] [--seed n]',
  options: {
    lake: LAKE_OPTION,
    landing: { type: 'string', value: 'dir', description: 'where the generated landing file goes', default: './landing' },
    ...STREAM_OPTIONS,
    quiet: QUIET_OPTION,
  },
  async run(values, _pos, io) {
    const opts = streamOptionsFrom(values, 'demo');
    const lakeDir = values['lake'] as string;
    const landing = values['landing'] as string;
    await requireLakeTarget(lakeDir);
    const file = path.join(landing, `orders-seed${opts.seed}-${opts.end.toISOString().slice(0, 10)}-${opts.events}.jsonl`);
    const progress = progressReporter(io, Boolean(values['quiet']));
    if (await fs.stat(file).then(() => false, () => true)) {
      const tmp = `${file}.partial`;
      await fs.rm(tmp, { force: true });
      await writeEventsToFile(tmp, generateEvents(opts), (p) => progress.update('generate', (s) => `generating: ${count(p.written)} of ${count(opts.events)} events (${rate(p.written, s)})`));
      await fs.rename(tmp, file); // a complete file or none, so an interrupted demo starts the file over
      progress.done();
      io.out(`generated ${count(opts.events)} events (seed ${opts.seed}) into ${file}\n`);
    } else {
      io.out(`using ${file} (already generated)\n`);
    }
    const summary = await runLocal({
      input: landing,
      lakeDir,
      onWarning: (m) => progress.message(`warning: ${m}`),
      onProgress: (p) => progress.update('pipeline', (s) => `pipeline: ${count(p.read)} events (${rate(p.read, s)}), ${count(p.counts.written)} to silver`),
      onGoldProgress: (m) => progress.update('gold', () => m, { final: goldDone }),
    });
    progress.done();
    const { state } = openLocalLake(lakeDir);
    const s = await pipelineStats(state.commits);
    const lines = [
      '',
      `This run: ${count(summary.read)} new events. The lake in total:`,
      `  received    ${count(s.received).padStart(9)}  = written + quarantined + dropped + duplicates`,
      `  silver      ${count(s.written).padStart(9)}  (${count(s.warned)} with warnings)`,
      `  quarantine  ${count(s.quarantined).padStart(9)}  (${count(s.malformed)} malformed JSON)`,
      `  dropped     ${count(s.dropped).padStart(9)}  (test traffic)`,
      `  duplicates  ${count(s.duplicates).padStart(9)}`,
      '',
      'Quarantine by rule code:',
      ...Object.entries(s.codes)
        .filter(([code]) => !['duplicate_event', 'test_order', 'total_mismatch', 'invalid_email'].includes(code))
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `  ${code.padEnd(28)}${count(n).padStart(7)}`),
      '',
      'Monthly revenue (gold, USD):',
      ...(await monthlyTable(lakeDir)),
      '',
      `Gold (Delta Lake tables, Parquet; Power BI: powerbi/): ${path.join(lakeDir, 'gold')}`,
      `Bronze (raw, replayable): ${path.join(lakeDir, 'bronze')}`,
      `Look closer: orderlake export monthly_revenue --lake ${lakeDir} --format csv   |   orderlake quarantine --lake ${lakeDir} | head`,
    ];
    const report = await buildReport({ lake: openLocalLake(lakeDir).lake, commits: state.commits, documents: state.documents });
    const reportFile = path.resolve('report.html');
    await fs.writeFile(reportFile, report.html);
    lines.push(`Report (open in a browser): ${reportFile}`);
    io.out(lines.join('\n') + '\n');
    return summary.failedBatches ? 3 : 0;
  },
};

/** The first rows of monthly_revenue as a small text table. */
async function monthlyTable(lakeDir: string): Promise<string[]> {
  const { lake } = openLocalLake(lakeDir);
  const head = `  ${'month'.padEnd(8)}${'orders'.padStart(8)}${'gross'.padStart(14)}${'net'.padStart(14)}${'AOV'.padStart(9)}${'return%'.padStart(9)}${'cancel%'.padStart(9)}`;
  const out = [head];
  for await (const line of exportTable(lake, 'monthly_revenue')) {
    const r = JSON.parse(line) as Record<string, number | null>;
    const money = (v: number | null) => (v === null ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    out.push(`  ${`${r['order_year']}-${String(r['order_month']).padStart(2, '0')}`.padEnd(8)}${count(r['total_orders']!).padStart(8)}${money(r['gross_revenue_usd']!).padStart(14)}${money(r['net_revenue_usd']!).padStart(14)}${money(r['avg_order_value_usd']!).padStart(9)}${(r['return_rate_pct'] === null ? '-' : r['return_rate_pct']!.toFixed(2)).padStart(9)}${(r['cancellation_rate_pct'] === null ? '-' : r['cancellation_rate_pct']!.toFixed(2)).padStart(9)}`);
    if (out.length > 13) break;
  }
  return out;
}
