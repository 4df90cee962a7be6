import { existsSync, promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { buildReport, productLabel, monthLabel, DAILY_DATES } from '../../src/report/build-report';
import { exportTable } from '../../src/gold/export';
import { pipelineStats } from '../../src/pipeline/stats';
import { tickLabel, labelValue } from '../../src/report/ticks';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';

type Row = Record<string, string | number | null>;

// Five lakes: the hand-computed gold dataset (with two warnings added), a realistic one from
// the producer (five regions, six months, long product names), and three with nothing to chart:
// no records at all, records but no gold run, gold built from records none of which is an order.
let dir: string;
const lake = { small: '', realistic: '', noRecords: '', noGold: '', noOrders: '' };
const REALISTIC_END = new Date('2026-11-21T00:00:00Z');

/**
 * The gold dataset with both warn codes on order 1's PLACED event: a bad email and a total
 * 1.00 off. Its later events make the order's state, so no gold figure moves.
 */
function smallLines(): string[] {
  return goldLines().map((line) => {
    if (!line.includes('"order_id":"ORD-000001"') || !line.includes('"status":"PLACED"')) return line;
    const e = JSON.parse(line) as Record<string, unknown>;
    return JSON.stringify({ ...e, customer: { ...(e['customer'] as object), email: 'not-an-email' }, total_amount: 26 });
  });
}

async function makeLake(name: string, lines: string[], opts: { now?: Date; gold?: boolean } = {}): Promise<string> {
  const lakeDir = path.join(dir, name);
  await fs.writeFile(path.join(dir, `${name}.jsonl`), lines.join('\n') + '\n');
  await runLocal({ input: path.join(dir, `${name}.jsonl`), lakeDir, now: () => opts.now ?? GOLD_NOW, batchSize: 5, gold: opts.gold ?? true });
  return lakeDir;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'orderlake-report-'));
  lake.small = await makeLake('small', smallLines());
  lake.noGold = await makeLake('no-gold', smallLines(), { gold: false });
  const testOrder = goldLines().find((l) => l.includes('"TEST-1"'))!;
  lake.noOrders = await makeLake('no-orders', ['{"order_id": "ORD-000010", "status": "PLACED", oops', testOrder]);
  lake.noRecords = path.join(dir, 'no-records');
  await fs.mkdir(lake.noRecords);
  const realistic = [...generateEvents({ ...DEFAULT_STREAM, seed: 42, events: 8000, days: 150, end: REALISTIC_END })];
  const lakeDir = path.join(dir, 'realistic');
  await fs.writeFile(path.join(dir, 'realistic.jsonl'), realistic.join('\n') + '\n');
  await runLocal({ input: path.join(dir, 'realistic.jsonl'), lakeDir, now: () => REALISTIC_END });
  lake.realistic = lakeDir;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(lakeDir: string) {
  const { lake: l, state } = openLocalLake(lakeDir);
  return buildReport({ lake: l, commits: state.commits, documents: state.documents, now: new Date('2026-03-10T12:00:00Z') });
}

async function exported(lakeDir: string, table: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const l of exportTable(openLocalLake(lakeDir).lake, table)) out.push(JSON.parse(l) as Row);
  return out;
}

const CHARTS = ['monthly-revenue', 'monthly-orders', 'monthly-rates', 'daily-region', 'top-products', 'top-categories', 'rfm-segments'];

describe('buildReport', () => {
  it('computes the key figures over all months from monthly_revenue', async () => {
    const r = await report(lake.small);
    // 625.00 + 76.20 + 0.00 gross; 8 orders, 2 cancelled, 1 returned; AOV 701.20 / 6
    expect(r.kpis).toEqual({ grossCents: 70120, orders: 8, aovCents: 11687, returnRatePct: 12.5, cancellationRatePct: 25 });
    expect(r.empty).toBeNull();
    expect(r.html).toContain('data-testid="kpi-revenue" data-value="701.2"');
    expect(r.html).toContain('<div class="kpi-value">$116.87</div>');
  });

  it('is self-contained: no script, no link, no external reference, and a CSP that forbids requests', async () => {
    const { html } = await report(lake.small);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('draws one monthly bar per month with the export\'s value', async () => {
    const { html } = await report(lake.small);
    const chart = /data-testid="monthly-revenue"[\s\S]*?<\/svg><\/div>/.exec(html)![0];
    const drawn = [...chart.matchAll(/data-label="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]);
    const rows = (await exported(lake.small, 'monthly_revenue')).map((r) => [monthLabel(r['order_year'], r['order_month']), r['gross_revenue_usd']]);
    expect(drawn).toEqual(rows);
    expect(rows).toEqual([['2026-01', 625], ['2026-02', 76.2], ['2026-03', 0]]);
  });

  it('lists warn codes next to quarantine and drop codes, with the counts of stats', async () => {
    const { html } = await report(lake.small);
    const listed = [...html.matchAll(/data-code="([a-z_]+)" data-action="([a-z]+)"><th>[a-z_]+<\/th><td class="num total" data-value="(\d+)"/g)].map((m) => [m[1], m[2], Number(m[3])]);
    expect(listed).toEqual([['malformed_json', 'quarantine', 1], ['test_order', 'drop', 1], ['duplicate_event', 'drop', 1], ['total_mismatch', 'warn', 1], ['invalid_email', 'warn', 1]]);
    const stats = await pipelineStats(openLocalLake(lake.small).state.commits);
    expect(Object.fromEntries(listed.map(([code, , n]) => [code, n]))).toEqual(stats.codes);
  });

  it('says why a lake without records has nothing to chart, chart by chart', async () => {
    const r = await report(lake.noRecords);
    expect(r.empty).toBe('no-records');
    expect(r.html).toContain('<div class="empty-lake" data-testid="empty-lake" role="status"><h2>No data yet</h2><p>This lake has received no records and has no gold tables.');
    expect(r.html).toContain('<div class="chart no-data" data-testid="monthly-revenue" data-empty="true"><p>No data yet: gold table monthly_revenue does not exist yet</p></div>');
    expect(r.html).toContain('<div class="chart no-data" data-testid="dq-flow" data-empty="true"><p>No data yet: no record has been received</p></div>');
    for (const id of CHARTS) expect(r.html).toContain(`data-testid="${id}" data-empty="true"`);
    expect(r.html).not.toMatch(/class="grid"|class="bar"|y-tick/);
    expect(r.kpis).toEqual({ grossCents: 0, orders: 0, aovCents: null, returnRatePct: null, cancellationRatePct: null });
  });

  it('says when records came in but gold has not been built', async () => {
    const r = await report(lake.noGold);
    expect(r.empty).toBe('no-gold');
    expect(r.html).toContain('<p>24 records received, but the gold tables have not been built yet: run <code>orderlake gold --lake &lt;dir&gt;</code>, then write the report again.</p>');
    for (const id of CHARTS) expect(r.html).toContain(`data-testid="${id}" data-empty="true"`);
  });

  it('says when gold exists but holds no order, and still shows where the records went', async () => {
    expect(await exported(lake.noOrders, 'monthly_revenue')).toEqual([]);
    const r = await report(lake.noOrders);
    expect(r.empty).toBe('no-orders');
    expect(r.html).toContain('<p>The gold tables hold no orders: none of the 2 records received reached silver (see data quality below).</p>');
    expect(r.html).toContain('<div class="chart no-data" data-testid="top-products" data-empty="true"><p>No data yet: product_sales has no rows</p></div>');
    for (const id of CHARTS) expect(r.html).toContain(`data-testid="${id}" data-empty="true"`);
    expect(r.html).toContain('data-testid="dq-flow" data-kind="stacked"');
  });
});

describe('productLabel', () => {
  it('is the name and the id', () => {
    expect(productLabel('Handcrafted Wooden Sausages', 'P-10008')).toBe('Handcrafted Wooden Sausages (P-10008)');
  });
});

describe('monthLabel', () => {
  it('has the year', () => {
    expect(monthLabel(2026, 6)).toBe('2026-06');
  });
});

// In a real browser: the system Chromium through playwright-core. CI (.ci/run) installs
// Debian's chromium; on a machine without it this part is skipped, except in CI.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env['CI']) throw new Error(`the report's browser test needs Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does)`);
const describeBrowser = haveBrowser ? describe : describe.skip;
const WIDTHS = [420, 1024, 1440];

describeBrowser('the report page in headless Chromium', () => {
  let browser: Browser;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    for (const [name, lakeDir] of Object.entries(lake)) {
      files[name] = path.join(dir, `${name}.html`);
      await fs.writeFile(files[name]!, (await report(lakeDir)).html);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);
  afterAll(async () => browser?.close());

  async function open(name: string, width: number): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`file://${files[name]}`);
    await page.waitForLoadState('load');
    return { page, requests };
  }

  /** Elements that reach past the viewport's sides (a table inside its scroll box may), and the page's own overflow. */
  async function overflowing(page: Page): Promise<string[]> {
    return page.$eval('html', (root) => {
      const w = root.clientWidth;
      const bad: string[] = [];
      if (root.scrollWidth > w) bad.push(`page scrollWidth ${root.scrollWidth} > ${w}`);
      for (const el of root.querySelectorAll('body *')) {
        if (el.parentElement?.closest('.scroll-x')) continue;
        const r = el.getBoundingClientRect();
        if (!r.width && !r.height) continue;
        if (r.right > w + 0.5 || r.left < -0.5) bad.push(`${el.tagName}.${el.getAttribute('class') ?? ''} "${(el.textContent ?? '').slice(0, 40)}" ${r.left.toFixed(1)}..${r.right.toFixed(1)}`);
      }
      return bad;
    });
  }

  /** Pairs of neighbouring x labels of one chart that overlap. */
  async function overlappingXLabels(page: Page): Promise<string[]> {
    return page.$$eval('.chart', (charts) => charts.flatMap((c) => {
      const ticks = [...c.querySelectorAll('.x-tick')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      return ticks.slice(1).flatMap((t, i) => (ticks[i]!.r.right > t.r.left ? [`${c.getAttribute('data-testid')}: ${ticks[i]!.text} / ${t.text}`] : []));
    }));
  }

  it('renders every chart of the small lake with the numbers of its gold exports, and makes no network request', async () => {
    const { page, requests } = await open('small', 1280);
    try {
      expect(requests).toEqual([`file://${files['small']}`]);
      const bars = await page.$$eval('[data-testid="monthly-revenue"] rect.bar', (els) => els.map((e) => ({ label: e.getAttribute('data-label'), value: Number(e.getAttribute('data-value')), h: e.getBoundingClientRect().height })));
      expect(bars.map((b) => [b.label, b.value])).toEqual([['2026-01', 625], ['2026-02', 76.2], ['2026-03', 0]]);
      expect(bars[0]!.h).toBeGreaterThan(bars[1]!.h * 7);
      expect(bars[1]!.h).toBeGreaterThan(0);
      expect(await page.textContent('[data-testid="kpi-revenue"] .kpi-value')).toBe('$701.20');
      expect(await page.textContent('[data-testid="kpi-return-rate"] .kpi-value')).toBe('12.50%');
      // RFM mix: CUST-1 At Risk, CUST-3 Hibernating, CUST-4 and CUST-5 Needs Attention.
      const segments = await page.$$eval('[data-testid="rfm-segments"] rect.bar', (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value'))]));
      expect(segments).toEqual([['Champions', 0], ['Loyal', 0], ['New', 0], ['At Risk', 1], ['Hibernating', 1], ['Needs Attention', 2]]);
      // Data quality flow: 24 received = 21 silver + 1 quarantine + 1 dropped + 1 duplicate.
      const flow = await page.$$eval('[data-testid="dq-flow"] rect.bar', (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value')), e.getBoundingClientRect().width > 0]));
      expect(flow).toEqual([['silver', 21, true], ['quarantine', 1, true], ['dropped', 1, true], ['duplicates', 1, true]]);
      // Records by code: the warn codes too, each saying it only warns; per date from gold data_quality.
      const codeRows = await page.$$eval('[data-testid="dq-by-code"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-code'), tr.querySelector('td.action')!.textContent, tr.querySelector('td.total')!.textContent]));
      expect(codeRows).toEqual([
        ['malformed_json', 'quarantine', '1'],
        ['test_order', 'drop', '1'],
        ['duplicate_event', 'drop', '1'],
        ['total_mismatch', 'warn only', '1'],
        ['invalid_email', 'warn only', '1'],
      ]);
      expect(await page.$$eval('[data-testid="dq-codes"] .legend li', (els) => els.map((e) => e.textContent)))
        .toEqual(['quarantine kept out of silver, in quarantine', 'drop discarded (test traffic, duplicates)', 'warn only kept in silver, flagged']);
      const dq = await exported(lake.small, 'data_quality');
      const cells = await page.$$eval('[data-testid="dq-by-code"] td[data-value]:not(.total)', (els) => els.map((e) => [e.getAttribute('data-code'), e.getAttribute('data-date'), Number(e.getAttribute('data-value'))]));
      expect(cells.filter((c) => c[2] !== 0).sort()).toEqual(dq.map((r) => [r['code'], r['ingest_date'], r['records']]).sort());
      // Daily revenue by region: one small chart per region, one point per order date.
      expect(await page.$$eval('[data-testid="daily-region"] figure', (els) => els.map((e) => e.getAttribute('data-series')))).toEqual(['EUROPE', 'NORTH_AMERICA']);
      expect(await page.$$eval('[data-testid="daily-region"] circle.point', (els) => els.length)).toBe(2 * 4);
      // Top categories, largest first: 650.00, 30.00, 21.20.
      expect(await page.$$eval('[data-testid="top-categories"] rect.bar', (els) => els.map((e) => e.getAttribute('data-label')))).toEqual(['Home', 'Toys', 'Books']);
      expect(await page.$$eval('[data-testid="top-products"] text.label', (els) => els.map((e) => e.textContent)))
        .toEqual(['Laptop (P3)', 'Widget A (P1)', 'Book (P2)', 'Kite (P4)', 'Yo-yo (P5)']); // 600.00, 50.00, 21.20, 15.00, 15.00
    } finally {
      await page.close();
    }
  });

  it('draws the realistic lake\'s charts with the values of its gold exports', async () => {
    const { page } = await open('realistic', 1440);
    try {
      const [monthly, daily, products, categories, rfm] = await Promise.all(['monthly_revenue', 'daily_region_metrics', 'product_sales', 'category_sales', 'rfm_segments'].map((t) => exported(lake.realistic, t)));
      const marks = (sel: string) => page.$$eval(sel, (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value'))]));
      const months = monthly!.map((r) => monthLabel(r['order_year'], r['order_month']));
      expect(months.length).toBeGreaterThanOrEqual(5);
      expect(await marks('[data-testid="monthly-revenue"] rect.bar')).toEqual(monthly!.map((r, i) => [months[i], r['gross_revenue_usd']]));
      expect(await marks('[data-testid="monthly-orders"] rect.bar')).toEqual(monthly!.map((r, i) => [months[i], r['total_orders']]));
      expect(await marks('[data-testid="monthly-rates"] circle.point[data-series="return rate"]')).toEqual(monthly!.filter((r) => r['return_rate_pct'] !== null).map((r) => [monthLabel(r['order_year'], r['order_month']), r['return_rate_pct']]));
      // Daily: every region its own chart, its points the export's revenue on the latest dates ($0 where it has no row).
      const dates = [...new Set(daily!.map((r) => String(r['order_date'])))].sort().slice(-DAILY_DATES);
      const regions = [...new Set(daily!.map((r) => String(r['region'])))].sort();
      expect(regions).toHaveLength(5);
      expect(await page.$$eval('[data-testid="daily-region"] figure', (els) => els.map((e) => e.getAttribute('data-series')))).toEqual(regions);
      for (const region of regions) {
        const want = dates.map((d) => [d, daily!.find((r) => r['order_date'] === d && r['region'] === region)?.['gross_revenue_usd'] ?? 0]);
        expect(await marks(`[data-testid="daily-region"] circle.point[data-series="${region}"]`)).toEqual(want);
      }
      // Top products: revenue per product over all months, largest first, ties by id.
      const totals = new Map<string, { name: string; cents: number }>();
      for (const r of products!) {
        const t = totals.get(String(r['product_id'])) ?? { name: String(r['product_name']), cents: 0 };
        t.cents += Math.round(Number(r['revenue_usd']) * 100);
        totals.set(String(r['product_id']), t);
      }
      const top = [...totals].sort((a, b) => b[1].cents - a[1].cents || a[0].localeCompare(b[0])).slice(0, 10);
      expect(await marks('[data-testid="top-products"] rect.bar')).toEqual(top.map(([id, t]) => [`${t.name} (${id})`, t.cents / 100]));
      const cat = new Map<string, number>();
      for (const r of categories!) cat.set(String(r['category']), (cat.get(String(r['category'])) ?? 0) + Math.round(Number(r['revenue_usd']) * 100));
      expect(await marks('[data-testid="top-categories"] rect.bar')).toEqual([...cat].sort((a, b) => b[1] - a[1]).map(([c, v]) => [c, v / 100]));
      const seg = (s: string) => rfm!.filter((r) => r['segment'] === s).length;
      expect(await marks('[data-testid="rfm-segments"] rect.bar')).toEqual(['Champions', 'Loyal', 'New', 'At Risk', 'Hibernating', 'Needs Attention'].map((s) => [s, seg(s)]));
      // Records by code: exactly the codes and counts of stats, the warn codes marked as warnings.
      const stats = await pipelineStats(openLocalLake(lake.realistic).state.commits);
      const listed = await page.$$eval('[data-testid="dq-by-code"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-code'), tr.getAttribute('data-action'), Number(tr.querySelector('td.total')!.getAttribute('data-value'))] as [string, string, number]));
      expect(Object.fromEntries(listed.map(([c, , n]) => [c, n]))).toEqual(stats.codes);
      expect(listed.filter(([, a]) => a === 'warn').map(([c]) => c)).toEqual(['total_mismatch', 'invalid_email']);
      expect(await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true })).toBeInstanceOf(Buffer);
      expect((await fs.stat(path.join(dir, 'report.png'))).size).toBeGreaterThan(50_000);
    } finally {
      await page.close();
    }
  });

  describe.each(WIDTHS)('the realistic lake at %i px', (width) => {
    let page: Page;
    beforeAll(async () => {
      page = (await open('realistic', width)).page;
    });
    afterAll(async () => page?.close());

    it('has nothing wider than the screen', async () => {
      expect(await overflowing(page)).toEqual([]);
    });

    it('wraps the key figures on a narrow screen, each number whole on one line inside its box', async () => {
      const kpis = await page.$$eval('.kpi', (els) => els.map((e) => {
        const v = e.querySelector('.kpi-value')!;
        const range = v.ownerDocument.createRange();
        range.selectNodeContents(v);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        return { top: Math.round(e.getBoundingClientRect().top), fits: v.scrollWidth <= v.clientWidth, lines };
      }));
      expect(kpis).toHaveLength(5);
      expect(kpis.map((k) => [k.fits, k.lines])).toEqual(kpis.map(() => [true, 1]));
      const rows = new Set(kpis.map((k) => k.top)).size;
      if (width === 420) expect(rows).toBeGreaterThan(1);
      else expect(rows).toBe(1);
    });

    it('shows every top product\'s full name and id, inside its chart', async () => {
      const labels = await page.$$eval('[data-testid="top-products"] text.label', (els) => {
        const box = els[0]!.closest('svg')!.getBoundingClientRect();
        return els.map((e) => {
          const r = e.getBoundingClientRect();
          return { text: e.textContent, want: e.getAttribute('data-label'), inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 };
        });
      });
      expect(labels).toHaveLength(10);
      for (const l of labels) {
        expect(l.text).toBe(l.want);
        expect(l.text).toMatch(/^\S.* \(P-\d{5}\)$/);
        expect(l.inside).toBe(true);
      }
    });

    it('writes the year in every month and date of every axis, and no x labels overlap', async () => {
      const monthTicks = await page.$$eval('[data-kind="bar"] .x-tick, [data-kind="line"] .x-tick', (els) => els.map((e) => e.textContent));
      expect(monthTicks.length).toBeGreaterThanOrEqual(3 * 3);
      for (const t of monthTicks) expect(t).toMatch(/^20\d\d-(0[1-9]|1[0-2])$/);
      const dayTicks = await page.$$eval('[data-kind="area"] .x-tick', (els) => els.map((e) => e.textContent));
      expect(dayTicks).toHaveLength(2 * 5);
      for (const t of dayTicks) expect(t).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(await overlappingXLabels(page)).toEqual([]);
    });

    it('shows each rule code with its total without scrolling the table', async () => {
      const cells = await page.$$eval('[data-testid="dq-by-code"] tbody tr', (trs) => trs.map((tr) => {
        const box = tr.closest('.scroll-x')!.getBoundingClientRect();
        return [tr.querySelector('th'), tr.querySelector('td.total')].every((c) => c!.getBoundingClientRect().right <= box.right + 0.5);
      }));
      expect(cells.length).toBeGreaterThan(15);
      expect(cells.every(Boolean)).toBe(true);
    });

    it('labels every y tick with its exact value', async () => {
      const ticks = await page.$$eval('.y-tick', (els) => els.map((e) => ({ text: e.textContent!, value: Number(e.getAttribute('data-value')), pct: !!e.closest('[data-testid="monthly-rates"]') })));
      expect(ticks.length).toBeGreaterThan(20);
      for (const t of ticks) {
        expect(t.text).toBe(tickLabel(t.value, t.pct ? '%' : ''));
        expect(labelValue(t.text)).toBe(t.value);
      }
    });
  });

  describe.each([
    ['noRecords', 'This lake has received no records and has no gold tables.', 'gold table monthly_revenue does not exist yet'],
    ['noOrders', 'The gold tables hold no orders: none of the 2 records received reached silver', 'monthly_revenue has no rows'],
  ])('the %s lake', (name, note, why) => {
    it.each(WIDTHS)('says "no data yet" for the page and for each chart at %i px, with no empty axes', async (width) => {
      const { page } = await open(name, width);
      try {
        expect(await page.textContent('[data-testid="empty-lake"]')).toContain(`No data yet${note}`);
        expect(await page.isVisible('[data-testid="empty-lake"]')).toBe(true);
        for (const id of CHARTS) {
          const chart = page.locator(`[data-testid="${id}"]`);
          expect(await chart.getAttribute('data-empty')).toBe('true');
          expect(await chart.isVisible()).toBe(true);
          expect(await chart.textContent()).toMatch(/^No data yet: /);
        }
        expect(await page.textContent('[data-testid="monthly-revenue"]')).toBe(`No data yet: ${why}`);
        expect(await page.$$eval('.grid, .y-tick, .x-tick, circle.point', (els) => els.length)).toBe(0);
        expect(await overflowing(page)).toEqual([]);
        const flow = await page.$$eval('[data-testid="dq-flow"] rect.bar', (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value'))]));
        expect(flow).toEqual(name === 'noRecords' ? [] : [['silver', 0], ['quarantine', 1], ['dropped', 1], ['duplicates', 0]]);
      } finally {
        await page.close();
      }
    });
  });
});
