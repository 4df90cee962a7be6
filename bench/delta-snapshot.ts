// What reading a Delta table's snapshot costs, with and without checkpoints: a table of 1,000
// versions with 10 live files (each version after the 10th adds one file and removes one).
// Prints time (median of runs), files and bytes read, and listings, for src/delta's
// readSnapshot and its incremental updateSnapshot.
//   npx tsc -p tsconfig.build.json && node dist/bench/delta-snapshot.js [--versions 1000] [--runs 5]
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalLake } from '../src/adapters/local/local-lake';
import { commit, readSnapshot, updateSnapshot, type DeltaField, type DeltaSnapshot } from '../src/delta';
import type { Lake } from '../src/pipeline/ports';
import { ReadCounter, countingLake } from './counting-lake';

const { values: args } = parseArgs({ options: { versions: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' }, dir: { type: 'string' } } });
const VERSIONS = Number(args.versions);
const RUNS = Number(args.runs);
const LIVE = 10;

const SCHEMA: DeltaField[] = [
  { name: 'order_id', type: 'string' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'created_at', type: 'timestamp' },
  { name: 'order_date', type: 'date' },
];

function stats(v: number): string {
  return JSON.stringify({ numRecords: 1000, minValues: { order_id: `o-${v}-0000`, amount: 0.5, created_at: '2026-01-05T00:00:00.000Z' }, maxValues: { order_id: `o-${v}-0999`, amount: 999.99, created_at: '2026-01-05T23:59:59.999Z' }, nullCount: { order_id: 0, amount: 0, created_at: 0 } });
}

async function build(lake: Lake, table: string, interval: string): Promise<DeltaSnapshot> {
  let snap: DeltaSnapshot | undefined;
  for (let v = 0; v < VERSIONS; v++) {
    const removes = snap && snap.files.size >= LIVE ? [[...snap.files.values()][0]!] : [];
    const r = await commit(lake, table, snap, {
      operation: 'WRITE',
      ...(v === 0 ? { metadata: { schema: SCHEMA, partitionColumns: ['order_date'], configuration: { 'delta.checkpointInterval': interval } } } : {}),
      adds: [{ key: `order_date=2026-01-${String((v % 28) + 1).padStart(2, '0')}/part-${v}.parquet`, partitionValues: { order_date: `2026-01-${String((v % 28) + 1).padStart(2, '0')}` }, size: 50_000, modificationTime: Date.now(), stats: stats(v) }],
      removes,
      txns: [{ appId: 'publisher', version: v }],
    });
    snap = r.snapshot;
  }
  return snap!;
}

/** Times `fn` on a counting wrapper of `lake` (bench/counting-lake.ts) without localPath, so checkpoints are read through readFile too. */
async function measure(label: string, fn: (lake: Lake) => Promise<unknown>, lake: Lake): Promise<string> {
  const times: number[] = [];
  const counter = new ReadCounter();
  let counts = counter.take();
  for (let i = 0; i < RUNS; i++) {
    const { localPath: _inPlace, ...counted } = countingLake(lake, counter);
    const t = process.hrtime.bigint();
    await fn(counted);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    counts = counter.take();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  // Files asked for: found ones and the probe of the commit after the newest (a miss).
  return `| ${label} | ${median.toFixed(1)} ms | ${counts.files + counts.misses} | ${(counts.bytes / 1024).toFixed(1)} KiB | ${counts.lists} |`;
}

async function main(): Promise<void> {
  const root = args.dir ?? mkdtempSync(path.join(os.tmpdir(), 'orderlake-delta-bench-'));
  const lake = new LocalLake(root);
  try {
    const t0 = Date.now();
    await build(lake, 'gold/no_checkpoints', String(VERSIONS * 10)); // an interval the table never reaches
    const t1 = Date.now();
    const last = await build(lake, 'gold/checkpoints', '10');
    const t2 = Date.now();
    console.log(`built ${VERSIONS} versions, ${LIVE} live files: without checkpoints in ${((t1 - t0) / 1000).toFixed(1)} s, with a checkpoint every 10 in ${((t2 - t1) / 1000).toFixed(1)} s (${root})\n`);
    const rows = [
      '| read | median time | files read | bytes read | listings |',
      '|---|---|---|---|---|',
      await measure(`readSnapshot, no checkpoint (replays versions 0..${VERSIONS - 1})`, (l) => readSnapshot(l, 'gold/no_checkpoints'), lake),
      await measure(`readSnapshot, checkpoint ${last.version - (last.version % 10)} + ${last.version % 10} commits`, (l) => readSnapshot(l, 'gold/checkpoints'), lake),
    ];
    // A long-lived reader one commit behind.
    const behind = await readSnapshot(lake, 'gold/checkpoints');
    await commit(lake, 'gold/checkpoints', behind, { operation: 'WRITE', txns: [{ appId: 'publisher', version: VERSIONS }] }, { postCommit: false });
    rows.push(await measure('updateSnapshot, one commit behind', (l) => updateSnapshot(l, behind), lake));
    console.log(rows.join('\n'));
  } finally {
    if (!args.dir) rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
