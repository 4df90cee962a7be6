// Crash anywhere: the real CLI process is killed (SIGKILL) at a crash point in bronze,
// silver or gold, or after a random delay, then restarted; stats and every gold export
// must equal a clean run's, and the gold folders must hold exactly their Delta snapshots.
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI } from '../helpers/cli';
import { CRASH_POINTS } from '../../src/util/crash-point';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { openLocalLake } from '../../src/local/runner';
import { exportTable } from '../../src/gold/export';
import { readSnapshot } from '../../src/delta';
import { pipelineStats } from '../../src/pipeline/stats';
import { GOLD_TABLES } from '../../src/gold/tables';
import { Random } from '../../producer/random';

jest.setTimeout(600_000);

const root = mkdtempSync(path.join(tmpdir(), 'orderlake-crash-'));
const input = path.join(root, 'orders.jsonl');
const RUN = ['run', '--input', input, '--batch-size', '40', '--quiet'];

interface Exit { code: number | null; signal: NodeJS.Signals | null; stderr: string }

function runCli(lake: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...RUN, '--lake', lake], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** What a lake holds, as a comparable text: counts, then every gold table's export. */
async function fingerprint(lakeDir: string): Promise<string> {
  const { lake, state } = openLocalLake(lakeDir);
  const s = await pipelineStats(state.commits);
  let out = JSON.stringify({ ...s, batches: undefined }) + '\n';
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality_runs') continue; // a log of runs: a restarted lake has more runs
    out += `# ${t.name}\n`;
    for await (const line of exportTable(lake, t.name)) out += line + '\n';
  }
  return out;
}

/**
 * The gold folders hold every file their Delta logs list, and otherwise only files a log
 * removed (kept for readers of older versions until vacuum): no half-published or orphan files.
 */
async function goldFoldersMatchSnapshots(lakeDir: string): Promise<string[]> {
  const { lake } = openLocalLake(lakeDir);
  const problems: string[] = [];
  for (const t of GOLD_TABLES) {
    const root = `gold/${t.name}`;
    const snap = await readSnapshot(lake, root);
    const onDisk = (await lake.list(root)).filter((p) => !p.includes('/_delta_log/')).map((p) => p.slice(root.length + 1)).sort();
    const live = [...snap.files.values()].map((f) => f.key);
    const removed = new Set([...snap.tombstones.values()].map((f) => f.key));
    const missing = live.filter((k) => !onDisk.includes(k));
    const orphans = onDisk.filter((k) => !live.includes(k) && !removed.has(k));
    if (missing.length || orphans.length) problems.push(`${t.name}: listed but not in the folder ${JSON.stringify(missing)}, in the folder but never listed ${JSON.stringify(orphans)}`);
  }
  return problems;
}

/** Every temporary file in the lake's folders (not its private state): `*.tmp` anywhere, and whatever is in _tmp/. */
async function temporaryFiles(lakeDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(lakeDir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(lakeDir, path.join(entry.parentPath, entry.name));
    if (!entry.isFile() || rel.startsWith('_state')) continue;
    if (rel.endsWith('.tmp') || rel.startsWith('_tmp')) found.push(rel);
  }
  return found;
}

let clean: string;
let cleanMs: number;

beforeAll(async () => {
  const events = [...generateEvents({ ...DEFAULT_STREAM, seed: 11, events: 1500, days: 20, end: new Date('2026-06-01T00:00:00Z') })];
  await fs.writeFile(input, events.join('\n') + '\n');
  const lake = path.join(root, 'clean');
  const t0 = Date.now();
  const r = await runCli(lake);
  cleanMs = Date.now() - t0;
  expect(r).toEqual({ code: 0, signal: null, stderr: '' });
  clean = await fingerprint(lake);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/**
 * How often one run of this input reaches each point (about 10 chunks of 4 batches, about 38
 * silver batches, 10 gold tables, one gold run): a trial picks an occurrence that exists.
 */
const REACHED: Record<(typeof CRASH_POINTS)[number], number> = {
  'bronze-written': 9, queued: 9, checkpointed: 9, claimed: 30, 'silver-files': 30, 'silver-committed': 30,
  'gold-work': 1, 'gold-uploaded': 10, 'gold-committed': 10, 'gold-state': 1,
};

describe('a run killed at any point', () => {
  const rnd = new Random(2026);
  const pick = (point: (typeof CRASH_POINTS)[number]) => ({ point, nth: rnd.int(1, REACHED[point]) });
  // Every crash point twice (half of them crash again at another point on the restart), plus 6 kills at random times.
  const trials: Array<{ crashes?: Array<{ point: string; nth: number }>; afterFraction?: number }> = [
    ...CRASH_POINTS.flatMap((point) => [
      { crashes: [pick(point)] },
      { crashes: [pick(point), pick(CRASH_POINTS[(CRASH_POINTS.indexOf(point) + 3) % CRASH_POINTS.length]!)] },
    ]),
    ...Array.from({ length: 6 }, () => ({ afterFraction: 0.1 + rnd.next() * 0.8 })),
  ];

  const label = (t: (typeof trials)[number]) =>
    t.crashes ? t.crashes.map((c) => `${c.point} #${c.nth}`).join(', then ') : `killed after ${Math.round((t.afterFraction ?? 0) * 100)}% of a clean run's time`;

  it.each(trials.map((t, i) => [i + 1, label(t), t] as const))(
    'trial %i (%s): restarting finishes with the clean run\'s stats and gold',
    async (i, _label, t) => {
      const lake = path.join(root, `trial-${i}`);
      if (t.crashes) {
        for (const c of t.crashes) {
          const r = await runCli(lake, { ORDERLAKE_CRASH_AT: `${c.point}:${c.nth}` });
          // A point reached fewer times on a restart (less work left) lets the run finish.
          if (c === t.crashes[0]) expect(r.signal).toBe('SIGKILL');
          else expect(r.signal === 'SIGKILL' || r.code === 0).toBe(true);
        }
      } else {
        const r = await runCli(lake, {}, Math.round(cleanMs * (t.afterFraction ?? 0.5)));
        expect(r.signal === 'SIGKILL' || r.code === 0).toBe(true);
      }
      const second = await runCli(lake);
      expect(second).toEqual({ code: 0, signal: null, stderr: '' });
      expect(await fingerprint(lake)).toBe(clean);
      expect(await goldFoldersMatchSnapshots(lake)).toEqual([]);
      // A killed gold run's scratch (DuckDB files) is swept by the next run, which removes its own.
      expect(await fs.readdir(path.join(lake, '_state'))).not.toContain('gold-scratch');
      // No temporary file of a killed write is left, in a table folder or in _tmp/.
      expect(await temporaryFiles(lake)).toEqual([]);
    },
  );

});

describe('a gold run folding older dates, killed at any gold point', () => {
  // Two months of orders: the first 60% landed with gold, the rest with silver only (its events
  // reach both months; from 70% on they reach May alone, which one run folds whole). Then gold
  // with a fold policy of 150 orders a run (every date is older than today, so every change
  // waits; April's range is 129 orders, May's range and the days after it, staged while they
  // waited, about 125: each run folds one month), killed at a gold point and run again until no date
  // waits: the lake must equal a clean run's.
  const foldInput = path.join(root, 'fold-orders.jsonl');
  let foldClean: string;
  let base: string;

  function cli(args: string[], env: Record<string, string> = {}): Promise<Exit & { stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    const lines = [...generateEvents({ ...DEFAULT_STREAM, seed: 12, events: 1000, days: 60, end: new Date('2026-06-01T00:00:00Z') })];
    await fs.writeFile(foldInput, lines.join('\n') + '\n');
    const clean = path.join(root, 'fold-clean');
    expect((await cli(['run', '--input', foldInput, '--lake', clean, '--batch-size', '40', '--quiet'])).code).toBe(0);
    foldClean = await fingerprint(clean);
    const cut = Math.floor(lines.length * 0.6);
    const partial = path.join(root, 'fold-orders-partial.jsonl');
    await fs.writeFile(partial, lines.slice(0, cut).join('\n') + '\n');
    base = path.join(root, 'fold-base');
    expect((await cli(['run', '--input', partial, '--lake', base, '--batch-size', '40', '--quiet'])).code).toBe(0);
    await fs.appendFile(partial, lines.slice(cut).join('\n') + '\n');
    expect((await cli(['run', '--input', partial, '--lake', base, '--batch-size', '40', '--quiet', '--skip-gold'])).code).toBe(0);
    // Without a crash, the waiting dates take two fold runs (one month each).
    const plain = path.join(root, 'fold-plain');
    await fs.cp(base, plain, { recursive: true });
    const runs = await foldUntilDone(plain);
    expect(runs.map((o) => o.includes('wait to be folded'))).toEqual([true, false]);
    expect(await fingerprint(plain)).toBe(foldClean);
  });

  /** `gold` with a fold policy of 150 orders a run, until no date waits; the runs' outputs. */
  async function foldUntilDone(lake: string, env: Record<string, string> = {}): Promise<string[]> {
    const outputs: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await cli(['gold', '--lake', lake, '--quiet', '--cold-orders-per-run', '150'], env);
      expect([r.code, r.stderr]).toEqual([0, '']);
      outputs.push(r.stdout);
      if (!r.stdout.includes('wait to be folded')) break;
    }
    return outputs;
  }

  it.each([['gold-work', 1], ['gold-uploaded', 3], ['gold-committed', 5], ['gold-state', 1]] as const)(
    'killed at %s #%i: folding on finishes with the clean run\'s stats and gold',
    async (point, nth) => {
      const lake = path.join(root, `fold-${point}`);
      await fs.cp(base, lake, { recursive: true });
      expect((await cli(['gold', '--lake', lake, '--quiet', '--cold-orders-per-run', '150'], { ORDERLAKE_CRASH_AT: `${point}:${nth}` })).signal).toBe('SIGKILL');
      const outputs = await foldUntilDone(lake);
      expect(outputs[outputs.length - 1]).not.toContain('wait to be folded');
      expect(await fingerprint(lake)).toBe(foldClean);
      expect(await goldFoldersMatchSnapshots(lake)).toEqual([]);
      expect(await temporaryFiles(lake)).toEqual([]);
    },
  );
});
