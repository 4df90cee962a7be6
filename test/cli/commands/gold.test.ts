import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dirtyLake, orderlake } from '../../helpers/cli';
import { cliGoldMemoryLimits } from '../../helpers/gold-memory';
import { dirtyLines } from '../../helpers/dirty-file';
import { goldLines } from '../../helpers/gold-dataset';
import { tempDirs } from '../../helpers/tmp';

jest.setTimeout(120_000);
const tmp = tempDirs();

describe('orderlake gold', () => {
  it('checks --as-of as a calendar date before anything runs, saying what is accepted', () => {
    const typo = path.join(tmp(), 'typo');
    expect(orderlake(['gold', '--lake', typo, '--as-of', '2026-02-30'])).toEqual({ code: 2, stdout: '', stderr: 'orderlake gold: expected --as-of to be a calendar date YYYY-MM-DD, got "2026-02-30": February 2026 has days 01 to 28\n' });
    expect(orderlake(['gold', '--lake', typo, '--as-of', 'tomorrow'])).toEqual({ code: 2, stdout: '', stderr: "orderlake gold: expected --as-of to be a calendar date YYYY-MM-DD, got \"tomorrow\" (see 'orderlake gold --help')\n" });
  });

  it('warns when --as-of is earlier than every order that counts, so rfm_segments is empty, and not otherwise', async () => {
    const lake = await dirtyLake(tmp());
    const early = orderlake(['gold', '--lake', lake, '--as-of', '2020-01-01', '-q']);
    expect(early.code).toBe(0);
    expect(early.stderr).toBe('warning: rfm_segments is empty: no order that counts for revenue was placed on or before the as-of date 2020-01-01; the first one was placed on 2026-03-04\n');
    expect(orderlake(['export', 'rfm_segments', '--lake', lake]).stdout).toBe('');
    const onTime = orderlake(['gold', '--lake', lake, '--as-of', '2026-03-04', '-q']);
    expect([onTime.code, onTime.stderr]).toEqual([0, '']);
    expect(orderlake(['export', 'rfm_segments', '--lake', lake]).stdout.trim().split('\n').length).toBe(2); // two customers: CUST-000001 and C-22
  });

  it('says what it took in and how many orders of the work data it rewrote', async () => {
    const dir = tmp();
    const input = path.join(dir, 'orders.jsonl');
    await fs.writeFile(input, dirtyLines().join('\n') + '\n');
    const lake = path.join(dir, 'lake');
    expect(orderlake(['run', '-i', input, '-l', lake, '-q', '--skip-gold']).code).toBe(0);
    const r = orderlake(['gold', '--lake', lake, '-q']);
    // The dirty file's valid events belong to 4 orders, all placed on 2026-03-04; run lands it in 4 batches.
    expect([r.code, r.stdout]).toEqual([0, `gold run 1: 4 new batch(es), 1 order date(s) changed, 4 order(s) rewritten; updated monthly_revenue, daily_region_metrics, category_sales, product_sales, customer_spend, rfm_segments, hourly_sales, order_status_history, data_quality, data_quality_runs in ${lake}/gold\n`]);
  });

  it('checks the fold options before anything runs', () => {
    const lake = path.join(tmp(), 'lake');
    expect(orderlake(['gold', '--lake', lake, '--hot-days', '1'])).toEqual({ code: 2, stdout: '', stderr: "orderlake gold: --hot-days needs --cold-orders-per-run (see 'orderlake gold --help')\n" });
    expect(orderlake(['gold', '--lake', lake, '--cold-orders-per-run', '0'])).toEqual({ code: 2, stdout: '', stderr: `orderlake gold: expected --cold-orders-per-run to be a positive integer, got "0" (see 'orderlake gold --help')\n` });
    expect(orderlake(['gold', '--lake', lake, '--cold-orders-per-run', '5', '--hot-days', 'two'])).toEqual({ code: 2, stdout: '', stderr: `orderlake gold: expected --hot-days to be a whole number of days (0: today), got "two" (see 'orderlake gold --help')\n` });
  });

  it("caps DuckDB's buffers at --memory-limit, and refuses anything else before anything runs", async () => {
    const lake = await dirtyLake(tmp());
    expect(orderlake(['gold', '--lake', lake, '--memory-limit', '1.5GB'])).toEqual({ code: 2, stdout: '', stderr: `orderlake gold: expected --memory-limit to be a whole number of MB or GB, at least 64MB, such as 256MB or 1GB, got "1.5GB" (see 'orderlake gold --help')\n` });
    expect(await cliGoldMemoryLimits(['gold', '--lake', lake, '-q', '--as-of', '2026-03-05', '--memory-limit', '128mb'])).toEqual({ code: 0, limits: ['122.0 MiB'] });
  });

  it('with --cold-orders-per-run, folds older dates a budget at a time; a run without it folds the rest', async () => {
    const dir = tmp();
    const input = path.join(dir, 'in.jsonl');
    await fs.writeFile(input, goldLines().join('\n') + '\n');
    const lake = path.join(dir, 'lake');
    expect(orderlake(['run', '-i', input, '-l', lake, '-q']).code).toBe(0);
    // Later events of O4 (placed 2026-02-01) and O8 (2026-03-05): their months' ranges exist, both dates are older than today.
    const later = (order: string, status: string, n: number) => {
      const base = JSON.parse(goldLines().find((l) => l.includes(`"${order}"`))!) as Record<string, unknown>;
      return JSON.stringify({ ...base, event_id: `00000000-0000-4000-8000-${String(900 + n).padStart(12, '0')}`, status, event_time: '2026-03-08T10:00:00Z' });
    };
    await fs.appendFile(input, [later('ORD-000004', 'SHIPPED', 1), later('ORD-000008', 'CANCELLED', 2)].join('\n') + '\n');
    expect(orderlake(['run', '-i', input, '-l', lake, '-q', '--skip-gold']).code).toBe(0);
    // A budget of one order: February's range (4 orders, its date sorts first) is folded, March's date waits.
    const first = orderlake(['gold', '--lake', lake, '-q', '--cold-orders-per-run', '1']);
    expect([first.code, first.stdout.replace(/; updated .* in /, '; updated … in ')]).toEqual([0, `gold run 2: 1 new batch(es), 2 order date(s) changed, 4 order(s) rewritten; updated … in ${lake}/gold; 1 older order date(s) wait to be folded by later runs\n`]);
    const rest = orderlake(['gold', '--lake', lake, '-q']);
    expect([rest.code, rest.stdout.replace(/; updated .* in /, '; updated … in ')]).toEqual([0, `gold run 3: 0 new batch(es), 0 order date(s) changed, 1 order(s) rewritten; updated … in ${lake}/gold\n`]);
    const whole = path.join(dir, 'whole');
    expect(orderlake(['run', '-i', input, '-l', whole, '-q']).code).toBe(0);
    for (const t of ['monthly_revenue', 'daily_region_metrics', 'customer_spend', 'order_status_history']) {
      expect(`${t}\n${orderlake(['export', t, '--lake', lake]).stdout}`).toBe(`${t}\n${orderlake(['export', t, '--lake', whole]).stdout}`);
    }
  });

  it('prints its stage line in a log: the final one', async () => {
    const lake = await dirtyLake(tmp());
    const r = orderlake(['gold', '--lake', lake, '--as-of', '2026-03-05']);
    expect(r.code).toBe(0);
    // Its final line (a run longer than 5 s, only on a loaded machine here, also prints lines before it).
    expect(r.stderr).toMatch(/^(gold: .*\n)*gold: up to date in \d+\.\d s\n$/);
  });
});
