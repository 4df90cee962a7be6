import { LocalLake, safeLakePath } from '../../../src/adapters/local/local-lake';
import { NotFoundError } from '../../../src/pipeline/ports';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

describe('safeLakePath', () => {
  it.each(['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', 'a\0b', '', './a'])('rejects %j', (p) => {
    expect(() => safeLakePath(p)).toThrow(`expected a relative lake path without '..', '.', empty segments, '\\' or NUL, got ${JSON.stringify(p)}`);
  });
  it('accepts hive-style paths', () => expect(safeLakePath('silver/order_events/order_date=2026-01-01/x.jsonl')).toBe('silver/order_events/order_date=2026-01-01/x.jsonl'));
});

describe('LocalLake', () => {
  it('writes, lists recursively in order, reads and deletes', async () => {
    const lake = new LocalLake(tmp());
    await lake.writeFile('b/2.txt', 'two');
    await lake.writeFile('b/1.txt', 'one');
    await lake.writeFile('a.txt', 'a');
    await lake.writeFile('_state/x', 'private');
    expect(await lake.list('')).toEqual(['a.txt', 'b/1.txt', 'b/2.txt']);
    expect(await lake.list('b')).toEqual(['b/1.txt', 'b/2.txt']);
    expect((await lake.readFile('b/2.txt')).toString()).toBe('two');
    await lake.deleteFile('b/2.txt');
    await lake.deleteFile('b/2.txt');
    await expect(lake.readFile('b/2.txt')).rejects.toBeInstanceOf(NotFoundError);
    expect(await lake.list('missing')).toEqual([]);
  });
});
