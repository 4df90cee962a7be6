// The gold engine run by run: halves, steps, folds, ranges, repairs and late events, each held
// to the exports of one run over the hand-computed dataset.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runLocal, replayLocal, openLocalLake } from '../../src/local/runner';
import { orderEvent, uuid } from '../helpers/events';
import { buildGold } from '../../src/gold/build-gold';
import { GOLD_TABLES } from '../../src/gold/tables';
import { readManifest, writeManifest } from '../../src/gold/state';
import { readDeltaLog, readDeltaRows, folderFiles } from '../helpers/delta-reader';
import { goldLines } from '../helpers/gold-dataset';
import { tempDirs } from '../helpers/tmp';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import type { CommitLog } from '../../src/pipeline/ports';
import { exportText, expectSameExports, goldNow, oneRunLake, rows, silverOnlyLake } from '../helpers/gold-runs';

const tmp = tempDirs();
const now = goldNow;
const oneRun = oneRunLake();

describe('buildGold incrementally', () => {
  it('gives byte-for-byte the same exports for the input in two halves as in one run', async () => {
    const dir = tmp();
    const lines = goldLines();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, lines.slice(0, 12).join('\n') + '\n');
    const two = path.join(dir, 'two');
    await runLocal({ input, lakeDir: two, now, batchSize: 5 });
    await fs.appendFile(input, lines.slice(12).join('\n') + '\n');
    const second = await runLocal({ input, lakeDir: two, now, batchSize: 5 });
    // The second half touched February and March only: January's partitions were not rewritten.
    expect(second.gold?.changedDates).toBe(3); // 2026-02-01, 2026-02-02, 2026-03-05
    // A run rewrites the ranges of those dates whole: here one range a month, February's and March's.
    const ranges = (await readManifest(openLocalLake(two).lake))!.ranges;
    expect(ranges.map((r) => r.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(second.gold?.ordersRewritten).toBe(ranges[1]!.orders + ranges[2]!.orders);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue; // a log of runs: two runs here, one there
      expect(`${t.name}\n${await exportText(two, t.name)}`).toBe(`${t.name}\n${await exportText(oneRun.lakeDir, t.name)}`);
    }
  });

  it('takes a backlog in steps of at most maxCommitsPerStep commits, with the same exports as one step', async () => {
    const { lake, folder, state } = await silverOnlyLake(tmp);
    const batches = (await state.commits.since(undefined)).commits.length;
    expect(batches).toBeGreaterThan(3);
    // Past its deadline, a run takes one step and leaves the rest for the next run.
    const progress: string[] = [];
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, maxCommitsPerStep: 2, onProgress: (m: string) => progress.push(m) };
    const first = await buildGold(deps, { deadline: Date.now() });
    expect([first.steps, first.newBatches, first.more]).toEqual([1, 2, true]);
    const rest = await buildGold(deps);
    expect([rest.steps, rest.newBatches, rest.more]).toEqual([Math.ceil((batches - 2) / 2), batches - 2, false]);
    expect(rest.run).toBe(1 + rest.steps);
    expect(progress.filter((m) => m.startsWith('gold: step '))).toHaveLength(rest.steps - 1);
    await expectSameExports(lake, oneRun.lakeDir); // data_quality_runs aside: one row a step
    const runs = await rows(lake, 'data_quality_runs');
    expect(runs.map((r) => Number(r['batches']))).toEqual([2, ...Array.from({ length: rest.steps }, (_, i) => Math.min(2, batches - 2 - 2 * i))]);
  });

  it('with a fold policy, applies hot dates at once, folds cold ones later, oldest first, and ends with the exports of one run', async () => {
    const { lake, folder, state } = await silverOnlyLake(tmp);
    const batches = (await state.commits.since(undefined)).commits.length;
    // March is hot (from 2026-03-01, 9 days before now); every date its own range; one cold date a
    // run. Three commits a step: the backlog's later steps defer more cold dates than they fold,
    // so some still wait for the runs below (at two a step, each step folded what the one before
    // deferred, and none was left).
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, maxCommitsPerStep: 3, limits: { maxOrders: 1, minOrders: 0 }, fold: { hotDays: 9, coldOrdersPerRun: 1 } };
    const taken = await buildGold(deps);
    expect([taken.newBatches, taken.more]).toEqual([batches, false]);
    const waiting = (await readManifest(folder))!.deferred ?? [];
    expect(taken.datesWaiting).toBe(waiting.length);
    // The first step (a first build) took its dates at once; later steps deferred the cold dates they touched.
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((d) => d.date < '2026-03-01')).toBe(true);
    // The hot order (O8, placed 2026-03-05) is in gold as in one run; some cold change is not yet.
    const o8 = async (dir: string) => (await rows(dir, 'order_status_history')).filter((r) => r['order_id'] === 'ORD-000008');
    expect(await o8(lake)).toEqual(await o8(oneRun.lakeDir));
    expect((await o8(lake)).length).toBeGreaterThan(0);
    expect(await exportText(lake, 'order_status_history')).not.toBe(await exportText(oneRun.lakeDir, 'order_status_history'));
    let runs = 0;
    const folded: string[][] = [];
    for (let left = waiting.length; left > 0; runs++) {
      const s = await buildGold(deps);
      expect([s.newBatches, s.run]).toEqual([0, taken.run! + runs + 1]); // not idle while dates wait
      const now = ((await readManifest(folder))!.deferred ?? []).map((d) => d.date);
      folded.push(waiting.map((d) => d.date).filter((d) => !now.includes(d) && !folded.flat().includes(d)));
      expect(now.length).toBeLessThan(left);
      left = now.length;
    }
    // One date a run, the oldest deferral first.
    expect(folded).toEqual([...waiting].sort((a, b) => a.since - b.since || a.date.localeCompare(b.date)).map((d) => [d.date]));
    expect((await buildGold(deps)).run).toBeNull(); // idle once nothing waits
    await expectSameExports(lake, oneRun.lakeDir);
  });

  it('with a fold policy, never brings back an event a replay removed when a fold merges it with another waiting date', async () => {
    // Day 1 (2 orders) and day 2 (9 orders) are two ranges. A1's cancellation (E) and B1's
    // payment wait, staged by the same run; E's batch is replayed without E (now invalid), day 1
    // is rebuilt from silver, then deferred again; the fold of both dates must not read E back
    // from the staged file of the run before the rebuild.
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    const day1 = '2026-01-05', day2 = '2026-01-06';
    let n = 0;
    const ev = (order: string, day: string, status: string, time: string) => JSON.stringify(orderEvent({
      event_id: uuid(++n), order_id: order, status, event_time: `${day}T${time}:00Z`, order_time: `${day}T08:00:00Z`,
      customer: { id: `CUST-${order.slice(4)}` }, currency: 'USD', shipping_cost: 0, discount: 0, total_amount: 10,
      items: [{ product_id: 'P1', product_name: 'W', category: 'Home', quantity: 1, unit_price: 10 }],
    }));
    const at = (d: string) => () => new Date(`${d}T12:00:00Z`);
    const land = async (lines: string[], day: string) => {
      await fs.appendFile(input, lines.join('\n') + '\n');
      await runLocal({ input, lakeDir, now: at(day), partitions: 1, batchSize: 100, gold: false });
    };
    await fs.writeFile(input, '');
    await land([ev('ORD-000101', day1, 'PLACED', '08:00'), ev('ORD-000102', day1, 'PLACED', '08:00'), ...Array.from({ length: 9 }, (_, i) => ev(`ORD-00020${i + 1}`, day2, 'PLACED', '08:00'))], '2026-03-01');
    const { lake, state } = openLocalLake(lakeDir);
    const gold = (day: string, budget?: number) => buildGold({ lake, commits: state.commits, documents: state.documents, now: at(day), limits: { maxOrders: 10, minOrders: 0 }, ...(budget !== undefined ? { fold: { hotDays: 0, coldOrdersPerRun: budget } } : {}) });
    await gold('2026-03-01');
    expect((await readManifest(lake))!.ranges.map((r) => [r.lo, r.hi, r.orders])).toEqual([[day1, day1, 2], [day2, day2, 9]]);
    await land([ev('ORD-000101', day1, 'CANCELLED', '09:00')], '2026-03-02');
    await land([ev('ORD-000201', day2, 'PAID', '09:00')], '2026-03-03');
    await gold('2026-03-03', 0);
    expect((await readManifest(lake))!.deferred!.map((d) => [d.date, d.since])).toEqual([[day1, 2], [day2, 2]]);
    // E's batch (ingest date 03-02) replayed with E's status made invalid: silver drops E.
    const [bronze] = (await lake.list('bronze')).filter((f) => f.includes('ingest_date=2026-03-02'));
    const file = path.join(lakeDir, bronze!);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.split('\n').filter(Boolean).map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify({ ...o, body: JSON.stringify({ ...(JSON.parse(String(o['body'])) as object), status: 'BOGUS' }) });
    }).join('\n') + '\n');
    await replayLocal(lakeDir, { now: at('2026-03-03'), fromDate: '2026-03-02', toDate: '2026-03-02', gold: false });
    await gold('2026-03-03', 0);
    await gold('2026-03-03', 2); // day 1 rebuilt from silver: A1 placed only
    const a1 = async () => (await rows(lakeDir, 'order_status_history')).filter((r) => r['order_id'] === 'ORD-000101').map((r) => r['status']);
    expect(await a1()).toEqual(['PLACED']);
    await land([ev('ORD-000102', day1, 'PAID', '09:30')], '2026-03-04');
    await gold('2026-03-04', 0);
    expect((await readManifest(lake))!.deferred!.map((d) => [d.date, d.since])).toEqual([[day2, 2], [day1, 5]]);
    await gold('2026-03-04', 100); // both folded in one rewrite
    expect([(await readManifest(lake))!.deferred ?? [], await a1()]).toEqual([[], ['PLACED']]);
    // The same silver, gold built in one run from scratch.
    const reference = path.join(dir, 'reference');
    await fs.cp(lakeDir, reference, { recursive: true });
    await fs.rm(path.join(reference, 'gold'), { recursive: true });
    const fresh = openLocalLake(reference);
    await buildGold({ lake: fresh.lake, commits: fresh.state.commits, documents: fresh.state.documents, now: at('2026-03-04'), limits: { maxOrders: 10, minOrders: 0 } });
    for (const t of ['order_status_history', 'daily_region_metrics', 'customer_spend']) expect(`${t}\n${await exportText(lakeDir, t)}`).toBe(`${t}\n${await exportText(reference, t)}`);
  }, 120_000);

  it('gives the exports of one run when a step reaches ranges of a month that an untouched range separates', async () => {
    // A generated month in batches of 40, taken in one batch a step, in ranges of at most 30
    // orders: a batch's events reach dates all over the month, so non-adjacent ranges at once.
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, [...generateEvents({ ...DEFAULT_STREAM, seed: 3, events: 1200, days: 25, end: new Date('2026-05-28T00:00:00Z') })].join('\n') + '\n');
    const june = () => new Date('2026-06-01T00:00:00Z');
    const whole = path.join(dir, 'whole');
    await runLocal({ input, lakeDir: whole, now: june, batchSize: 40 });
    const stepped = path.join(dir, 'stepped');
    await runLocal({ input, lakeDir: stepped, now: june, batchSize: 40, gold: false });
    const { lake: folder, state } = openLocalLake(stepped);
    const s = await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now: june, maxCommitsPerStep: 1, limits: { maxOrders: 30, minOrders: 0 } });
    expect(s.steps).toBeGreaterThan(10);
    const ranges = (await readManifest(folder))!.ranges;
    expect(ranges.filter((r) => r.month === '2026-05').length).toBeGreaterThan(5);
    // No two ranges claim the same date.
    for (const [i, r] of ranges.entries()) expect(ranges.filter((o, j) => j !== i && o.lo <= r.hi && r.lo <= o.hi)).toEqual([]);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(stepped, t.name)}`).toBe(`${t.name}\n${await exportText(whole, t.name)}`);
    }
  });

  it('repairs a manifest whose ranges overlap: the month rebuilt from silver, the customer state from every order', async () => {
    const { lake, folder, state } = await silverOnlyLake(tmp);
    const deps = { lake: folder, commits: state.commits, documents: state.documents, now, limits: { maxOrders: 1, minOrders: 0 } };
    await buildGold(deps);
    // What the old planner could leave: a second range over 2026-02-01's dates, with the same files (its orders counted twice).
    const m = (await readManifest(folder))!;
    const feb1 = m.ranges.find((r) => r.lo <= '2026-02-01' && '2026-02-01' <= r.hi)!;
    await writeManifest(folder, { ...m, ranges: [...m.ranges, { ...feb1, files: { ...feb1.files }, lo: '2026-02-01', hi: '2026-02-01' }] });
    // A run with no new commit repairs it: February rebuilt from silver, and the customers from every order.
    const s = await buildGold(deps);
    expect([s.newBatches, s.run]).toEqual([0, m.runs + 1]);
    const after = (await readManifest(folder))!.ranges.filter((r) => r.month === '2026-02');
    expect(after.filter((r) => r.lo <= '2026-02-01' && '2026-02-01' <= r.hi)).toHaveLength(1);
    await expectSameExports(lake, oneRun.lakeDir);
  });

  it('writes one file per month partition for the rollup tables however many ranges a month has, one per range for order_status_history', async () => {
    const { lake, folder, state } = await silverOnlyLake(tmp);
    // Ranges of one order at most: every date is a range of its own.
    await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now, limits: { maxOrders: 1, minOrders: 0 } });
    const ranges = (await readManifest(folder))!.ranges;
    const liveByMonth = async (table: string) => {
      const count: Record<string, number> = {};
      for (const f of (await readDeltaLog(folderFiles(path.join(lake, 'gold', table)))).files) {
        const key = `${f.partitionValues['order_year']}-${f.partitionValues['order_month']}`;
        count[key] = (count[key] ?? 0) + 1;
      }
      return count;
    };
    const rangesByMonth: Record<string, number> = {};
    for (const r of ranges) rangesByMonth[`${Number(r.month.slice(0, 4))}-${Number(r.month.slice(5, 7))}`] = (rangesByMonth[`${Number(r.month.slice(0, 4))}-${Number(r.month.slice(5, 7))}`] ?? 0) + 1;
    expect(Math.max(...Object.values(rangesByMonth))).toBeGreaterThan(1);
    const months = Object.fromEntries(Object.keys(rangesByMonth).map((m) => [m, 1]));
    expect(await liveByMonth('daily_region_metrics')).toEqual(months);
    expect(await liveByMonth('hourly_sales')).toEqual({ '2026-1': 1, '2026-2': 1 }); // March's one order was cancelled: no hourly rows, no file
    expect(await liveByMonth('order_status_history')).toEqual(rangesByMonth);
    await expectSameExports(lake, oneRun.lakeDir);
  });

  it('leaves a batch committed while it runs to the next run, whole: never planned without its rows', async () => {
    const dir = tmp();
    const lines = goldLines();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, lines.slice(0, 12).join('\n') + '\n');
    const lake = path.join(dir, 'lake');
    await runLocal({ input, lakeDir: lake, now, batchSize: 5, gold: false });
    await fs.appendFile(input, lines.slice(12).join('\n') + '\n');
    // Silver instances commit the rest while gold runs: right after gold first reads the commit log.
    const { lake: folder, state } = openLocalLake(lake);
    let concurrent: Promise<unknown> | undefined;
    const log = state.commits;
    const commits: CommitLog = {
      head: (p) => log.head(p), commit: (c, h) => log.commit(c, h), heads: () => log.heads(), all: () => log.all(),
      since: async (cursor, limit) => {
        const r = await log.since(cursor, limit);
        concurrent ??= runLocal({ input, lakeDir: lake, now, batchSize: 5, gold: false });
        await concurrent;
        return r;
      },
    };
    const first = await buildGold({ lake: folder, commits, documents: state.documents, now });
    const second = await buildGold({ lake: folder, commits: state.commits, documents: state.documents, now });
    expect([first.newBatches > 0, second.newBatches > 0]).toEqual([true, true]);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(lake, t.name)}`).toBe(`${t.name}\n${await exportText(oneRun.lakeDir, t.name)}`);
    }
    const silver = await readDeltaRows(folderFiles(path.join(lake, 'silver', 'order_events')));
    expect(silver.length).toBe((await rows(oneRun.lakeDir, 'data_quality_runs')).reduce((n, r) => n + Number(r['written']), 0));
  });

  it('rewrites only the work range and the partitions a late event touches, keeping the replaced files for readers', async () => {
    const dir = tmp();
    await fs.cp(oneRun.lakeDir, dir, { recursive: true });
    const late = JSON.stringify({
      event_id: '00000000-0000-4000-8000-999999999999', order_id: 'ORD-000004', status: 'CANCELLED', event_time: '2026-02-06T00:00:00Z',
      order_time: '2026-02-01T09:00:00Z', customer: { id: 'CUST-3' }, region: 'EUROPE', currency: 'EUR',
      items: [{ product_id: 'P2', product_name: 'Book', category: 'Books', quantity: 3, unit_price: 5 }], total_amount: 15,
    });
    await fs.writeFile(path.join(dir, 'late.jsonl'), late + '\n');
    const { lake } = openLocalLake(dir);
    const manifestBefore = (await readManifest(lake))!;
    const january = (table: string) => fs.readdir(path.join(dir, 'gold', table, 'order_year=2026', 'order_month=1'));
    const before = { history: await january('order_status_history'), hourly: await january('hourly_sales'), region: await january('daily_region_metrics') };
    const r = await runLocal({ input: path.join(dir, 'late.jsonl'), lakeDir: dir, now });
    expect(r.gold?.changedDates).toBe(1);
    // One range per month in this small lake: only February's is rewritten, January's files stay as they were.
    const manifestAfter = (await readManifest(lake))!;
    expect(manifestAfter.ranges.map((x) => [x.month, x.lo, x.hi])).toEqual(manifestBefore.ranges.map((x) => [x.month, x.lo, x.hi]));
    expect(manifestAfter.ranges.filter((x) => x.month !== '2026-02')).toEqual(manifestBefore.ranges.filter((x) => x.month !== '2026-02'));
    expect({ history: await january('order_status_history'), hourly: await january('hourly_sales'), region: await january('daily_region_metrics') }).toEqual(before);
    for (const table of ['order_status_history', 'daily_region_metrics', 'hourly_sales']) {
      expect(r.gold!.tables.find((t) => t.name === table)).toMatchObject({ partitions: 1, files: 1 });
    }
    // The files February's commit replaced are still there (a reader of the previous version keeps reading).
    const feb = await fs.readdir(path.join(dir, 'gold', 'order_status_history', 'order_year=2026', 'order_month=2'));
    expect(feb.length).toBe(2);
    expect((await rows(dir, 'monthly_revenue'))[1]).toMatchObject({ order_month: 2, total_orders: 4, cancelled_orders: 1, gross_revenue_usd: 60 });
    // The cancellation took CUST-3's only counting order: the customer state forgets them.
    expect((await rows(dir, 'customer_spend')).find((c) => c['customer_id'] === 'CUST-3')).toBeUndefined();
    // Incremental equals whole: every export equals one run over all the events.
    const whole = path.join(tmp(), 'whole');
    await fs.writeFile(path.join(path.dirname(whole), 'all.jsonl'), [...goldLines(), late].join('\n') + '\n');
    await runLocal({ input: path.join(path.dirname(whole), 'all.jsonl'), lakeDir: whole, now, batchSize: 5 });
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(dir, t.name)}`).toBe(`${t.name}\n${await exportText(whole, t.name)}`);
    }
  });

  it('merges small rewrites together, yet keeps an order apart in each rewrite its events name, as when each was rewritten alone (docs/contract.md, section 7)', async () => {
    const dir = tmp();
    const december = () => new Date('2026-12-01T00:00:00Z');
    const item = [{ product_id: 'P-H1', product_name: 'Thing', category: 'Home', quantity: 1, unit_price: 10 }];
    const event = (n: number, order: string, status: string, at: string) => JSON.stringify(orderEvent({ event_id: uuid(700 + n), order_id: order, status, event_time: at, order_time: at, currency: 'USD', items: item, shipping_cost: 0, discount: 0, total_amount: 10 }));
    const base = [event(0, 'ORD-70000001', 'PLACED', '2026-01-20T10:00:00Z'), event(1, 'ORD-70000002', 'PLACED', '2026-02-10T10:00:00Z')];
    // One order whose two events disagree on order_time across the month boundary (hostile).
    const split = [event(2, 'ORD-70000003', 'PLACED', '2026-01-31T10:00:00Z'), event(3, 'ORD-70000003', 'PAID', '2026-02-01T12:00:00Z')];
    const feed = async (lakeDir: string, runs: string[][]) => {
      const input = path.join(dir, `${path.basename(lakeDir)}.jsonl`);
      const progress: string[] = [];
      for (const lines of runs) {
        await fs.appendFile(input, lines.join('\n') + '\n');
        await runLocal({ input, lakeDir, now: december, onGoldProgress: (m: string) => progress.push(m) });
      }
      return progress;
    };
    const together = path.join(dir, 'together');
    const progress = await feed(together, [base, split]);
    // The second run rewrote January's and February's ranges in one group: both merged.
    expect(progress.filter((m) => m.startsWith('gold: work ') || m.endsWith(' in one pass')).slice(-3)).toEqual(['gold: 2 work range rewrites in one pass', 'gold: work 2026-01 2026-01-20..2026-01-31 (merged, 2 orders)', 'gold: work 2026-02 2026-02-01..2026-02-10 (merged, 2 orders)']);
    const apart = path.join(dir, 'apart');
    await feed(apart, [base, [split[0]!], [split[1]!]]);
    // The order is counted in each month its events name, in one run as in two.
    expect((await rows(together, 'monthly_revenue')).map((r) => [r['order_month'], r['total_orders']])).toEqual([[1, 2], [2, 2]]);
    for (const t of GOLD_TABLES) {
      if (t.name === 'data_quality_runs') continue;
      expect(`${t.name}\n${await exportText(together, t.name)}`).toBe(`${t.name}\n${await exportText(apart, t.name)}`);
    }
  }, 180_000);

  it('recomputes the dates of a customer whose id holds a NUL when its earliest dates are cancelled (found by a hunt: the SQL text was cut and every later run failed)', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    const lakeDir = path.join(dir, 'lake');
    const customer = { id: 'RC\u0000CUST', name: 'X Y', email: 'x@y.z' };
    const placed = (i: number) => orderEvent({ event_id: uuid(900 + i), order_id: `ORD-${90000100 + i}`, status: 'PLACED', event_time: `2026-10-0${i + 1}T10:00:00Z`, order_time: `2026-10-0${i + 1}T10:00:00Z`, customer, currency: 'USD',
      items: [{ product_id: 'P-H1', product_name: 'Thing', category: 'Home', quantity: 1, unit_price: 10 }], shipping_cost: 0, discount: 0, total_amount: 10 });
    const december = () => new Date('2026-12-01T00:00:00Z'); // after every event (a later one would be quarantined)
    await fs.writeFile(input, [0, 1, 2, 3, 4, 5].map((i) => JSON.stringify(placed(i))).join('\n') + '\n');
    await runLocal({ input, lakeDir, now: december });
    // The four earliest orders cancelled: every kept earliest date is gone, so its dates are recomputed from the order state.
    await fs.appendFile(input, [0, 1, 2, 3].map((i) => JSON.stringify({ ...placed(i), event_id: uuid(950 + i), status: 'CANCELLED', event_time: '2026-11-20T10:00:00Z' })).join('\n') + '\n');
    const second = await runLocal({ input, lakeDir, now: december });
    expect(second.gold?.run).toBe(2);
    expect((await rows(lakeDir, 'customer_spend')).map((r) => [r['customer_id'], r['orders'], r['first_order_date'], r['last_order_date']]))
      .toEqual([['RC\u0000CUST', 2, '2026-10-05', '2026-10-06']]);
  }, 120_000);
});
