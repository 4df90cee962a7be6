import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { openLocalLake } from '../../local/runner';
import { buildReport } from '../../report/build-report';
import { LAKE_OPTION, type Command } from '../args';
import { requireLake } from '../lake';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report of a lake: KPIs, monthly charts, regions, products, RFM, data quality, freshness',
  usage: 'orderlake report [--lake <dir>] [--out report.html]',
  options: {
    lake: LAKE_OPTION,
    out: { type: 'string', short: 'o', value: 'file', description: 'where to write the page', default: './report.html' },
  },
  async run(values, _pos, io) {
    await requireLake(values['lake'] as string);
    const { lake, state } = openLocalLake(values['lake'] as string);
    const r = await buildReport({ lake, commits: state.commits, documents: state.documents });
    const out = path.resolve(values['out'] as string);
    await fs.writeFile(out, r.html);
    io.out(`wrote ${out} (open it in a browser; it needs no network)\n`);
    return 0;
  },
};
