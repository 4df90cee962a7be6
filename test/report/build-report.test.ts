import { existsSync, promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLocal, openLocalLake } from '../../src/local/runner';
import { buildReport } from '../../src/report/build-report';
import { exportTable } from '../../src/gold/export';
import { goldLines, GOLD_NOW } from '../helpers/gold-dataset';

let dir: string;
let lakeDir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'orderlake-report-'));
  lakeDir = path.join(dir, 'lake');
  await fs.writeFile(path.join(dir, 'in.jsonl'), goldLines().join('\n') + '\n');
  await runLocal({ input: path.join(dir, 'in.jsonl'), lakeDir, now: () => GOLD_NOW, batchSize: 5 });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report() {
  const { lake, state } = openLocalLake(lakeDir);
  return buildReport({ lake, commits: state.commits, documents: state.documents, now: new Date('2026-03-10T12:00:00Z') });
}

describe('buildReport', () => {
  it('computes the key figures over all months from monthly_revenue', async () => {
    const r = await report();
    // 625.00 + 76.20 + 0.00 gross; 8 orders, 2 cancelled, 1 returned; AOV 701.20 / 6
    expect(r.kpis).toEqual({ grossCents: 70120, orders: 8, aovCents: 11687, returnRatePct: 12.5, cancellationRatePct: 25 });
    expect(r.html).toContain('data-testid="kpi-revenue" data-value="701.2"');
    expect(r.html).toContain('<div class="kpi-value">$116.87</div>');
  });

  it('is self-contained: no script, no link, no external reference, and a CSP that forbids requests', async () => {
    const { html } = await report();
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('draws one monthly bar per month with the export\'s value', async () => {
    const { html } = await report();
    const bars = [...html.matchAll(/data-testid="monthly-revenue"[\s\S]*?<\/svg>/g)][0]![0];
    const drawn = [...bars.matchAll(/data-label="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]);
    const rows: Array<[string, number]> = [];
    for await (const l of exportTable(openLocalLake(lakeDir).lake, 'monthly_revenue')) {
      const r = JSON.parse(l) as { order_year: number; order_month: number; gross_revenue_usd: number };
      rows.push([`${r.order_year}-${String(r.order_month).padStart(2, '0')}`, r.gross_revenue_usd]);
    }
    expect(drawn).toEqual(rows);
    expect(rows).toEqual([['2026-01', 625], ['2026-02', 76.2], ['2026-03', 0]]);
  });

  it('escapes text from the data', async () => {
    const { esc } = await import('../../src/report/svg');
    expect(esc(`<b title="x">'&`)).toBe('&lt;b title=&quot;x&quot;&gt;&#39;&amp;');
  });
});

// In a real browser: the system Chromium through playwright-core. CI (.ci/run) installs
// Debian's chromium; on a machine without it this part is skipped, except in CI.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env['CI']) throw new Error(`the report's browser test needs Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does)`);
const describeBrowser = haveBrowser ? describe : describe.skip;

describeBrowser('the report page in headless Chromium', () => {

  it('renders every chart with the numbers of the gold exports, and makes no network request', async () => {
    const { chromium } = await import('playwright-core');
    const file = path.join(dir, 'report.html');
    await fs.writeFile(file, (await report()).html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(`file://${file}`);
      await page.waitForLoadState('load');

      // Only the page itself was loaded.
      expect(requests).toEqual([`file://${file}`]);
      // Monthly bars: the export's values, drawn with heights in proportion.
      const bars = await page.$$eval('[data-testid="monthly-revenue"] rect.bar', (els) => els.map((e) => ({ label: e.getAttribute('data-label'), value: Number(e.getAttribute('data-value')), h: e.getBoundingClientRect().height })));
      expect(bars.map((b) => [b.label, b.value])).toEqual([['2026-01', 625], ['2026-02', 76.2], ['2026-03', 0]]);
      expect(bars[0]!.h).toBeGreaterThan(bars[1]!.h * 8);
      expect(bars[1]!.h).toBeGreaterThan(0);
      // KPI texts as shown.
      expect(await page.textContent('[data-testid="kpi-revenue"] .kpi-value')).toBe('$701.20');
      expect(await page.textContent('[data-testid="kpi-return-rate"] .kpi-value')).toBe('12.50%');
      // RFM mix: CUST-1 At Risk, CUST-3 Hibernating, CUST-4 and CUST-5 Needs Attention.
      const segments = await page.$$eval('[data-testid="rfm-segments"] rect.bar', (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value'))]));
      expect(segments).toEqual([['Champions', 0], ['Loyal', 0], ['New', 0], ['At Risk', 1], ['Hibernating', 1], ['Needs Attention', 2]]);
      // Data quality flow: 24 received = 21 silver + 1 quarantine + 1 dropped + 1 duplicate.
      const flow = await page.$$eval('[data-testid="dq-flow"] rect.bar', (els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-value')), e.getBoundingClientRect().width > 0]));
      expect(flow).toEqual([['silver', 21, true], ['quarantine', 1, true], ['dropped', 1, true], ['duplicates', 1, true]]);
      expect(await page.$$eval('[data-testid="dq-by-code"] td[data-value]', (els) => els.map((e) => [e.getAttribute('data-code'), e.getAttribute('data-value')]))).toEqual([['malformed_json', '1']]);
      // Daily revenue by region: one point per region and order date.
      expect(await page.$$eval('[data-testid="daily-region"] circle.point', (els) => els.length)).toBe(2 * 4);
      // Top categories, largest first.
      expect(await page.$$eval('[data-testid="top-categories"] rect.bar', (els) => els.map((e) => e.getAttribute('data-label')))).toEqual(['Home', 'Toys', 'Books']); // 650.00, 30.00, 21.20
      await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: true });
      expect((await fs.stat(path.join(dir, 'report.png'))).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
