import { pipelineStats } from '../../pipeline/stats';
import { type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'cumulative counts of a lake: received = written + quarantined + dropped + duplicates',
  usage: 'orderlake stats [--lake <dir|url>] [--state <url>] [--json]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    json: { type: 'boolean', description: 'print as JSON' },
  },
  examples: ['orderlake stats --lake ./lake', 'orderlake stats --lake "$LAKE_DFS_URL" --state "$STATE_TABLE_URL" --json   # Azure (azd env get-values)'],
  run: (values, _pos, io) => withLake(values, 'stats', { state: true, queues: true, writes: false }, async (h) => {
    const s = await pipelineStats(h.commits);
    const { failed, pending } = await h.backlog();
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
  }),
};
