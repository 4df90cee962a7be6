// A progress line on stderr: redrawn in place on a terminal, a line every few seconds in logs.
import type { Io } from './args';

export function progressReporter(io: Io, quiet: boolean) {
  const start = Date.now();
  let last = 0;
  return {
    update(text: (elapsedS: number) => string, force = false) {
      if (quiet) return;
      const now = Date.now();
      const every = io.isTTY ? 200 : 5000;
      if (!force && now - last < every) return;
      last = now;
      const line = text((now - start) / 1000);
      io.err(io.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    done() {
      if (!quiet && io.isTTY && last) io.err('\n');
    },
  };
}

export function rate(n: number, seconds: number): string {
  return seconds > 0 ? `${Math.round(n / seconds).toLocaleString('en-US')}/s` : '-';
}
