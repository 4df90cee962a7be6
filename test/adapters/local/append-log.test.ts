import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AppendLog } from '../../../src/adapters/local/append-log';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();

describe('AppendLog', () => {
  it('reads back whole lines; the writer cuts a torn last append before its own', async () => {
    const file = path.join(tmp(), 'sub', 'x.log');
    const log = new AppendLog(file);
    await log.append(['a', 'b']);
    await fs.appendFile(file, 'half-writ'); // a crash mid-append
    const reopened = new AppendLog(file);
    expect(await reopened.readLines()).toEqual(['a', 'b']);
    expect(await reopened.lastLine()).toEqual({ line: 'b', end: 4 });
    expect(await fs.readFile(file, 'utf8')).toBe('a\nb\nhalf-writ'); // reading changes nothing
    await reopened.append(['c']);
    expect(await fs.readFile(file, 'utf8')).toBe('a\nb\nc\n');
  });

  it('never cuts a line another process is still appending: a reader leaves the tail alone', async () => {
    const file = path.join(tmp(), 'shared.log');
    const writer = new AppendLog(file);
    await writer.append(['a']);
    await fs.appendFile(file, '{"commit":'); // the writer's next append, half-way through its write
    const reader = new AppendLog(file, 3);
    const seen: string[] = [];
    await reader.forEachLine((l) => seen.push(l));
    expect([seen, await reader.lineStarts(), await reader.readLinesFrom(0, 5)]).toEqual([['a'], { starts: [0], end: 2 }, { lines: ['a'], end: 2, more: false }]);
    await fs.appendFile(file, '1}\n'); // the append completes
    expect(await new AppendLog(file).readLines()).toEqual(['a', '{"commit":1}']);
  });
  it('streams in chunks: lines and multi-byte characters cut by a chunk boundary come back whole, a torn tail skipped', async () => {
    const file = path.join(tmp(), 'chunked.log');
    const lines = Array.from({ length: 40 }, (_, i) => `${i}\t${'é'.repeat(i % 7)}€${'x'.repeat(i % 5)}`);
    await fs.writeFile(file, lines.join('\n') + '\nno-newline-yet');
    const seen: string[] = [];
    await new AppendLog(file, 5).forEachLine((l) => seen.push(l));
    expect(seen).toEqual(lines);
  });
  it('reads from a byte offset, skipping a torn tail there too', async () => {
    const file = path.join(tmp(), 'from.log');
    await fs.writeFile(file, 'é1\nb2\nc3\nhalf');
    const seen: string[] = [];
    await new AppendLog(file, 2).forEachLine((l) => seen.push(l), 4);
    expect(seen).toEqual(['b2', 'c3']);
  });
  it('finds every line start by bytes, across chunk boundaries, not counting a torn tail', async () => {
    const file = path.join(tmp(), 'starts.log');
    const lines = ['é€a', 'bb', '', 'ccc€', 'd'];
    await fs.writeFile(file, lines.join('\n') + '\ntorn');
    const { starts, end } = await new AppendLog(file, 3).lineStarts();
    // 'é€a' and 'ccc€' are 6 bytes each: lines start at 0, 7, 10, 11 and 18; the whole lines end at 20.
    expect([starts, end]).toEqual([[0, 7, 10, 11, 18], 20]);
    expect(await new AppendLog(file, 3).lineStarts(10)).toEqual({ starts: [10, 11, 18], end: 20 });
  });
  it('reads at most a number of lines from an offset, by bytes, and tells whether whole lines follow', async () => {
    const file = path.join(tmp(), 'limited.log');
    const lines = ['é€a', 'bb', '', 'ccc€', 'd'];
    await fs.writeFile(file, lines.join('\n') + '\n');
    const log = new AppendLog(file, 3); // chunks smaller than a line: the stop falls inside a chunk
    expect(await log.readLinesFrom(0, 2)).toEqual({ lines: ['é€a', 'bb'], end: 10, more: true });
    expect(await log.readLinesFrom(10, 2)).toEqual({ lines: ['', 'ccc€'], end: 18, more: true });
    expect(await log.readLinesFrom(18, 2)).toEqual({ lines: ['d'], end: 20, more: false });
    expect(await log.readLinesFrom(20, 2)).toEqual({ lines: [], end: 20, more: false });
    expect(await new AppendLog(file).readLinesFrom(0, 5)).toEqual({ lines, end: 20, more: false });
    // A torn tail is not a line that follows.
    await fs.appendFile(file, 'torn');
    expect(await new AppendLog(file, 3).readLinesFrom(18, 1)).toEqual({ lines: ['d'], end: 20, more: false });
    expect(await new AppendLog(path.join(tmp(), 'none.log')).readLinesFrom(0, 3)).toEqual({ lines: [], end: 0, more: false });
  });
  it('is empty when the file does not exist', async () => {
    expect(await new AppendLog(path.join(tmp(), 'none.log')).readLines()).toEqual([]);
  });
});
