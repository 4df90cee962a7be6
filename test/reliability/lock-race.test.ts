// The lake's lock under a race (issue: two processes that both saw a dead pid both took the
// lock, 7 times in 12). A holder is killed with SIGKILL, then 20 processes race for the lock
// at once: exactly one wins, every time.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tempDirs } from '../helpers/tmp';

const tmp = tempDirs();
const STATE = path.resolve(__dirname, '../../dist/src/adapters/local/local-state.js');

/** A process that takes the lock, says so, and holds it for `holdMs`. */
const holder = (dir: string, holdMs: number) => `
  const { LocalLock } = require(${JSON.stringify(STATE)});
  const lock = new LocalLock(${JSON.stringify(dir)});
  lock.acquire().then(() => { process.stdout.write('won\\n'); setTimeout(() => lock.release(), ${holdMs}); },
    (e) => { process.stdout.write(/in use/.test(e.message) ? 'lost\\n' : 'error ' + e.message + '\\n'); });
`;

describe('LocalLock under a race', () => {
  it.each([1, 2, 3])('lets exactly one of 20 processes take a lock whose holder was killed (round %i)', async () => {
    const dir = path.join(tmp(), 'writer-lock');
    // A holder killed while holding the lock: its lock is left behind as a stale one would be.
    const killed = spawn(process.execPath, ['-e', holder(dir, 60_000)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => killed.stdout!.once('data', () => resolve()));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));

    // Each racer holds a won lock until the test ends, so a slow-starting racer cannot take it after a release.
    const procs = Array.from({ length: 20 }, () => spawn(process.execPath, ['-e', holder(dir, 600_000)], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const racers = procs.map((p) => new Promise<string>((resolve) => {
      let out = '';
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      // 'close', not 'exit': a racer that lost and exited at once may still have its words in the pipe.
      p.once('close', () => resolve(out.trim()));
    }));
    const results = await Promise.all(racers);
    await Promise.all(procs.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : (p.once('exit', resolve), p.kill('SIGKILL'))))));
    // Every racer's own words, so a racer that neither won nor lost shows what it said.
    expect([...results].sort()).toEqual([...Array<string>(19).fill('lost'), 'won']);
    // Afterwards the lock is free again.
    expect(spawnSync(process.execPath, ['-e', holder(dir, 0)], { encoding: 'utf8' }).stdout.trim()).toBe('won');
  });
});
