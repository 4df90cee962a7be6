// Gold keeps its work data (order state, events, current lines, rollups) in date ranges: each
// range holds consecutive order dates of one month and at most a target number of orders. A
// sparse month is one range (few files); a dense month splits, so rewriting the range of a
// changed date costs at most the target, however old or large the lake is. Pure functions:
// which ranges a change rewrites, and how the rewritten dates are cut into ranges again.

/** Order dates lo..hi, inclusive (YYYY-MM-DD). */
export interface DateSpan {
  lo: string;
  hi: string;
}

export interface WorkRange {
  /** YYYY-MM: a range never crosses a month (month partitions map to whole ranges). */
  month: string;
  /** First and last order_date the range may hold (inclusive, YYYY-MM-DD). */
  lo: string;
  hi: string;
  /** Orders in the range. */
  orders: number;
  /** Work files of the range, by kind (orders, events, lines, region, hour, category, product), and its range tables' files (relative to the table). */
  files: Record<string, string>;
  /** Size and rows of the range tables' files (a table published whole later needs them). */
  outputs?: Record<string, { size: number; numRecords: number; stats?: string }>;
}

export interface RangeRewrite {
  month: string;
  /** The existing ranges replaced (their dates are rebuilt together with the changed ones). */
  replaces: WorkRange[];
  /** Order dates the new ranges must cover: every date of the replaced ranges and the changed dates. */
  lo: string;
  hi: string;
}

/**
 * Which ranges the changed dates reach, month by month. A changed date inside a range rewrites
 * that range; a date in a month's gap joins the nearer of the ranges either side that still has
 * room (fewer than `maxOrders` orders), or starts one: joining a full range would rewrite all of it
 * only for the rewrite to cut the new date off again (at 1,000 events/s, today's first run
 * rewrote yesterday's 23 million orders). A small range beside a rewritten one is folded in,
 * so months do not fragment over time. No rewrite spans a date of `keepOut` (dates left
 * waiting by the fold policy): it would fold them uncounted.
 */
export function planRewrites(ranges: readonly WorkRange[], changedDates: Iterable<string>, minOrders: number, maxOrders = Infinity, keepOut: ReadonlySet<string> = new Set()): RangeRewrite[] {
  const byMonth = new Map<string, string[]>();
  for (const d of changedDates) {
    const m = d.slice(0, 7);
    let list = byMonth.get(m);
    if (!list) byMonth.set(m, (list = []));
    list.push(d);
  }
  const out: RangeRewrite[] = [];
  for (const [month, dates] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
    const inMonth = ranges.filter((r) => r.month === month).sort((a, b) => a.lo.localeCompare(b.lo));
    const chosen = new Set<WorkRange>();
    for (const d of dates) {
      const joins = inMonth.find((r) => r.lo <= d && d <= r.hi) ?? neighbourWithRoom(inMonth, d, maxOrders);
      if (joins) chosen.add(joins);
    }
    // Fold small neighbours into a rewrite that happens anyway: cheap, and the month stays in few files.
    for (const r of [...chosen]) {
      const i = inMonth.indexOf(r);
      for (const n of [inMonth[i - 1], inMonth[i + 1]]) if (n && n.orders < minOrders) chosen.add(n);
    }
    out.push(...segments(inMonth, chosen, dates, month, keepOut));
  }
  return out;
}

/**
 * The month's rewrites: the chosen ranges and changed dates in date order, cut wherever a range
 * left alone, or a date of `keepOut` (one left waiting), lies between two of them. A rewrite's
 * new ranges cover its whole span, so a span over an untouched range would give that range's
 * dates two ranges (and their orders two states after a later change), and a span over a
 * waiting date would fold it.
 */
function segments(inMonth: readonly WorkRange[], chosen: ReadonlySet<WorkRange>, dates: readonly string[], month: string, keepOut: ReadonlySet<string>): RangeRewrite[] {
  const items = [
    ...inMonth.filter((r) => chosen.has(r)).map((r) => ({ lo: r.lo, hi: r.hi, range: r as WorkRange | undefined })),
    ...dates.map((d) => ({ lo: d, hi: d, range: undefined as WorkRange | undefined })),
  ].sort((a, b) => a.lo.localeCompare(b.lo) || b.hi.localeCompare(a.hi));
  const out: RangeRewrite[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    const between = last && (inMonth.some((r) => !chosen.has(r) && r.lo > last.hi && r.hi < item.lo) || [...keepOut].some((d) => d > last.hi && d < item.lo));
    if (last && !between) {
      if (item.hi > last.hi) last.hi = item.hi;
      if (item.range) last.replaces.push(item.range);
    } else out.push({ month, replaces: item.range ? [item.range] : [], lo: item.lo, hi: item.hi });
  }
  return out;
}

/**
 * Months in which two ranges claim the same date: manifests written before planRewrites cut
 * its rewrites at untouched ranges could hold them, and the orders of such dates may have two
 * states in the work data. Such a month is rebuilt from silver whole.
 */
export function overlappingMonths(ranges: readonly WorkRange[]): Set<string> {
  const out = new Set<string>();
  const byMonth = new Map<string, WorkRange[]>();
  for (const r of ranges) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
  for (const [month, list] of byMonth) {
    const sorted = [...list].sort((a, b) => a.lo.localeCompare(b.lo));
    if (sorted.some((r, i) => i > 0 && r.lo <= sorted[i - 1]!.hi)) out.add(month);
  }
  return out;
}

/**
 * The range a date in a month's gap joins: of the two ranges either side of it (`inMonth` sorted,
 * ranges apart), the nearer one with fewer than `maxOrders` orders; none when both are full or
 * absent. Only those two: joining a range further off would span the full one between.
 */
function neighbourWithRoom(inMonth: readonly WorkRange[], d: string, maxOrders: number): WorkRange | undefined {
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
  const before = inMonth.filter((r) => r.hi < d).at(-1);
  const after = inMonth.find((r) => r.lo > d);
  const gapBefore = before && before.orders < maxOrders ? day(d) - day(before.hi) : Infinity;
  const gapAfter = after && after.orders < maxOrders ? day(after.lo) - day(d) : Infinity;
  if (gapBefore === Infinity && gapAfter === Infinity) return undefined;
  return gapBefore <= gapAfter ? before : after;
}

/**
 * Cuts the dates of a rewrite into ranges of at most `maxOrders` orders each, at date
 * boundaries (a single date larger than that is a range alone). `counts` are the orders per
 * date after the rewrite, in date order; dates without orders are left out of every range.
 * The ranges cover [lo, hi] without gaps, so a later change to a date between two ranges
 * still finds one.
 */
export function cutRanges(lo: string, hi: string, counts: ReadonlyArray<readonly [string, number]>, maxOrders: number): Array<{ lo: string; hi: string; orders: number }> {
  const out: Array<{ lo: string; hi: string; orders: number }> = [];
  for (const [date, n] of counts) {
    if (date < lo || date > hi) throw new Error(`expected order dates within ${lo}..${hi} for this rewrite, got ${date}`);
    const last = out[out.length - 1];
    if (last && last.orders + n <= maxOrders) {
      last.hi = date;
      last.orders += n;
    } else out.push({ lo: date, hi: date, orders: n });
  }
  if (!out.length) return [];
  out[0]!.lo = lo;
  out[out.length - 1]!.hi = hi;
  // Each range starts the day after the previous one ends: no gap for a later date to fall in.
  for (let i = 1; i < out.length; i++) out[i]!.lo = nextDay(out[i - 1]!.hi);
  return out;
}

function nextDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
