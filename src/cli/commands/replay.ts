import { replayLocal } from '../../local/runner';
import { QUIET_OPTION, LAKE_OPTION, UsageError, type Command } from '../args';
import { progressReporter } from '../progress';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'reprocess bronze into silver (after a rule or code fix, or for stopped batches), then gold; never doubles anything',
  usage: 'orderlake replay [--lake <dir>] [--from-date YYYY-MM-DD] [--to-date YYYY-MM-DD]',
  options: {
    lake: LAKE_OPTION,
    'from-date': { type: 'string', value: 'date', description: 'first ingest date of bronze to replay (default: the first)' },
    'to-date': { type: 'string', value: 'date', description: 'last ingest date of bronze to replay (default: the last)' },
    json: { type: 'boolean', description: 'print the summary as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake replay --lake ./lake --from-date 2026-11-01 --to-date 2026-11-07'],
  async run(values, _pos, io) {
    const from = values['from-date'] as string | undefined;
    const to = values['to-date'] as string | undefined;
    for (const [name, v] of [['from-date', from], ['to-date', to]] as const) {
      if (v !== undefined && !DATE.test(v)) throw new UsageError(`expected --${name} to be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
    }
    const progress = progressReporter(io, Boolean(values['quiet']));
    const r = await replayLocal(values['lake'] as string, {
      ...(from ? { fromDate: from } : {}),
      ...(to ? { toDate: to } : {}),
      onProgress: (done, total) => progress.update(() => `replay: ${done} of ${total} bronze batches`),
    });
    progress.done();
    if (values['json']) io.out(JSON.stringify(r) + '\n');
    else {
      io.out(`replayed ${r.batches} bronze batch(es): ${r.replayed} decided again, ${r.firstTime} processed for the first time; ${r.counts.written} to silver, ${r.counts.quarantined} quarantined, ${r.counts.dropped} dropped, ${r.counts.duplicates} duplicates\n`);
      if (r.failed.length) io.out(`${r.failed.length} batch(es) still stopped by a fail rule:\n${r.failed.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return r.failed.length ? 3 : 0;
  },
};
