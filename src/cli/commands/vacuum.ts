import { UsageError, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';

export const vacuumCommand: Command = {
  name: 'vacuum',
  summary: "delete files no Delta version needs any more, once each table's retention (7 days) has passed (the gold timer does this daily)",
  usage: 'orderlake vacuum [--lake <dir|url>] [--state <url>] [--dry-run] [--retention-hours n]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    'dry-run': { type: 'boolean', description: 'list what would be deleted, delete nothing' },
    'retention-hours': { type: 'string', value: 'n', description: "keep removed files this long instead of the tables' retention (a reader of an older version still running when they go would fail)" },
    json: { type: 'boolean', description: 'print what was deleted as JSON' },
  },
  examples: ['orderlake vacuum --lake ./lake --dry-run', 'orderlake vacuum --lake ./lake'],
  async run(values, _pos, io) {
    const hours = values['retention-hours'];
    if (hours !== undefined && (typeof hours !== 'string' || !/^\d+$/.test(hours))) throw new UsageError(`expected --retention-hours to be a whole number of hours, got ${JSON.stringify(hours)} (see 'orderlake vacuum --help')`);
    const dryRun = Boolean(values['dry-run']);
    return withLake(values, 'vacuum', { state: true, writes: !dryRun }, async (h) => {
      const r = await h.vacuum({ dryRun, ...(hours !== undefined ? { retentionMs: Number(hours) * 3_600_000 } : {}) });
      if (values['json']) {
        io.out(JSON.stringify(r) + '\n');
        return 0;
      }
      const total = Object.values(r.deleted).reduce((n, files) => n + files.length, 0);
      for (const [area, files] of Object.entries(r.deleted)) io.out(`${area}: ${count(files.length)} file(s)${dryRun ? ' would be deleted' : ' deleted'}\n`);
      io.out(`${dryRun ? 'would delete' : 'deleted'} ${count(total)} file(s)${r.temporary ? ` and ${count(r.temporary)} temporary file(s) of killed writes` : ''}\n`);
      return 0;
    });
  },
};
