// Numbers as the command line prints them: one format everywhere (en-US thousands separators),
// so "1,316 quarantined" never sits beside "50000".

/** A count: 1,316. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Events per second over a stage: 4,800/s; '-' before any time has passed. */
export function rate(n: number, seconds: number): string {
  return seconds > 0 ? `${count(Math.round(n / seconds))}/s` : '-';
}

/** Seconds with one decimal: 2.3 s. */
export function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}
