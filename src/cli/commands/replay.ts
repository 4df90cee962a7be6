import type { Lake } from '../../pipeline/ports';
import { MEMORY_LIMIT_OPTION, QUIET_OPTION, UsageError, calendarDate, memoryLimit as memoryLimitOption, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';
import { progressReporter } from '../progress';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'reprocess bronze into silver (after a rule or code fix, or for stopped batches), then gold; never doubles anything',
  usage: 'orderlake replay [--lake <dir|url>] [--state <url>] [--from-date YYYY-MM-DD] [--to-date YYYY-MM-DD] [--memory-limit <size>]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    'from-date': { type: 'string', value: 'date', description: 'first ingest date of bronze to replay (default: the first)' },
    'to-date': { type: 'string', value: 'date', description: 'last ingest date of bronze to replay (default: the last)' },
    'memory-limit': MEMORY_LIMIT_OPTION,
    json: { type: 'boolean', description: 'print the summary as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake replay --lake ./lake --from-date 2026-11-01 --to-date 2026-11-07', 'orderlake replay --lake "$LAKE_DFS_URL" --state "$STATE_TABLE_URL" --from-date 2026-11-01   # Azure: beside the running functions, under the gold lease'],
  async run(values, _pos, io) {
    const from = calendarDate(values, 'from-date', 'replay');
    const to = calendarDate(values, 'to-date', 'replay');
    if (from !== undefined && to !== undefined && from > to) throw new UsageError(`expected --from-date ${from} to be on or before --to-date ${to}`);
    const memoryLimit = memoryLimitOption(values, 'replay');
    return withLake(values, 'replay', { state: true, writes: true }, async (h) => {
      const progress = progressReporter(io, Boolean(values['quiet']));
      const r = await h.replay({
        ...(from ? { fromDate: from } : {}),
        ...(to ? { toDate: to } : {}),
        ...(memoryLimit ? { memoryLimit } : {}),
        onProgress: (done, total) => progress.update('replay', () => `replay: ${count(done)} of ${count(total)} bronze batches`),
      });
      progress.done();
      if (values['json']) io.out(JSON.stringify(r) + '\n');
      else {
        io.out(`replayed ${count(r.batches)} bronze batch(es): ${count(r.replayed)} decided again, ${count(r.firstTime)} processed for the first time; ${count(r.counts.written)} to silver, ${count(r.counts.quarantined)} quarantined, ${count(r.counts.dropped)} dropped, ${count(r.counts.duplicates)} duplicates\n`);
        if (r.failed.length) io.out(`${count(r.failed.length)} batch(es) still stopped by a fail rule:\n${r.failed.map((f) => `  ${f}`).join('\n')}\n`);
      }
      if (r.batches === 0 && (from !== undefined || to !== undefined)) io.err(`warning: ${await noBronzeInRange(h.lake, from, to)}\n`);
      return r.failed.length ? 3 : 0;
    });
  },
};

/** Says which ingest dates bronze does hold, when a date range matched none. */
async function noBronzeInRange(lake: Lake, from: string | undefined, to: string | undefined): Promise<string> {
  const dates = new Set<string>();
  for (const f of await lake.list('bronze')) {
    const d = /ingest_date=(\d{4}-\d{2}-\d{2})/.exec(f)?.[1];
    if (d) dates.add(d);
  }
  const sorted = [...dates].sort();
  const range = `${from ?? 'the first'} to ${to ?? 'the last'}`;
  return sorted.length
    ? `no bronze batch was ingested from ${range}; bronze holds ingest dates ${sorted[0]} to ${sorted[sorted.length - 1]}`
    : `no bronze batch was ingested from ${range}; bronze is empty`;
}
