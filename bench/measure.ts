// Runs one orderlake command in this process and prints what it cost as JSON on stderr's
// last line: wall time, CPU time and peak RSS (process.resourceUsage). The benchmark runs
// every measured step through this, each in a fresh process, so peaks do not mix.
import { main } from '../src/cli/main';

async function measure(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const code = await main(process.argv.slice(2), {
    out: () => undefined,
    err: (t) => process.stderr.write(t.includes('\n') && !t.startsWith('\r') ? t : ''),
    isTTY: false,
  });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const u = process.resourceUsage();
  process.stderr.write(`\n@@measure ${JSON.stringify({ code, wallS, userS: u.userCPUTime / 1e6, systemS: u.systemCPUTime / 1e6, maxRssMB: u.maxRSS / 1024 })}\n`);
  process.exitCode = code;
}

void measure();
