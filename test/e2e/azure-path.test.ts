// The Azure path end to end, on this machine, through the real SDKs (see
// test/helpers/azure-path.ts): its gold must equal a local `orderlake run` of the same events,
// byte for byte, clean and with faults. Nothing here imports functions/*: the host stand-in
// loads them itself, to capture their registrations.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { exportTable } from '../../src/gold/export';
import { GOLD_TABLES } from '../../src/gold/tables';
import { runAzurePath, orderlake, type AzurePathResult } from '../helpers/azure-path';

// Sized for a loaded 2-core machine: a run takes about half a minute here.
jest.setTimeout(300_000);

const EVENTS = 3000;
const SEED = 11;
const END = '2026-11-01';
const DAYS = 30;
/** Per-run counts (received, written, ...) summed over a table's rows: runs and batches differ between the paths, totals must not. */
const RUN_TOTALS = ['received', 'written', 'quarantined', 'dropped', 'duplicates', 'warned', 'malformed'];

let dir: string;
let local: Record<string, string[]>;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-e2e-'));
  const input = path.join(dir, 'orders.jsonl');
  await orderlake(['produce', '--to', 'file', input, '--events', String(EVENTS), '--seed', String(SEED), '--end', END, '--days', String(DAYS), '--quiet']);
  const summary = await runLocal({ input, lakeDir: path.join(dir, 'lake') });
  expect(summary.read).toBe(EVENTS);
  local = {};
  const { lake } = openLocalLake(path.join(dir, 'lake'));
  for (const t of GOLD_TABLES) {
    const lines: string[] = [];
    for await (const line of exportTable(lake, t.name)) lines.push(line);
    local[t.name] = lines;
  }
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function totals(lines: readonly string[]): Record<string, number> {
  const sum: Record<string, number> = Object.fromEntries(RUN_TOTALS.map((k) => [k, 0]));
  for (const l of lines) {
    const row = JSON.parse(l) as Record<string, number>;
    for (const k of RUN_TOTALS) sum[k]! += row[k]!;
  }
  return sum;
}

function expectSameGold(azure: AzurePathResult): void {
  for (const t of GOLD_TABLES) {
    if (t.name === 'data_quality_runs') continue;
    expect({ table: t.name, lines: azure.exports[t.name] }).toEqual({ table: t.name, lines: local[t.name] });
  }
  expect(totals(azure.exports['data_quality_runs']!)).toEqual(totals(local['data_quality_runs']!));
  expect(local['daily_region_metrics']!.length).toBeGreaterThan(30); // the comparison is not of empty tables
}

describe('runAzurePath', () => {
  it('gives the gold of a local run, byte for byte, counting every request on the way', async () => {
    const r = await runAzurePath({ events: EVENTS, seed: SEED, end: END, days: DAYS });
    expect(r.sent).toBe(EVENTS);
    expectSameGold(r);
    expect(r.host.eventHub).toMatchObject({ failures: 0, crashes: 0, abandoned: [] });
    expect(r.host.queue).toMatchObject({ failures: 0, poisoned: 0 });
    // Each event went in once and, with one owner per partition, came out once.
    expect(r.ingest.eventHubs['send.events']).toBe(EVENTS);
    expect(r.ingest.eventHubs['receive.events']).toBe(EVENTS);
    // One bronze file and one queue message per invocation, each written once.
    expect(r.bronzeFiles).toBe(r.host.eventHub.invocations);
    expect(r.ingest.storage['queue.send']).toBe(r.host.eventHub.invocations);
    expect(r.ingest.storage['queue.delete']).toBe(r.host.queue.invocations);
    // A lake file is one request to write (Put Blob), one to read (Get Blob): a bronze file per
    // invocation, read once by the silver invocation its message starts; nothing else on the way.
    expect(r.ingest.storageByTarget['adls.bronze.put-blob']).toBe(r.host.eventHub.invocations);
    expect(r.ingest.storage['adls.read']).toBe(r.host.queue.invocations);
    expect(Object.keys(r.ingest.storage).filter((k) => k.startsWith('adls.')).sort()).toEqual(['adls.put-blob', 'adls.read']);
    // The ledger: a transaction per table partition (32) that a commit attempt's new ids fall in
    // (an attempt after a lost race claims only what it does not own yet), and one more per id
    // found to exist, which is then read once.
    const ledger = (op: string) => r.ingest.storageByTarget[`table.orderlakeledger.${op}`] ?? 0;
    const attempts = r.ingest.storageByTarget['table.orderlakecommits.batch'] ?? 0;
    expect(attempts).toBeGreaterThanOrEqual(r.host.queue.invocations);
    expect(ledger('batch')).toBeGreaterThan(0);
    expect(ledger('batch')).toBeLessThanOrEqual(attempts * 32 + ledger('get'));
    expect(ledger('get')).toBeLessThan(EVENTS * 0.1);
    expect(r.goldRun.storage['adls.put-blob']).toBeGreaterThan(0);
  });

  it('gives the same gold through a storage outage, a poisoned batch, and batches redelivered and cut differently', async () => {
    const r = await runAzurePath({
      events: EVENTS, seed: SEED, end: END, days: DAYS,
      faults: { outageMs: 2500, crash: { everyNthBatch: 3, at: 'after-invoke' }, poisonFirstBatch: true, goldMidRun: true },
    });
    expect(r.sent).toBe(EVENTS);
    expect(r.host.eventHub.crashes).toBeGreaterThan(0);
    expect(r.host.eventHub.abandoned).toEqual([]);
    expect(r.poisoned).toBeGreaterThanOrEqual(1); // the outage may poison another batch on a slow machine; the replay takes all
    expect(r.faultsInjected['poison']).toBe(5); // one failed read per delivery, up to maxDequeueCount
    expect(r.faultsInjected['outage']).toBeGreaterThan(0);
    expect(r.host.timer.invocations).toBe(2);
    expect(r.ingest.eventHubs['receive.events']).toBeGreaterThan(EVENTS); // redelivered batches were read twice
    expect(r.bronzeFiles).toBeGreaterThanOrEqual(r.host.queue.invocations - r.host.queue.failures); // a crashed delivery may leave a bronze file no message points to
    expectSameGold(r);
  });

  // Overlapping batches refined at the same time: a batch redelivered (cut differently) after
  // its queue message was already sent, and two instances reading one partition during a
  // rebalance. Both are what the host does; silver must still take each event once.
  it('gives the same gold when overlapping batches are refined at the same time (redelivery after the output binding, a rebalance)', async () => {
    const r = await runAzurePath({
      events: EVENTS, seed: SEED, end: END, days: DAYS,
      faults: { crash: { everyNthBatch: 3, at: 'after-output' }, rebalance: { partition: '1', overlapMs: 1500 } },
    });
    expect(r.host.eventHub.crashes).toBeGreaterThan(0);
    expect(r.host.eventHub.rebalances).toBe(1);
    expect(r.host.queue.maxConcurrent).toBeGreaterThan(1);
    expect(r.ingest.eventHubs['receive.events']).toBeGreaterThan(EVENTS);
    expectSameGold(r);
  });
});
