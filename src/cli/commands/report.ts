import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildReport } from '../../report/build-report';
import { type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report of a lake: KPIs, monthly charts, regions, products, RFM, data quality, freshness',
  usage: 'orderlake report [--lake <dir|url>] [--state <url>] [--out report.html]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    out: { type: 'string', short: 'o', value: 'file', description: 'where to write the page', default: './report.html' },
  },
  examples: ['orderlake report --lake ./lake', 'orderlake report --lake "$LAKE_DFS_URL" --state "$STATE_TABLE_URL" --out prod.html   # Azure (azd env get-values)'],
  run: (values, _pos, io) => withLake(values, 'report', { state: true, writes: false }, async (h) => {
    const r = await buildReport({ lake: h.lake, commits: h.commits, documents: h.documents });
    const out = path.resolve(values['out'] as string);
    await fs.writeFile(out, r.html);
    io.out(`wrote ${out} (open it in a browser; it needs no network)\n`);
    return 0;
  }),
};
