import { exportTable } from '../../gold/export';
import type { Lake } from '../../pipeline/ports';
import { MEMORY_LIMIT_OPTION, QUIET_OPTION, UsageError, calendarDate, memoryLimit as memoryLimitOption, positiveInt, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';
import { goldDone, progressReporter } from '../progress';
import type { FoldSettings } from '../../gold/fold';

export const goldCommand: Command = {
  name: 'gold',
  summary: 'bring the gold tables up to date with silver (incremental; run does this at its end)',
  usage: 'orderlake gold [--lake <dir|url>] [--state <url>] [--as-of YYYY-MM-DD] [--cold-orders-per-run <n> [--hot-days <n>]] [--memory-limit <size>]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    'as-of': { type: 'string', value: 'date', description: 'rfm_segments as of this date (default: the latest order date of an order that counts)' },
    'cold-orders-per-run': { type: 'string', value: 'n', description: "fold policy, as the Azure timer runs: apply changes to today's orders at once, and fold older dates' changes, the longest-waiting first, while the work ranges a run rewrites (today's first) hold at most n orders (default: every change at once)" },
    'hot-days': { type: 'string', value: 'n', description: 'with --cold-orders-per-run: orders placed in the last n days are applied at once (default 0: today, UTC)' },
    'memory-limit': MEMORY_LIMIT_OPTION,
    json: { type: 'boolean', description: 'print the summary as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake gold --lake ./lake', 'orderlake gold --lake "$LAKE_DFS_URL" --state "$STATE_TABLE_URL"   # Azure: takes the gold lease the timer takes'],
  async run(values, _pos, io) {
    const asOf = calendarDate(values, 'as-of', 'gold');
    const fold = foldSettings(values);
    const memoryLimit = memoryLimitOption(values, 'gold');
    return withLake(values, 'gold', { state: true, writes: true }, async (h) => {
      const progress = progressReporter(io, Boolean(values['quiet']));
      const s = await h.gold({ ...(asOf ? { asOf } : {}), ...(fold ? { fold } : {}), ...(memoryLimit ? { memoryLimit } : {}), onProgress: (m) => progress.update('gold', () => m, { final: goldDone }) });
      progress.done();
      if (values['json']) io.out(JSON.stringify(s) + '\n');
      else if (s.run === null) io.out('gold is up to date: no new silver batches since the last run\n');
      else io.out(`gold run ${s.run}: ${count(s.newBatches)} new batch(es), ${count(s.changedDates)} order date(s) changed, ${count(s.ordersRewritten)} order(s) rewritten; updated ${s.tables.map((t) => t.name).join(', ')} in ${h.where}/gold${s.datesWaiting ? `; ${count(s.datesWaiting)} older order date(s) wait to be folded by later runs` : ''}\n`);
      // A note after the work is done: it must not turn a finished gold run into a failure.
      const why = await emptyRfmReason(h.lake, s.asOf).catch(() => undefined);
      if (why) io.err(`warning: rfm_segments is empty: ${why}\n`);
      return 0;
    });
  },
};

/** Why rfm_segments has no row, when it has none: no order counts for revenue at all, or none by the as-of date. */
export async function emptyRfmReason(lake: Lake, asOf: string | null): Promise<string | undefined> {
  for await (const _row of exportTable(lake, 'rfm_segments')) return undefined;
  let first: string | undefined;
  for await (const line of exportTable(lake, 'customer_spend')) {
    const d = (JSON.parse(line) as { first_order_date: string }).first_order_date;
    if (first === undefined || d < first) first = d;
  }
  if (first === undefined) return 'no order in silver counts for revenue (none, or all CANCELLED)';
  return `no order that counts for revenue was placed on or before the as-of date ${asOf ?? '(default)'}; the first one was placed on ${first}`;
}

/** --cold-orders-per-run and --hot-days as fold settings (src/gold/fold.ts), or undefined without them. */
function foldSettings(values: Record<string, unknown>): FoldSettings | undefined {
  const coldOrdersPerRun = positiveInt(values, 'cold-orders-per-run', 'gold');
  const hot = values['hot-days'];
  if (hot !== undefined && coldOrdersPerRun === undefined) throw new UsageError("--hot-days needs --cold-orders-per-run (see 'orderlake gold --help')");
  if (coldOrdersPerRun === undefined) return undefined;
  if (hot !== undefined && (typeof hot !== 'string' || !/^\d+$/.test(hot))) throw new UsageError(`expected --hot-days to be a whole number of days (0: today), got ${JSON.stringify(hot)} (see 'orderlake gold --help')`);
  return { hotDays: hot === undefined ? 0 : Number(hot), coldOrdersPerRun };
}
