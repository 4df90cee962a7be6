import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dirtyLake, orderlake } from '../../helpers/cli';
import { cliGoldMemoryLimits } from '../../helpers/gold-memory';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

describe('orderlake replay', () => {
  it('checks dates before anything runs, saying what is accepted', () => {
    const typo = path.join(tmp(), 'typo');
    expect(orderlake(['replay', '--lake', typo, '--from-date', '2026-13-45'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake replay: expected --from-date to be a calendar date YYYY-MM-DD, got "2026-13-45": months are 01 to 12\n' });
    expect(orderlake(['replay', '--lake', typo, '--to-date', '2026-02-29'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake replay: expected --to-date to be a calendar date YYYY-MM-DD, got "2026-02-29": February 2026 has days 01 to 28\n' });
    expect(orderlake(['replay', '--lake', typo, '--from-date', '2026-05-02', '--to-date', '2026-05-01'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake replay: expected --from-date 2026-05-02 to be on or before --to-date 2026-05-01\n' });
  });

  it('says which ingest dates bronze holds when the range matches none', async () => {
    const lake = await dirtyLake(tmp());
    const [ingest] = (await fs.readdir(path.join(lake, 'bronze'))).map((d) => d.replace('ingest_date=', ''));
    const r = orderlake(['replay', '--lake', lake, '--from-date', '2020-01-01', '--to-date', '2020-01-31', '-q']);
    expect(r).toEqual({
      code: 0,
      stdout: 'replayed 0 bronze batch(es): 0 decided again, 0 processed for the first time; 0 to silver, 0 quarantined, 0 dropped, 0 duplicates\n',
      stderr: `warning: no bronze batch was ingested from 2020-01-01 to 2020-01-31; bronze holds ingest dates ${ingest} to ${ingest}\n`,
    });
  });

  it("caps gold's DuckDB buffers at --memory-limit, and refuses anything else before anything runs", async () => {
    const lake = await dirtyLake(tmp());
    expect(orderlake(['replay', '--lake', lake, '--memory-limit', '2TB'])).toEqual({ code: 2, stdout: '', stderr: `orderlake replay: expected --memory-limit to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got "2TB" (see 'orderlake replay --help')\n` });
    expect(await cliGoldMemoryLimits(['replay', '--lake', lake, '-q', '--memory-limit', '128MB'])).toEqual({ code: 0, limits: ['122.0 MiB'] });
  });
});
