// Fault injection for the crash tests: with ORDERLAKE_CRASH_AT=<point>:<n> the process
// kills itself (SIGKILL: no cleanup, no flush) the n-th time it reaches <point>. Unset, as
// in every normal run, a crash point is one string comparison.
const spec = process.env['ORDERLAKE_CRASH_AT'];
const [target, nthText] = spec ? spec.split(':') : [];
const nth = Number(nthText ?? 1);
let reached = 0;

export function crashPoint(name: string): void {
  if (target === undefined || name !== target) return;
  if (++reached === nth) process.kill(process.pid, 'SIGKILL');
}

/** The crash points, in pipeline order (the crash tests pick among these). */
export const CRASH_POINTS = [
  'bronze-written', 'queued', 'checkpointed', 'claimed', 'silver-files', 'silver-committed',
  'gold-work', 'gold-uploaded', 'gold-committed', 'gold-state',
] as const;
