import { openLocalLake } from '../../local/runner';
import { quarantineLines } from '../../pipeline/stats';
import { LAKE_OPTION, type Command } from '../args';

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'print quarantined records as JSON lines: codes, a message per code, raw body, source position',
  usage: 'orderlake quarantine [--lake <dir>] [--code <code>]',
  options: {
    lake: LAKE_OPTION,
    code: { type: 'string', value: 'code', description: 'only records that failed this rule code' },
  },
  examples: ['orderlake quarantine --lake ./lake --code invalid_region | head'],
  async run(values, _pos, io) {
    const { lake, state } = openLocalLake(values['lake'] as string);
    const code = values['code'] as string | undefined;
    const needle = code === undefined ? undefined : `"${code}"`;
    for await (const line of quarantineLines(state.commits, lake)) {
      if (needle !== undefined) {
        const rec = JSON.parse(line) as { codes: string[] };
        if (!rec.codes.includes(code!)) continue;
      }
      io.out(line + '\n');
    }
    return 0;
  },
};
