import { groupRewrites, incomingOrders, planRun, isIdle, type PlanInput, type RewritePlan } from '../../src/gold/plan';
import { emptyManifest, type GoldManifest } from '../../src/gold/state';
import { GOLD_TABLES } from '../../src/gold/tables';
import { emptyCounts } from '../../src/silver/refine';
import type { BatchCommit } from '../../src/pipeline/ports';
import type { WorkRange } from '../../src/gold/ranges';

const ALL = new Set(GOLD_TABLES.map((t) => t.name));
const range = (lo: string, hi: string, orders = 1000): WorkRange => ({ month: lo.slice(0, 7), lo, hi, orders, files: {} });
const commit = (partition: string, seq: number, orderDates: string[], extra: Partial<BatchCommit> = {}): BatchCommit => ({
  batchId: `p${partition}-${seq}`, partition, seq, sequences: [[seq, seq]], bronzeFile: 'b', files: [], orderDates, dataQuality: [],
  counts: { ...emptyCounts(), received: 10, written: 10 }, committedAt: '2026-03-05T00:00:00.000Z', ...extra,
});
const manifest: GoldManifest = { ...emptyManifest(), runs: 7, positions: { 0: 3 }, ranges: [range('2026-02-01', '2026-02-28'), range('2026-03-01', '2026-03-31')] };
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  manifest, firstBuild: false, fresh: [], allDates: [], existingTables: ALL, asOf: null, limits: { maxOrders: 100_000, minOrders: 10 }, now: new Date('2026-03-06T00:00:00Z'), ...over,
});
const tables = (p: ReturnType<typeof planRun>) => p.tables.map((t) => `${t.name}${t.full ? ' (full)' : ''}`);

describe('isIdle', () => {
  it('is idle without new commits, missing tables or a new as-of date', () => {
    expect(isIdle(input())).toBe(true);
    expect(isIdle(input({ fresh: [commit('0', 4, ['2026-03-02'])] }))).toBe(false);
    expect(isIdle(input({ existingTables: new Set([...ALL].filter((t) => t !== 'hourly_sales')) }))).toBe(false);
    expect(isIdle(input({ asOf: '2026-03-01' }))).toBe(false);
    expect(isIdle(input({ firstBuild: true }))).toBe(false);
  });
});

describe('planRun', () => {
  it('merges new events into the range of their date and publishes what that date reaches', () => {
    const p = planRun(input({ fresh: [commit('0', 4, ['2026-03-02']), commit('1', 1, ['2026-03-04'])] }));
    expect(p.run).toBe(8);
    expect(p.rewrites).toEqual([{ month: '2026-03', replaces: [manifest.ranges[1]], lo: '2026-03-01', hi: '2026-03-31', rebuild: false }]);
    expect([p.years, p.months, p.customers]).toEqual([['2026'], ['2026-03'], true]);
    expect(tables(p)).toEqual(GOLD_TABLES.map((t) => t.name));
    expect(p.positions).toEqual({ 0: 4, 1: 1 });
    expect(p.runRecord).toMatchObject({ run: 8, batches: 2, replayedBatches: 0, received: 20, written: 20 });
    expect(p.ordersToRewrite).toBe(1000); // March's range, rewritten whole
    expect(planRun(input({ fresh: [commit('0', 4, ['2026-02-02', '2026-03-02'])] })).ordersToRewrite).toBe(2000);
  });

  it('rebuilds from silver the dates a replay touched, and counts the replay net', () => {
    const replaced = { committedAt: 'x', counts: { ...emptyCounts(), received: 10, written: 8 }, dataQuality: [], files: [], orderDates: ['2026-02-10'] };
    const p = planRun(input({ fresh: [commit('0', 4, ['2026-02-10'], { replaces: replaced })] }));
    expect(p.rewrites.map((r) => [r.month, r.rebuild])).toEqual([['2026-02', true]]);
    expect(p.runRecord).toMatchObject({ batches: 0, replayedBatches: 1, received: 0, written: 2 });
  });

  it('builds everything from silver on a first build', () => {
    const p = planRun(input({ firstBuild: true, manifest: emptyManifest(), allDates: ['2026-01-05', '2026-01-09', '2026-02-01'] }));
    expect(p.rewrites).toEqual([
      { month: '2026-01', replaces: [], lo: '2026-01-05', hi: '2026-01-09', rebuild: true },
      { month: '2026-02', replaces: [], lo: '2026-02-01', hi: '2026-02-01', rebuild: true },
    ]);
    expect(p.tables.every((t) => t.full)).toBe(true);
    expect(p.run).toBe(1);
  });

  it('publishes a missing table whole from the work data, and only it, when nothing else changed', () => {
    const p = planRun(input({ existingTables: new Set([...ALL].filter((t) => t !== 'order_status_history')) }));
    expect([p.rewrites, tables(p), p.runRecord]).toEqual([[], ['order_status_history (full)'], undefined]);
  });

  it('republishes only rfm_segments for a new as-of date', () => {
    expect(tables(planRun(input({ asOf: '2026-03-01' })))).toEqual(['rfm_segments']);
  });
});

describe('planRun with a fold policy', () => {
  const fold = { hotFrom: '2026-03-01', coldOrdersPerRun: 1500 };
  const three: GoldManifest = { ...manifest, cursor: 'b100', ranges: [range('2026-01-01', '2026-01-31'), range('2026-02-01', '2026-02-28'), range('2026-03-01', '2026-03-31')] };

  it('applies hot dates at once, defers cold ones and stages their new rows; the hot ranges count against the budget first', () => {
    const fresh = [commit('0', 4, ['2026-03-02']), commit('0', 5, ['2026-01-05', '2026-02-10'])];
    const at = '2026-03-06T00:00:00.000Z';
    // March's range (1,000 orders, rewritten for the hot date) fills a budget of 1,000: no fold.
    const full = planRun(input({ manifest: three, fold: { ...fold, coldOrdersPerRun: 1000 }, fresh }));
    expect(full.rewrites.map((r) => [r.lo, r.hi, r.staged ?? null])).toEqual([['2026-03-01', '2026-03-31', null]]);
    expect(full.deferred).toEqual([{ date: '2026-01-05', since: 8, at }, { date: '2026-02-10', since: 8, at }]);
    expect([full.stage, full.keepStagedFrom, full.ordersToRewrite]).toEqual([['2026-01-05', '2026-02-10'], 8, 1000]);
    // Under the budget: at least the oldest deferred date, here January's (deferred now, the earliest date).
    const p = planRun(input({ manifest: three, fold: { ...fold, coldOrdersPerRun: 1500 }, fresh }));
    expect(p.rewrites.map((r) => [r.lo, r.hi, r.staged ?? null])).toEqual([['2026-01-01', '2026-01-31', [{ date: '2026-01-05', since: 8 }]], ['2026-03-01', '2026-03-31', null]]);
    expect(p.deferred).toEqual([{ date: '2026-02-10', since: 8, at }]);
    expect([p.stage, p.keepStagedFrom]).toEqual([['2026-02-10'], 8]);
    expect(p.positions).toEqual({ 0: 5 });
    expect(p.ordersToRewrite).toBe(2000);
    // A date waiting for over a day is folded however full the budget (the policy's overdueBefore).
    const waited = planRun(input({ manifest: { ...three, deferred: [{ date: '2026-02-10', since: 3, at: '2026-03-04T00:00:00.000Z' }] }, fold: { ...fold, coldOrdersPerRun: 1000, overdueBefore: '2026-03-05T00:00:00.000Z' }, fresh: [commit('0', 4, ['2026-03-02'])] }));
    expect([waited.rewrites.map((r) => r.lo), waited.deferred]).toEqual([['2026-02-01', '2026-03-01'], []]);
  });

  it("starts today's range on the first run of a day instead of rewriting yesterday's, and counts it before folding", () => {
    // At 1,000 events/s every date is a range of about 23 million orders.
    const D = 23_000_000;
    const days: GoldManifest = { ...manifest, runs: 9, ranges: ['01', '02', '03', '04'].map((d) => range(`2026-03-${d}`, `2026-03-${d}`, D)), deferred: [{ date: '2026-03-01', since: 5, at: '2026-03-04T06:00:00.000Z' }] };
    const at = new Date('2026-03-05T00:05:00Z');
    const p = planRun(input({ manifest: days, now: at, limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-05', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 4, ['2026-03-04', '2026-03-05'])] }));
    // Today's range is new (nothing of its budget spent): the oldest waiting date is folded; yesterday waits.
    expect(p.rewrites.map((r) => [r.lo, r.hi, r.replaces.length])).toEqual([['2026-03-01', '2026-03-01', 1], ['2026-03-05', '2026-03-05', 0]]);
    expect([p.ordersToRewrite, p.deferred.map((d) => d.date)]).toEqual([D, ['2026-03-04']]);
    // A hot date inside a full range: that range fills the budget, and nothing is folded beside it.
    const later = planRun(input({ manifest: { ...days, ranges: [...days.ranges, range('2026-03-05', '2026-03-05', D)] }, now: at, limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-05', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 4, ['2026-03-05'])] }));
    expect([later.rewrites.map((r) => r.lo), later.ordersToRewrite]).toEqual([['2026-03-05'], D]);
    // Today's date joining yesterday's range that still has room: that range is the hot cost.
    const joined = planRun(input({ manifest: { ...days, ranges: [range('2026-03-01', '2026-03-01', D), range('2026-03-04', '2026-03-04', 6_000)] }, now: at, limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-05', coldOrdersPerRun: 5_000 }, fresh: [commit('0', 4, ['2026-03-05'])] }));
    expect([joined.rewrites.map((r) => [r.lo, r.hi]), joined.ordersToRewrite, joined.deferred.map((d) => d.date)]).toEqual([[['2026-03-04', '2026-03-05']], 6_000, ['2026-03-01']]);
  });

  it('charges a waiting date in a gap the range it joins, and counts a month being repaired before folding', () => {
    // 02-12 lies in February's gap and joins the range two days before it (1,000 orders), with its own 20.
    const gap: GoldManifest = { ...manifest, runs: 5, ranges: [range('2026-02-01', '2026-02-10'), range('2026-02-20', '2026-02-28'), range('2026-03-01', '2026-03-31')], deferred: [{ date: '2026-02-25', since: 3 }, { date: '2026-02-12', since: 4, orders: 20 }] };
    const p = planRun(input({ manifest: gap, fold: { ...fold, coldOrdersPerRun: 1500 } }));
    expect([p.rewrites.map((r) => [r.lo, r.hi]), p.ordersToRewrite, p.deferred.map((d) => d.date)]).toEqual([[['2026-02-20', '2026-02-28']], 1000, ['2026-02-12']]);
    expect(planRun(input({ manifest: gap, fold: { ...fold, coldOrdersPerRun: 2019 } })).deferred.map((d) => d.date)).toEqual(['2026-02-12']);
    const both = planRun(input({ manifest: gap, fold: { ...fold, coldOrdersPerRun: 2020 } }));
    // Both within the budget: one rewrite, as nothing untouched lies between.
    expect([both.rewrites.map((r) => [r.lo, r.hi]), both.ordersToRewrite, both.deferred]).toEqual([[['2026-02-01', '2026-02-28']], 2000, []]);
    // February's ranges overlap: its repair (2,000 orders) fills the budget, so January waits.
    const damaged: GoldManifest = { ...manifest, runs: 5, ranges: [range('2026-01-01', '2026-01-31'), range('2026-02-01', '2026-02-10'), range('2026-02-05', '2026-02-28')], deferred: [{ date: '2026-01-05', since: 3 }] };
    const repair = planRun(input({ manifest: damaged, fold: { ...fold, coldOrdersPerRun: 1500 } }));
    expect([repair.rewrites.map((r) => [r.lo, r.hi, r.rebuild]), repair.ordersToRewrite, repair.deferred.map((d) => d.date)]).toEqual([[['2026-02-01', '2026-02-28', true]], 2000, ['2026-01-05']]);
  });

  it('folds a date gold never held (an outage) as a run\'s one date while its orders are unknown, then by its staged orders; no rewrite spans a waiting date', () => {
    // At 1,000 events/s, a date a range each; gold was down for all of 03-07, which has none.
    const D = 23_000_000;
    const days: GoldManifest = { ...manifest, runs: 9, ranges: ['01', '02', '03', '04', '05', '06'].map((d) => range(`2026-03-${d}`, `2026-03-${d}`, D)) };
    const dates = ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2026-03-${d}`);
    const p = planRun(input({ manifest: days, now: new Date('2026-03-08T00:05:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 4, dates)] }));
    // Today and one older date (the oldest), not 03-07's whole day beside them.
    expect([p.rewrites.map((r) => [r.lo, r.hi, r.replaces.length]), p.ordersToRewrite]).toEqual([[['2026-03-01', '2026-03-01', 1], ['2026-03-08', '2026-03-08', 0]], D]);
    expect(p.deferred.map((d) => d.date)).toEqual(dates.slice(1, 7));
    // Gold down from 03-05 to 03-07: the first of them is the run's one date, and no rewrite
    // spans the others (from 03-05 to today's 03-08 one would have folded them, uncounted).
    const fourDays: GoldManifest = { ...days, ranges: days.ranges.slice(0, 4) };
    const back = planRun(input({ manifest: fourDays, now: new Date('2026-03-08T00:05:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 4, dates.slice(4))] }));
    expect([back.rewrites.map((r) => [r.lo, r.hi, r.replaces.length]), back.deferred.map((d) => d.date)]).toEqual([[['2026-03-05', '2026-03-05', 0], ['2026-03-08', '2026-03-08', 0]], ['2026-03-06', '2026-03-07']]);
    // Later, today's range (40,000 orders) has room: a waiting day would join it, but its own
    // staged orders (23 million) count, so one such day a run.
    const later = planRun(input({ manifest: { ...fourDays, runs: 12, ranges: [...fourDays.ranges, range('2026-03-05', '2026-03-05', D), range('2026-03-08', '2026-03-08', 40_000)], deferred: ['06', '07'].map((d) => ({ date: `2026-03-${d}`, since: 10, orders: D })) }, now: new Date('2026-03-08T01:00:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 9, ['2026-03-08'])] }));
    // (03-07 waits between 03-06 and today: two rewrites, none spanning it.)
    expect([later.rewrites.map((r) => [r.lo, r.hi, r.replaces.length]), later.deferred.map((d) => d.date)]).toEqual([[['2026-03-06', '2026-03-06', 0], ['2026-03-08', '2026-03-08', 1]], ['2026-03-07']]);
    // A waiting date this run's commits touch costs what is unknown (the fold also merges this
    // run's rows of it: a day's bulk after an outage); 03-05 is a run's one date, 03-06 waits.
    const bulk = planRun(input({ manifest: { ...fourDays, runs: 12, ranges: [...fourDays.ranges, range('2026-03-08', '2026-03-08', 40_000)], deferred: ['05', '06'].map((d) => ({ date: `2026-03-${d}`, since: 10, orders: 1000 })) }, now: new Date('2026-03-08T01:00:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 9, ['2026-03-05', '2026-03-06', '2026-03-08'])] }));
    expect([bulk.rewrites.map((r) => [r.lo, r.hi]), bulk.deferred.map((d) => d.date)]).toEqual([[['2026-03-05', '2026-03-05'], ['2026-03-08', '2026-03-08']], ['2026-03-06']]);
    // Untouched this run, both are charged their staged 1,000 and fold together.
    const quiet = planRun(input({ manifest: { ...fourDays, runs: 12, ranges: [...fourDays.ranges, range('2026-03-08', '2026-03-08', 40_000)], deferred: ['05', '06'].map((d) => ({ date: `2026-03-${d}`, since: 10, orders: 1000 })) }, now: new Date('2026-03-08T01:00:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 9, ['2026-03-08'])] }));
    expect([quiet.rewrites.map((r) => [r.lo, r.hi]), quiet.deferred]).toEqual([[['2026-03-05', '2026-03-08']], []]);
    // Marked for a rebuild (a replay touched it), it is read whole from silver: unknown again.
    const rebuilt = planRun(input({ manifest: { ...fourDays, runs: 12, ranges: [...fourDays.ranges, range('2026-03-08', '2026-03-08', 40_000)], deferred: [{ date: '2026-03-05', since: 10, orders: 1000 }, { date: '2026-03-06', since: 10, orders: 1000, rebuild: true }] }, now: new Date('2026-03-08T01:00:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 5_000_000 }, fresh: [commit('0', 9, ['2026-03-08'])] }));
    expect(rebuilt.deferred.map((d) => d.date)).toEqual(['2026-03-06']);
    // A waiting date touched again keeps its count (the run adds what it stages); 03-01 folds first.
    const touched = planRun(input({ manifest: { ...fourDays, runs: 12, deferred: [{ date: '2026-03-01', since: 9 }, { date: '2026-03-07', since: 10, orders: 7 }] }, now: new Date('2026-03-08T01:00:00Z'), limits: { maxOrders: 50_000, minOrders: 5_000 }, fold: { hotFrom: '2026-03-08', coldOrdersPerRun: 1 }, fresh: [commit('0', 9, ['2026-03-01', '2026-03-07'])] }));
    expect(touched.deferred.find((d) => d.date === '2026-03-07')).toEqual({ date: '2026-03-07', since: 10, orders: 7 });
  });

  it('is not idle while dates wait, and folds them from the changes staged since the oldest, oldest first', () => {
    const waiting: GoldManifest = { ...three, positions: { 0: 5 }, deferred: [{ date: '2026-02-10', since: 8 }, { date: '2026-01-05', since: 9 }] };
    expect(isIdle(input({ manifest: waiting, fold }))).toBe(false);
    const p = planRun(input({ manifest: waiting, fold: { ...fold, coldOrdersPerRun: 1000 } }));
    expect(p.rewrites.map((r) => [r.lo, r.rebuild, r.staged])).toEqual([['2026-02-01', false, [{ date: '2026-02-10', since: 8 }]]]);
    expect(p.deferred).toEqual([{ date: '2026-01-05', since: 9 }]);
    // Nothing new to stage; January still needs what runs 9 and later staged.
    expect([p.stage, p.keepStagedFrom]).toEqual([[], 9]);
    const all = planRun(input({ manifest: waiting, fold: { ...fold, coldOrdersPerRun: 10_000 } }));
    expect([all.rewrites.map((r) => r.staged), all.deferred, all.keepStagedFrom]).toEqual([[[{ date: '2026-01-05', since: 9 }], [{ date: '2026-02-10', since: 8 }]], [], undefined]);
  });

  it('rebuilds from silver a waiting date that a replay touched, and stages nothing for it', () => {
    const replay = { committedAt: 'x', counts: emptyCounts(), dataQuality: [], files: [], orderDates: ['2026-02-10'] };
    const waiting: GoldManifest = { ...three, runs: 9, positions: { 0: 5 }, deferred: [{ date: '2026-02-10', since: 8 }] };
    const touched = planRun(input({ manifest: waiting, fold: { ...fold, coldOrdersPerRun: 1 }, fresh: [commit('0', 6, ['2026-01-05']), commit('0', 7, ['2026-02-10'], { replaces: replay })] }));
    // February waits on (oldest), marked, and is folded (one date a run); January waits behind it, its new rows staged.
    expect(touched.rewrites.map((r) => [r.lo, r.rebuild, r.staged ?? null])).toEqual([['2026-02-01', true, null]]);
    expect([touched.deferred, touched.stage]).toEqual([[{ date: '2026-01-05', since: 10, at: '2026-03-06T00:00:00.000Z' }], ['2026-01-05']]);
    const later = planRun(input({ manifest: { ...waiting, runs: 9, deferred: [{ date: '2026-02-10', since: 8, rebuild: true }, { date: '2026-01-05', since: 9 }] }, fold: { ...fold, coldOrdersPerRun: 1 } }));
    expect(later.rewrites.map((r) => [r.lo, r.rebuild, r.staged ?? null])).toEqual([['2026-02-01', true, null]]);
    expect([later.stage, later.keepStagedFrom]).toEqual([[], 9]);
  });

  it('rebuilds from silver a date deferred by a version that folded from the commit log', () => {
    const legacy: GoldManifest = { ...three, deferred: [{ date: '2026-02-10', since: 8, cursor: 'b100', after: { 0: 3 } }] };
    const p = planRun(input({ manifest: legacy, fold }));
    expect(p.rewrites.map((r) => [r.lo, r.rebuild, r.staged ?? null])).toEqual([['2026-02-01', true, null]]);
    expect(p.deferred).toEqual([]);
  });

  it('folds every waiting date without a policy (a lake another runner deferred on)', () => {
    const waiting: GoldManifest = { ...three, deferred: [{ date: '2026-02-10', since: 8 }, { date: '2026-01-05', since: 9 }] };
    const p = planRun(input({ manifest: waiting, fresh: [commit('0', 6, ['2026-03-02'])] }));
    expect(p.rewrites.map((r) => [r.lo, r.staged ?? null])).toEqual([['2026-01-01', [{ date: '2026-01-05', since: 9 }]], ['2026-02-01', [{ date: '2026-02-10', since: 8 }]], ['2026-03-01', null]]);
    expect([p.deferred, p.stage, p.keepStagedFrom]).toEqual([[], [], undefined]);
  });

  it('defers nothing on a first build', () => {
    const p = planRun(input({ firstBuild: true, manifest: emptyManifest(), fold, allDates: ['2026-01-05', '2026-03-02'] }));
    expect([p.rewrites.length, p.deferred]).toEqual([2, []]);
  });
});

describe('planRun on a manifest whose ranges overlap', () => {
  it('rebuilds each such month from silver whole, changed or not, and plans the other months as usual', () => {
    const overlapping: GoldManifest = { ...manifest, ranges: [range('2026-02-01', '2026-02-10'), range('2026-02-05', '2026-02-28'), range('2026-03-01', '2026-03-31')] };
    const p = planRun(input({ manifest: overlapping, fresh: [commit('0', 4, ['2026-03-02'])] }));
    expect(p.rewrites).toEqual([
      { month: '2026-02', replaces: [overlapping.ranges[0], overlapping.ranges[1]], lo: '2026-02-01', hi: '2026-02-28', rebuild: true },
      { month: '2026-03', replaces: [overlapping.ranges[2]], lo: '2026-03-01', hi: '2026-03-31', rebuild: false },
    ]);
    expect(p.months).toEqual(['2026-02', '2026-03']);
    expect([p.rebuildCustomers, planRun(input({ fresh: [commit('0', 4, ['2026-03-02'])] })).rebuildCustomers]).toEqual([true, false]);
    // Not idle without a change: the repair does not wait for one.
    expect([isIdle(input({ manifest: overlapping })), isIdle(input())]).toEqual([false, true]);
  });
});

describe('groupRewrites', () => {
  const rewrite = (lo: string, hi: string, replaced: number[], rebuild = false): RewritePlan => ({
    month: lo.slice(0, 7), lo, hi, rebuild, replaces: replaced.map((n, i) => range(lo, i ? hi : lo, n)),
  });

  it('takes merges together, in plan order, while the orders they replace stay within the limit', () => {
    const a = rewrite('2026-01-20', '2026-01-31', [300]);
    const b = rewrite('2026-02-01', '2026-02-10', [400, 300]);
    const c = rewrite('2026-02-20', '2026-02-21', []);
    const d = rewrite('2026-03-01', '2026-03-02', [1]);
    // a + b = 1,000 fits; c replaces nothing (new dates); d would make 1,001.
    expect(groupRewrites([a, b, c, d], 1000)).toEqual([[a, b, c], [d]]);
    // A range over the limit alone goes alone, and so does what comes after it.
    const big = rewrite('2026-04-01', '2026-04-01', [5000]);
    expect(groupRewrites([a, big, d], 1000)).toEqual([[a], [big], [d]]);
  });

  it('counts the orders a merge may take in against the limit too', () => {
    const a = rewrite('2026-01-20', '2026-01-31', [300]);
    const b = rewrite('2026-02-01', '2026-02-10', [300]);
    const incoming = (rw: RewritePlan) => (rw === b ? 401 : 0);
    expect(groupRewrites([a, b], 1000, incoming)).toEqual([[a], [b]]);
    expect(groupRewrites([a, b], 1001, incoming)).toEqual([[a, b]]);
    expect(groupRewrites([a, b], 1000, () => Infinity)).toEqual([[a], [b]]);
  });

  it('puts a rebuild alone', () => {
    const a = rewrite('2026-01-01', '2026-01-31', [10]);
    const r = rewrite('2026-02-01', '2026-02-28', [10], true);
    const r2 = rewrite('2026-03-01', '2026-03-31', [10], true);
    const b = rewrite('2026-04-01', '2026-04-30', [10]);
    expect(groupRewrites([a, r, r2, b], 1000)).toEqual([[a], [r], [r2], [b]]);
    expect(groupRewrites([], 1000)).toEqual([]);
  });
});

describe('incomingOrders', () => {
  const rw: RewritePlan = { month: '2026-02', lo: '2026-02-01', hi: '2026-02-10', rebuild: false, replaces: [] };
  const written = (n: number, dates: string[]) => commit('0', n, dates, { counts: { ...emptyCounts(), received: n, written: n } });

  it('sums the events written by the new commits that touch its dates', () => {
    expect(incomingOrders(rw, [written(5, ['2026-01-31', '2026-02-03']), written(7, ['2026-01-30']), written(11, ['2026-02-10'])], [])).toBe(16);
  });

  it('adds the orders staged for the waiting dates it folds, unbounded when one is unknown', () => {
    const folding = { ...rw, staged: [{ date: '2026-02-04', since: 3 }, { date: '2026-02-05', since: 4 }] };
    const waiting = [{ date: '2026-02-04', since: 3, orders: 20 }, { date: '2026-02-05', since: 4, orders: 2 }, { date: '2026-02-06', since: 4, orders: 1000 }];
    expect(incomingOrders(folding, [written(5, ['2026-02-01'])], waiting)).toBe(27);
    expect(incomingOrders(folding, [], waiting.slice(0, 1))).toBe(Infinity);
  });
});
