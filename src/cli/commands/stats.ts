import { openLocalLake } from '../../local/runner';
import { pipelineStats } from '../../pipeline/stats';
import { LAKE_OPTION, type Command } from '../args';
import { requireLake } from '../lake';
import { count } from '../format';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'cumulative counts of a lake: received = written + quarantined + dropped + duplicates',
  usage: 'orderlake stats [--lake <dir>] [--json]',
  options: {
    lake: LAKE_OPTION,
    json: { type: 'boolean', description: 'print as JSON' },
  },
  async run(values, _pos, io) {
    await requireLake(values['lake'] as string);
    const { state } = openLocalLake(values['lake'] as string);
    const s = await pipelineStats(state.commits);
    const failed = (await state.failed.pending()).length;
    const pending = (await state.queue.pending()).length;
    if (values['json']) {
      io.out(JSON.stringify({ ...s, failed_batches: failed, pending_batches: pending }) + '\n');
      return 0;
    }
    const rows: Array<[string, number]> = [
      ['received', s.received], ['written', s.written], ['quarantined', s.quarantined], ['dropped', s.dropped],
      ['duplicates', s.duplicates], ['warned', s.warned], ['malformed', s.malformed],
    ];
    io.out(rows.map(([k, v]) => `${k.padEnd(12)}${count(v).padStart(12)}`).join('\n') + '\n');
    if (Object.keys(s.codes).length) {
      io.out('\nby rule code:\n' + Object.entries(s.codes).map(([k, v]) => `  ${k.padEnd(28)}${count(v).padStart(10)}`).join('\n') + '\n');
    }
    if (failed || pending) io.out(`\n${count(failed)} batch(es) stopped by a fail rule, ${count(pending)} waiting for silver\n`);
    return 0;
  },
};
