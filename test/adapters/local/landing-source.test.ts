import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LandingFileSource, inputFiles } from '../../../src/adapters/local/landing-source';
import { LocalDocuments } from '../../../src/adapters/local/local-state';
import { fnv1a } from '../../../src/util/hash';
import type { SourceEvent } from '../../../src/pipeline/types';
import { tempDirs } from '../../helpers/tmp';

const tmp = tempDirs();
const NOW = () => new Date('2026-03-05T12:00:00Z');

async function drain(src: LandingFileSource, commit = true): Promise<SourceEvent[]> {
  const out: SourceEvent[] = [];
  for await (const chunk of src.chunks()) {
    for (const b of chunk.batches) out.push(...b.events);
    if (commit) await chunk.commit();
  }
  return out;
}

function source(input: string, state: string, over: Partial<{ partitions: number; batchSize: number; follow: boolean }> = {}) {
  return new LandingFileSource({ input, partitions: 4, batchSize: 2, now: NOW, ...over }, new LocalDocuments(state));
}

describe('LandingFileSource', () => {
  it('partitions by order_id hash and numbers each partition from 0 with byte offsets', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    const lines = ['{"order_id":"ORD-000001","n":1}', '{"order_id":"ORD-000001","n":2}', '{"order_id": " ORD-000002 ","n":3}', 'not json'];
    await fs.writeFile(file, lines.join('\n') + '\n');
    const events = await drain(source(file, path.join(dir, 's')));
    const p1 = String(fnv1a('ORD-000001') % 4);
    const p2 = String(fnv1a('ORD-000002') % 4);
    const p3 = String(fnv1a('not json') % 4);
    const byBody = Object.fromEntries(events.map((e) => [e.body, [e.partition, e.sequenceNumber, e.offset, e.enqueuedTime]]));
    expect(byBody[lines[0]!]).toEqual([p1, 0, '0', '2026-03-05T12:00:00.000Z']);
    expect(byBody[lines[1]!]).toEqual([p1, 1, String(lines[0]!.length), '2026-03-05T12:00:00.000Z']);
    expect(byBody[lines[2]!]![0]).toBe(p2); // the key is trimmed, like a producer's partition key
    expect(byBody[lines[3]!]![0]).toBe(p3);
    expect(events.length).toBe(4);
  });

  it('reads only what is new on the next run: appended lines and new files', async () => {
    const dir = tmp();
    const input = path.join(dir, 'landing');
    await fs.mkdir(input);
    await fs.writeFile(path.join(input, 'b.jsonl'), 'b1\nb2\n');
    await fs.writeFile(path.join(input, 'a.jsonl'), 'a1\n');
    await fs.writeFile(path.join(input, '.hidden'), 'h\n');
    const state = path.join(dir, 's');
    expect((await drain(source(input, state, { partitions: 1 }))).map((e) => e.body)).toEqual(['a1', 'b1', 'b2']);
    expect(await drain(source(input, state, { partitions: 1 }))).toEqual([]);
    await fs.appendFile(path.join(input, 'a.jsonl'), 'a2\n');
    await fs.writeFile(path.join(input, 'c.jsonl'), 'c1');
    const next = await drain(source(input, state, { partitions: 1 }));
    expect(next.map((e) => [e.body, e.sequenceNumber])).toEqual([['a2', 3], ['c1', 4]]);
  });

  it('re-reads the same lines into the same positions when a chunk was not committed', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    await fs.writeFile(file, 'x1\nx2\nx3\n');
    const state = path.join(dir, 's');
    const first = await drain(source(file, state, { partitions: 1 }), false);
    const again = await drain(source(file, state, { partitions: 1 }));
    expect(again.map((e) => [e.body, e.sequenceNumber, e.offset])).toEqual(first.map((e) => [e.body, e.sequenceNumber, e.offset]));
  });

  it('skips blank lines, strips CRLF, keeps non-UTF-8 lines as base64, and takes a last line without newline', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    await fs.writeFile(file, Buffer.concat([Buffer.from('a\r\n\n   \n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from('last')]));
    const events = await drain(source(file, path.join(dir, 's'), { partitions: 1 }));
    expect(events.map((e) => [e.body, e.bodyBase64])).toEqual([['a', undefined], [undefined, '//5B'], ['last', undefined]]);
  });

  it('reads a file that starts with a UTF-8 byte order mark without it in the first body; a mark elsewhere stays', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await fs.writeFile(file, Buffer.concat([bom, Buffer.from('{"a":1}\n'), bom, Buffer.from('b\n')]));
    const events = await drain(source(file, path.join(dir, 's'), { partitions: 1 }));
    expect(events.map((e) => e.body)).toEqual(['{"a":1}', '\ufeffb']);
    // A partition's offsets count its bodies' bytes: the first body is 7 bytes, without the mark.
    expect(events.map((e) => e.offset)).toEqual(['0', '7']);
  });

  it('reads a replaced or truncated file again from its start, once, and says so', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    const state = path.join(dir, 's');
    const warnings: string[] = [];
    const src = () => new LandingFileSource({ input: file, partitions: 1, batchSize: 10, now: NOW, warn: (m) => warnings.push(m) }, new LocalDocuments(state));
    await fs.writeFile(file, 'a1\na2\na3\n');
    expect((await drain(src())).map((e) => e.body)).toEqual(['a1', 'a2', 'a3']);
    // Replaced by a longer file: before, reading went on at byte 9, mid-line, and b1-b3 were never read.
    await fs.writeFile(file, 'b1\nb2\nb3\nb4\nb5\n');
    expect((await drain(src())).map((e) => e.body)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(warnings).toEqual([`${file} starts with other bytes than when it was read: it was replaced or truncated, so it is read again from its start (events already taken count as duplicates)`]);
    // Truncated, then appended to: before, it was skipped until it grew past byte 15.
    await fs.writeFile(file, 'c1\n');
    await fs.appendFile(file, 'c2\n');
    expect((await drain(src())).map((e) => e.body)).toEqual(['c1', 'c2']);
    expect(warnings[1]).toBe(`${file} is shorter (6 bytes) than the 15 bytes already read: it was replaced or truncated, so it is read again from its start (events already taken count as duplicates)`);
    // Emptied: said once, not on every poll after it.
    await fs.writeFile(file, '');
    expect(await drain(src())).toEqual([]);
    expect(await drain(src())).toEqual([]);
    expect(warnings.length).toBe(3);
    await fs.appendFile(file, 'd1\n');
    expect((await drain(src())).map((e) => e.body)).toEqual(['d1']);
    expect(warnings.length).toBe(3);
  });

  it('reads on after a line over the limit: its first bytes go on as the event, with a warning naming the file and byte', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    const warnings: string[] = [];
    const max = 1000;
    const long = `{"order_id":"ORD-1","x":"${'y'.repeat(max)}"}`;
    await fs.writeFile(file, `{"n":1}\n${long}\n{"n":2}\n`);
    const events = await drain(new LandingFileSource({ input: file, partitions: 1, batchSize: 10, now: NOW, warn: (m) => warnings.push(m), maxLineBytes: max }, new LocalDocuments(path.join(dir, 's'))));
    expect(events.map((e) => [e.body?.length, e.body?.slice(0, 12), e.offset])).toEqual([[7, '{"n":1}', '0'], [max, '{"order_id":', '7'], [7, '{"n":2}', String(7 + long.length)]]);
    expect(warnings).toEqual([`${file}: the line at byte 8 is ${long.length} bytes, over the 1000 an event may hold: its first 1000 bytes go on as the event, which silver quarantines`]);
  });

  it('waits for the newline of a last line in follow mode', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    await fs.writeFile(file, 'done\nhalf');
    const state = path.join(dir, 's');
    expect((await drain(source(file, state, { partitions: 1, follow: true }))).map((e) => e.body)).toEqual(['done']);
    await fs.appendFile(file, '-written\n');
    expect((await drain(source(file, state, { partitions: 1, follow: true }))).map((e) => e.body)).toEqual(['half-written']);
  });

  it('groups a chunk into batches of at most batchSize per partition', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    await fs.writeFile(file, Array.from({ length: 7 }, (_, i) => `l${i}`).join('\n'));
    const sizes: number[][] = [];
    for await (const chunk of source(file, path.join(dir, 's'), { partitions: 1, batchSize: 3 }).chunks()) sizes.push(chunk.batches.map((b) => b.events.length));
    expect(sizes).toEqual([[3], [3], [1]]);
  });

  it('refuses a partition count that differs from the lake\'s', async () => {
    const dir = tmp();
    const file = path.join(dir, 'in.jsonl');
    await fs.writeFile(file, 'a\n');
    const state = path.join(dir, 's');
    await drain(source(file, state, { partitions: 4 }));
    await expect(drain(source(file, state, { partitions: 8 }))).rejects.toThrow("this lake's landing source uses 4 partitions, got --partitions 8; use 4 or a new lake");
  });
});

describe('inputFiles', () => {
  it("takes a folder's visible files and links to files in name order, and names the subfolders it does not read", async () => {
    const dir = tmp();
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'b.jsonl'), 'b\n');
    await fs.writeFile(path.join(dir, '.hidden'), 'h\n');
    await fs.writeFile(path.join(dir, 'sub', 'c.jsonl'), 'c\n');
    await fs.symlink(path.join(dir, 'sub', 'c.jsonl'), path.join(dir, 'a.jsonl'));
    await fs.symlink(path.join(dir, 'nowhere'), path.join(dir, 'broken.jsonl'));
    const warnings: string[] = [];
    expect(await inputFiles(dir, (m) => warnings.push(m))).toEqual([path.join(dir, 'a.jsonl'), path.join(dir, 'b.jsonl')]);
    expect(warnings).toEqual([`${dir}: not reading its subfolder(s) sub: --input takes the files directly in a folder`, `${dir}: not reading link(s) broken.jsonl: their target cannot be read`]);
  });

  it('says clearly when the input does not exist', async () => {
    await expect(inputFiles('/no/such/place')).rejects.toThrow('cannot read input /no/such/place: no such file or folder');
  });
});
