import { QUIET_OPTION, positiveInt, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';

export const optimizeCommand: Command = {
  name: 'optimize',
  summary: "compact silver's small batch files into large files sorted by order_date (the gold timer does this too)",
  usage: 'orderlake optimize [--lake <dir|url>] [--state <url>] [--min-files n] [--target-mb n]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    'min-files': { type: 'string', value: 'n', description: 'compact a table once it has this many files under the target size', default: '16' },
    'target-mb': { type: 'string', value: 'n', description: 'the size of a compacted file, in MiB (files this large are left alone)', default: '128' },
    json: { type: 'boolean', description: 'print what was done as JSON' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake optimize --lake ./lake', 'orderlake optimize --lake ./lake --min-files 2'],
  async run(values, _pos, io) {
    const minFiles = positiveInt(values, 'min-files', 'optimize') ?? 16;
    const targetFileBytes = (positiveInt(values, 'target-mb', 'optimize') ?? 128) << 20;
    return withLake(values, 'optimize', { state: true, writes: true }, async (h) => {
      const done = await h.optimize({ minFiles, targetFileBytes });
      if (values['json']) io.out(JSON.stringify(done) + '\n');
      else if (!done.length) io.out(`nothing to compact: no silver table has ${count(minFiles)} files under ${count(targetFileBytes >> 20)} MiB\n`);
      else for (const t of done) io.out(`${t.table}: ${count(t.removed)} file(s) compacted into ${count(t.added)} (version ${count(t.version)}); the old files stay for the retention period, then 'orderlake vacuum' removes them\n`);
      return 0;
    });
  },
};
