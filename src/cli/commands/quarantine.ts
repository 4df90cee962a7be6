import { quarantineLines } from '../../pipeline/stats';
import { RECORD_RULES } from '../../silver/rules';
import { DUPLICATE_CODE } from '../../silver/refine';
import { UsageError, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';

/** The codes a quarantined record can list: every record rule's (warn and drop codes ride along with quarantine ones). */
const QUARANTINE_CODES = RECORD_RULES.map((r) => r.code);

/** Checks --code before anything is read: a code no quarantined record can have is a mistake, not an empty answer. */
export function quarantineCode(code: string | undefined): string | undefined {
  if (code === undefined || QUARANTINE_CODES.includes(code)) return code;
  if (code === DUPLICATE_CODE) throw new UsageError(`duplicates are never quarantined (they are dropped and counted: see 'orderlake stats'); codes in quarantine: ${QUARANTINE_CODES.join(', ')}`);
  if (code === 'quarantine_ratio') throw new UsageError(`quarantine_ratio stops a whole batch, which stays in bronze (see 'orderlake stats' and 'orderlake replay'); codes in quarantine: ${QUARANTINE_CODES.join(', ')}`);
  throw new UsageError(`unknown code ${JSON.stringify(code)}; codes in quarantine: ${QUARANTINE_CODES.join(', ')}`);
}

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'print quarantined records as JSON lines: codes, a message per code, raw body, source position',
  usage: 'orderlake quarantine [--lake <dir|url>] [--state <url>] [--code <code>]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    code: { type: 'string', value: 'code', description: `only records that failed this rule code (${QUARANTINE_CODES.join(', ')})` },
  },
  examples: ['orderlake quarantine --lake ./lake --code invalid_region | head', 'orderlake quarantine --lake "$LAKE_DFS_URL" --state "$STATE_TABLE_URL"   # Azure (azd env get-values)'],
  async run(values, _pos, io) {
    const code = quarantineCode(values['code'] as string | undefined);
    return withLake(values, 'quarantine', { state: true, writes: false }, async (h) => {
      let printed = 0;
      for await (const line of quarantineLines(h.commits, h.lake)) {
        if (code !== undefined) {
          const rec = JSON.parse(line) as { codes: string[] };
          if (!rec.codes.includes(code)) continue;
        }
        io.out(line + '\n');
        printed++;
      }
      // Nothing on stdout: say so on stderr, so an empty answer is not mistaken for a silent failure.
      if (!printed) io.err(`no quarantined record${code === undefined ? '' : ` with code ${code}`} in ${h.where}\n`);
      return 0;
    });
  },
};
