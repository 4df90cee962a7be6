// The local dedup ledger (LocalLedger, LevelDB) at lake scale: claims of 1,000 ids (fresh
// random UUIDs, a share of them resends of recent ids), and at each checkpoint the cost per id
// since the previous one (wall time inside claim(); wall and CPU of the whole loop, the CPU
// including LevelDB's compaction thread and the bench making ids), the memory of the process (/proc/self/status: VmRSS, RssAnon, RssFile, VmHWM) and
// the store's size on disk. The bench itself holds only a ring of recent ids, so the memory
// is the ledger's plus Node's.
//   node --expose-gc dist/bench/ledger-local.js [--ids 10000000] [--checkpoints 1000000,5000000,10000000] [--dup 0.0198] [--dir /tmp/x]
//   node dist/bench/ledger-local.js --import 10000000   (an older lake's ledger.log of that many lines, imported on first open)
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ClassicLevel } from 'classic-level';
import { KeyFilter } from '../src/adapters/local/ledger-filter';
import { LocalLedger, LEDGER_STORE_OPTIONS } from '../src/adapters/local/local-ledger';
import { Random } from '../producer/random';

const { values: args } = parseArgs({
  options: {
    ids: { type: 'string', default: '10000000' },
    checkpoints: { type: 'string', default: '1000000,5000000,10000000' },
    // The share of resends in producer/generator.ts DEFAULT_DIRT, measured on 200,000 events.
    dup: { type: 'string', default: '0.0198' },
    batch: { type: 'string', default: '1000' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'orderlake-ledger-bench') },
    import: { type: 'string' },
    'write-log': { type: 'string' },
  },
});

/** Memory figures of this process in MB, from /proc/self/status (Linux). */
function memory(): Record<'VmRSS' | 'RssAnon' | 'RssFile' | 'VmHWM', number> {
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { VmRSS: kb('VmRSS'), RssAnon: kb('RssAnon'), RssFile: kb('RssFile'), VmHWM: kb('VmHWM') };
}

async function du(dir: string): Promise<number> {
  let bytes = 0;
  for (const name of await fs.readdir(dir)) bytes += (await fs.stat(path.join(dir, name))).size;
  return bytes;
}

const out = (s: string) => process.stdout.write(s + '\n');
const gc = (globalThis as { gc?: () => void }).gc;

/** Claims k0..k0+n-1: fresh random UUIDs, each a resend of a recent id with probability `dup`. */
function claimMaker(rnd: Random, recent: string[], dup: number): (k0: number, n: number) => Array<{ eventId: string; position: string }> {
  return (k0, n) => Array.from({ length: n }, (_, i) => {
    const k = k0 + i;
    const eventId = k > recent.length && rnd.chance(dup) ? recent[rnd.int(0, recent.length - 1)]! : rnd.uuid();
    recent[k % recent.length] = eventId;
    return { eventId, position: `${k % 32}:${k}` };
  });
}
const mb = (n: number) => n.toFixed(0);

async function claims(): Promise<void> {
  const total = Number(args.ids);
  const batch = Number(args.batch);
  const dup = Number(args.dup);
  const checkpoints = args.checkpoints!.split(',').map(Number).filter((n) => n <= total);
  const dir = path.resolve(args.dir!);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const before = memory();
  out(`LocalLedger: ${total.toLocaleString('en-US')} ids in claims of ${batch} (${(dup * 100).toFixed(2)}% resends of recent ids), store ${dir}; LevelDB options ${JSON.stringify(LEDGER_STORE_OPTIONS)}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os.loadavg()[0]!.toFixed(1)} at start.`);
  out(`Before opening the ledger: VmRSS ${mb(before.VmRSS)} MB, RssAnon ${mb(before.RssAnon)} MB.${gc ? ' A full GC before each reading (--expose-gc).' : ' No GC before readings (run with --expose-gc for the live heap).'}`);
  out('');
  out('| ids claimed | µs per id in claim() (wall) | µs per id, bench loop (wall) | µs per id, bench loop (process CPU) | VmRSS MB | RssAnon MB | of which V8 heap MB | RssFile MB | peak VmHWM MB | store on disk MB |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  const ledger = new LocalLedger(dir);
  const recent: string[] = new Array(100_000);
  const claimsAt = claimMaker(new Random(42), recent, dup);
  let claimed = 0;
  let inClaims = 0n;
  let t0 = process.hrtime.bigint();
  let cpu0 = process.cpuUsage();
  let window0 = 0;
  while (claimed < total) {
    const n = Math.min(batch, total - claimed);
    const list = claimsAt(claimed, n);
    const c0 = process.hrtime.bigint();
    await ledger.claim(list);
    inClaims += process.hrtime.bigint() - c0;
    claimed += n;
    if (checkpoints.includes(claimed)) {
      const wall = Number(process.hrtime.bigint() - t0) / 1e3;
      const cpu = process.cpuUsage(cpu0);
      gc?.(); // with --expose-gc: the live heap, not the garbage of making claims
      const m = memory();
      out(`| ${claimed.toLocaleString('en-US')} | ${(Number(inClaims) / 1e3 / (claimed - window0)).toFixed(1)} | ${(wall / (claimed - window0)).toFixed(1)} | ${((cpu.user + cpu.system) / (claimed - window0)).toFixed(1)} | ${mb(m.VmRSS)} | ${mb(m.RssAnon)} | ${mb(process.memoryUsage().heapTotal / 2 ** 20)} | ${mb(m.RssFile)} | ${mb(m.VmHWM)} | ${mb((await du(ledger.folder)) / 2 ** 20)} |`);
      t0 = process.hrtime.bigint();
      cpu0 = process.cpuUsage();
      window0 = claimed;
      inClaims = 0n;
    }
  }
  // What making the claims costs the bench itself (included in the figures above).
  const g0 = process.cpuUsage();
  const make = claimMaker(new Random(43), new Array<string>(100_000), dup);
  for (let k = 0; k < 200_000; k += batch) make(k, batch);
  const g = process.cpuUsage(g0);
  const generation = (g.user + g.system) / 200_000;
  const c0 = process.hrtime.bigint();
  await ledger.close();
  const c1 = process.hrtime.bigint();
  const reopened = new LocalLedger(dir);
  await reopened.claim([{ eventId: recent[0]!, position: 'x:0' }]);
  const c2 = process.hrtime.bigint();
  out('');
  out(`The bench making the claims (ids, positions) costs ${generation.toFixed(1)} µs of CPU per id, included above. Close ${(Number(c1 - c0) / 1e6).toFixed(0)} ms; reopen and first claim ${(Number(c2 - c1) / 1e6).toFixed(0)} ms.`);
  await reopened.close();
  // After a crash the saved filter is not trusted: the first open reads every key to build it.
  const raw = new ClassicLevel<Buffer, string>(ledger.folder, LEDGER_STORE_OPTIONS);
  await raw.open();
  await KeyFilter.invalidate(raw);
  await raw.close();
  const r0 = process.hrtime.bigint();
  const afterCrash = new LocalLedger(dir);
  await afterCrash.claim([{ eventId: recent[1]!, position: 'x:1' }]);
  out(`Reopen after a crash (the filter built from the store's keys) and first claim: ${(Number(process.hrtime.bigint() - r0) / 1e9).toFixed(1)} s.`);
  await afterCrash.close();
}

/** An older lake's ledger.log of `lines` claims (in a process of its own: its garbage is not the import's memory). */
async function writeLog(lines: number): Promise<void> {
  const dir = path.resolve(args.dir!);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const rnd = new Random(7);
  const log = await fs.open(path.join(dir, 'ledger.log'), 'w');
  for (let i = 0; i < lines; i += 100_000) {
    let text = '';
    for (let j = i; j < Math.min(lines, i + 100_000); j++) text += `${rnd.uuid()}\t${j % 32}:${j}\n`;
    await log.write(text);
  }
  await log.close();
}

/** Opens the ledger on a lake holding only an older version's ledger.log: the import. */
async function importLog(lines: number): Promise<void> {
  const dir = path.resolve(args.dir!);
  const child = spawnSync(process.execPath, [__filename, '--write-log', String(lines), '--dir', dir], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`writing the ledger.log failed (exit ${child.status})`);
  const size = (await fs.stat(path.join(dir, 'ledger.log'))).size;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const ledger = new LocalLedger(dir);
  await ledger.claim([{ eventId: '00000000-0000-4000-8000-000000000000', position: 'x:0' }]);
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  const cpu = process.cpuUsage(cpu0);
  gc?.();
  const m = memory();
  out(`Import of a ledger.log of ${lines.toLocaleString('en-US')} lines (${mb(size / 2 ** 20)} MB) on first open: ${(wall / 1e6).toFixed(1)} s, ${(wall / lines).toFixed(1)} µs per line (CPU ${((cpu.user + cpu.system) / lines).toFixed(1)} µs); VmRSS ${mb(m.VmRSS)} MB, RssAnon ${mb(m.RssAnon)} MB, peak VmHWM ${mb(m.VmHWM)} MB; store ${mb((await du(ledger.folder)) / 2 ** 20)} MB.`);
  await ledger.close();
}

(args['write-log'] ? writeLog(Number(args['write-log'])) : args.import ? importLog(Number(args.import)) : claims()).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
