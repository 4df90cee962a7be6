import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AppendLog } from '../../../src/adapters/local/append-log';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

describe('AppendLog', () => {
  it('reads back whole lines and cuts a torn last append', async () => {
    const file = path.join(tmp(), 'sub', 'x.log');
    const log = new AppendLog(file);
    await log.append(['a', 'b']);
    await fs.appendFile(file, 'half-writ'); // a crash mid-append
    const reopened = new AppendLog(file);
    expect(await reopened.readLines()).toEqual(['a', 'b']);
    await reopened.append(['c']);
    expect(await fs.readFile(file, 'utf8')).toBe('a\nb\nc\n');
  });
  it('is empty when the file does not exist', async () => {
    expect(await new AppendLog(path.join(tmp(), 'none.log')).readLines()).toEqual([]);
  });
});
