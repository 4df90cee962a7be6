import { runGold } from '../../local/runner';
import { QUIET_OPTION, LAKE_OPTION, UsageError, type Command } from '../args';
import { progressReporter } from '../progress';

export const goldCommand: Command = {
  name: 'gold',
  summary: 'bring the gold tables up to date with silver (incremental; run does this at its end)',
  usage: 'orderlake gold [--lake <dir>] [--as-of YYYY-MM-DD]',
  options: {
    lake: LAKE_OPTION,
    'as-of': { type: 'string', value: 'date', description: 'rfm_segments as of this date (default: the latest order date of an order that counts)' },
    json: { type: 'boolean', description: 'print the summary as JSON' },
    quiet: QUIET_OPTION,
  },
  async run(values, _pos, io) {
    const asOf = values['as-of'] as string | undefined;
    if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))) {
      throw new UsageError(`expected --as-of to be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
    }
    const progress = progressReporter(io, Boolean(values['quiet']));
    const lakeDir = values['lake'] as string;
    const s = await runGold(lakeDir, { ...(asOf ? { asOf } : {}), onProgress: (m) => progress.update(() => m, true) });
    progress.done();
    if (values['json']) io.out(JSON.stringify(s) + '\n');
    else if (s.run === null) io.out('gold is up to date: no new silver batches since the last run\n');
    else io.out(`gold run ${s.run}: ${s.newBatches} new batch(es), ${s.changedDates} order date(s) changed; updated ${s.tables.map((t) => t.name).join(', ')} in ${lakeDir}/gold\n`);
    return 0;
  },
};
