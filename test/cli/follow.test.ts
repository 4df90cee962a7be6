// `orderlake run --follow`: keeps reading what is appended, shows a live status line (events/s
// per layer, lag, last gold run) and stops cleanly on Ctrl-C (SIGINT) with its summary.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CLI } from '../helpers/cli';
import { dirtyLines } from '../helpers/dirty-file';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();

describe('orderlake run --follow', () => {
  it('picks up appended events, reports them on a status line, and stops on SIGINT', async () => {
    const dir = tmp();
    const landing = path.join(dir, 'landing');
    await fs.mkdir(landing);
    const file = path.join(landing, 'orders.jsonl');
    const lines = dirtyLines();
    await fs.writeFile(file, lines.slice(0, 10).join('\n') + '\n');
    const child = spawn(process.execPath, [CLI, 'run', '--input', landing, '--lake', path.join(dir, 'lake'), '--follow'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((r) => setTimeout(r, 1500));
    await fs.appendFile(file, lines.slice(10).join('\n') + '\n');
    // Non-interactive output prints the status at most every 5 s: wait for one.
    const deadline = Date.now() + 20_000;
    while (!/follow: 23 events in/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).toBe(0);
    expect(err).toMatch(/follow: 23 events in \([\d,]+\/s\), 4 to silver \([\d,]+\/s\), 17 quarantined, lag \d+\.\d s, gold run \d+ \d+ s ago \(\d+\.\d s\)/);
    expect(err).toContain('stopping after the current cycle');
    expect(out).toMatch(/^read 23 new events into .*: 4 to silver, 17 quarantined, 1 dropped, 1 duplicates \(2 with warnings\)\n/);
  });
});
