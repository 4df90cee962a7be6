// `orderlake run` in-process with a fake Io, to see its stderr exactly as a log or a terminal gets it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { goldMemoryLimits } from '../../helpers/gold-memory';
import type { Io } from '../../../src/cli/args';
import { dirtyLines } from '../../helpers/dirty-file';
import { orderEvent, uuid } from '../../helpers/events';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

async function runCli(args: string[], isTTY: boolean) {
  const r = { out: '', err: '' };
  const io: Io = { out: (t) => void (r.out += t), err: (t) => void (r.err += t), isTTY };
  const code = await main(args, io);
  return { code, ...r };
}

/** The lines a terminal shows after these writes: CR + erase-line clears the current line. */
function screen(written: string): string[] {
  const lines = [''];
  for (const part of written.split(/(\r\x1b\[2K|\n)/)) {
    if (part === '\r\x1b[2K') lines[lines.length - 1] = '';
    else if (part === '\n') lines.push('');
    else lines[lines.length - 1] += part;
  }
  return lines;
}

async function dirtyInput(): Promise<{ input: string; lake: string }> {
  const dir = tmp();
  const input = path.join(dir, 'orders.jsonl');
  await fs.writeFile(input, dirtyLines().join('\n') + '\n');
  return { input, lake: path.join(dir, 'lake') };
}

const RUN_LINE = /^run: 23 events read \([\d,]+\/s\), 4 to silver, 17 quarantined, 1 duplicates$/;
const GOLD_LINE = /^gold: up to date in \d+\.\d s$/;

describe('orderlake run: progress', () => {
  it('in a log: one line per stage, its final one', async () => {
    const { input, lake } = await dirtyInput();
    const r = await runCli(['run', '-i', input, '-l', lake], false);
    expect(r.code).toBe(0);
    // A stage longer than 5 s (only on a loaded machine here) also prints lines before its final one.
    const lines = r.err.split('\n');
    expect(lines.pop()).toBe('');
    const stages = lines.map((l) => l.slice(0, l.indexOf(':')));
    expect(stages).toEqual([...stages.filter((x) => x === 'run'), ...stages.filter((x) => x === 'gold')]);
    expect([lines[stages.lastIndexOf('run')], lines[stages.lastIndexOf('gold')]]).toEqual([expect.stringMatching(RUN_LINE), expect.stringMatching(GOLD_LINE)]);
    expect(r.out).toBe(`read 23 new events into ${lake}: 4 to silver, 17 quarantined, 1 dropped, 1 duplicates (2 with warnings)\ngold run 1: 1 order date(s) changed, 10 table(s) updated in ${lake}/gold\n`);
  });

  it('on a terminal: the same final line per stage, and nothing stale left on screen', async () => {
    const { input, lake } = await dirtyInput();
    const r = await runCli(['run', '-i', input, '-l', lake], true);
    expect(r.code).toBe(0);
    const shown = screen(r.err);
    expect(shown.length).toBe(3);
    expect([shown[0], shown[1], shown[2]]).toEqual([expect.stringMatching(RUN_LINE), expect.stringMatching(GOLD_LINE), '']);
  });

  it("prints a stopped batch's reason once, and a count with what to do in the summary", async () => {
    const dir = tmp();
    const input = path.join(dir, 'bad.jsonl');
    await fs.writeFile(input, Array.from({ length: 120 }, (_, i) => `{"order_id":"ORD-999999", "n": ${i}, oops`).join('\n'));
    const lake = path.join(dir, 'lake');
    const r = await runCli(['run', '-i', input, '-l', lake, '-q'], false);
    expect(r.code).toBe(3);
    const reason = 'stopped by rule quarantine_ratio';
    expect((r.out + r.err).split(reason).length - 1).toBe(1);
    expect(r.err).toMatch(/^warning: batch p\d-000000000000-000000000119 stopped by rule quarantine_ratio: .* for a replay once the cause is fixed\.\n$/);
    expect(r.out).toBe(`read 120 new events into ${lake}: 0 to silver, 0 quarantined, 0 dropped, 0 duplicates (0 with warnings)\ngold run 1: 0 order date(s) changed, 10 table(s) updated in ${lake}/gold\n1 batch(es) stopped by a fail rule (see the warning above) and kept in bronze: 'orderlake replay --lake ${lake}' once the cause is fixed\n`);
  });

  it('on a terminal, a warning gets its own line among the stage lines', async () => {
    const dir = tmp();
    const input = path.join(dir, 'bad.jsonl');
    await fs.writeFile(input, Array.from({ length: 120 }, (_, i) => `{"order_id":"ORD-999999", "n": ${i}, oops`).join('\n'));
    const r = await runCli(['run', '-i', input, '-l', path.join(dir, 'lake')], true);
    expect(r.code).toBe(3);
    const shown = screen(r.err);
    expect(shown.length).toBe(4);
    expect(shown).toEqual([
      expect.stringMatching(/^warning: batch \S+ stopped by rule quarantine_ratio: /),
      expect.stringMatching(/^run: 120 events read \([\d,]+\/s\), 0 to silver, 0 quarantined, 0 duplicates$/),
      expect.stringMatching(GOLD_LINE),
      '',
    ]);
  });

  it('formats every count the same way', async () => {
    const dir = tmp();
    const input = path.join(dir, 'many.jsonl');
    await fs.writeFile(input, Array.from({ length: 1200 }, (_, i) => JSON.stringify(orderEvent({ event_id: uuid(i + 1), order_id: `ORD-${200000 + i}` }))).join('\n'));
    const lake = path.join(dir, 'lake');
    const r = await runCli(['run', '-i', input, '-l', lake, '--skip-gold'], false);
    expect(r.err).toMatch(/^(run: .*\n)*run: 1,200 events read \([\d,]+\/s\), 1,200 to silver, 0 quarantined, 0 duplicates\n$/);
    expect(r.out).toBe(`read 1,200 new events into ${lake}: 1,200 to silver, 0 quarantined, 0 dropped, 0 duplicates (0 with warnings)\n`);
  });
});

describe('orderlake run: --memory-limit', () => {
  it("caps gold's DuckDB buffers at the size given, and refuses anything else before anything runs", async () => {
    const { input, lake } = await dirtyInput();
    expect(await runCli(['run', '-i', input, '-l', lake, '-q', '--memory-limit', '32MB'], false)).toEqual({
      code: 2, out: '', err: `orderlake run: expected --memory-limit to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got "32MB" (see 'orderlake run --help')\n`,
    });
    await expect(fs.stat(lake)).rejects.toMatchObject({ code: 'ENOENT' });
    const limits = await goldMemoryLimits(async () => {
      expect((await runCli(['run', '-i', input, '-l', lake, '-q', '--memory-limit', '128MB'], false)).code).toBe(0);
    });
    expect(limits).toEqual(['122.0 MiB']);
  });
});
