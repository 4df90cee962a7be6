import { Progress, goldDone } from '../../src/cli/progress';
import type { Io } from '../../src/cli/args';

const CLEAR = '\r\x1b[2K';

/** An Io that records stderr, and a clock the test moves. */
function fake(isTTY: boolean, quiet = false) {
  const io = { err: '', out: '' };
  const fakeIo: Io = { out: (t) => void (io.out += t), err: (t) => void (io.err += t), isTTY };
  let now = 0;
  const progress = new Progress(fakeIo, { quiet, now: () => now });
  return { io, progress, at: (ms: number) => void (now = ms) };
}

describe('Progress', () => {
  it('in a log: a line every 5 s while a stage runs, a final line when it ends, messages on their own lines', () => {
    const { io, progress, at } = fake(false);
    const run = (s: number) => `run: ${s} s`;
    progress.update('run', run);
    at(1000);
    progress.update('run', run);
    at(5000);
    progress.update('run', run);
    at(6000);
    progress.update('run', run);
    at(7000);
    progress.update('gold', () => 'gold: monthly_revenue', { final: goldDone });
    progress.message('warning: batch x stopped');
    at(9500);
    progress.update('gold', () => 'gold: rfm_segments');
    progress.done();
    expect(io.err).toBe('run: 5 s\nrun: 7 s\nwarning: batch x stopped\ngold: up to date in 2.5 s\n');
  });

  it('in a log: a stage shorter than the interval prints one line, and a final line equal to the last one is not repeated', () => {
    const { io, progress, at } = fake(false);
    progress.update('generate', () => 'generating: 50,000 of 50,000 events');
    at(1200);
    progress.done();
    progress.update('replay', () => 'replay: 4 of 4 bronze batches');
    at(6200);
    progress.update('replay', () => 'replay: 4 of 4 bronze batches');
    progress.done();
    expect(io.err).toBe('generating: 50,000 of 50,000 events\nreplay: 4 of 4 bronze batches\n');
  });

  it('on a terminal: redraws in place at most every 200 ms, ends a stage with its line, and leaves no stale line around a message', () => {
    const { io, progress, at } = fake(true);
    const run = (s: number) => `run ${s}`;
    progress.update('run', run);
    at(100);
    progress.update('run', run);
    at(250);
    progress.update('run', run);
    progress.message('warning: w');
    at(300);
    progress.update('gold', () => 'gold: t1', { final: () => 'gold: done' });
    progress.clear();
    at(350);
    progress.update('gold', () => 'gold: t2');
    at(600);
    progress.update('gold', () => 'gold: t3');
    progress.done();
    progress.message('after');
    expect(io.err).toBe(
      `${CLEAR}run 0` + `${CLEAR}run 0.25` + `${CLEAR}warning: w\nrun 0.25` + `${CLEAR}run 0.3\n` + `${CLEAR}gold: t1` + CLEAR
      + `${CLEAR}gold: t3` + `${CLEAR}gold: done\n` + 'after\n',
    );
  });

  it("times a stage from the end of the one before (or from the start), not from its first report", () => {
    const { io, progress, at } = fake(false);
    at(3000);
    progress.update('generate', (s) => `generate: ${s} s`);
    at(4000);
    progress.done();
    at(6000);
    progress.update('run', (s) => `run: ${s} s`);
    progress.done();
    expect(io.err).toBe('generate: 4 s\nrun: 2 s\n');
  });

  it('forces a line when asked (a caller with its own timer), and a final text given to done wins', () => {
    const { io, progress, at } = fake(false);
    progress.update('follow', () => 'follow: 1', { force: true });
    at(10);
    progress.update('follow', () => 'follow: 2', { force: true });
    progress.done(() => 'follow: stopped');
    expect(io.err).toBe('follow: 1\nfollow: 2\nfollow: stopped\n');
  });

  it('quiet: no progress at all, but messages still', () => {
    const { io, progress, at } = fake(true, true);
    progress.update('run', () => 'run');
    at(6000);
    progress.update('run', () => 'run', { force: true });
    progress.message('warning: kept');
    progress.done();
    expect(io.err).toBe('warning: kept\n');
  });
});
