// `orderlake produce --to file --follow`: runs until Ctrl-C or --duration, not capped by the
// --events default (50,000); an explicit --events still caps it.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CLI, orderlake } from '../../helpers/cli';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

async function lineCount(file: string): Promise<number> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.split('\n').length - 1;
}

describe('orderlake produce --follow', () => {
  it('goes past 50,000 events until Ctrl-C, then writes what it has and says how many', async () => {
    const file = path.join(tmp(), 'orders.jsonl');
    const child = spawn(process.execPath, [CLI, 'produce', '--to', 'file', file, '--follow', '--rate', '0', '--end', '2026-06-01', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    const deadline = Date.now() + 90_000;
    let ended = false;
    void exited.then(() => (ended = true));
    while (!ended && (await lineCount(file)) < 55_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(ended).toBe(false); // still running: not stopped at the --events default
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const n = await lineCount(file);
    expect(n).toBeGreaterThan(50_000);
    expect(err).toBe('stopping: sending what is batched (Ctrl-C again to quit at once)\n');
    expect(out).toMatch(new RegExp(`^wrote ${n.toLocaleString('en-US')} events to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+\\.\\d s \\(seed 42\\)\\n$`));
  });

  it('stops at --duration, and at an explicit --events', async () => {
    const dir = tmp();
    const timed = path.join(dir, 'timed.jsonl');
    // It ends by itself, with at most rate x duration events. How many fewer depends on the
    // machine: the duration counts from the start, and start-up (loading faker) eats into it.
    const r = orderlake(['produce', '--to', 'file', timed, '--follow', '--rate', '100', '--duration', '2s', '-q']);
    expect(r.code).toBe(0);
    expect(await lineCount(timed)).toBeLessThanOrEqual(200);
    const capped = path.join(dir, 'capped.jsonl');
    expect(orderlake(['produce', '--to', 'file', capped, '--follow', '--rate', '0', '--events', '300', '-q']).code).toBe(0);
    expect(await lineCount(capped)).toBe(300);
  });
});
