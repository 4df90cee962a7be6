// _merge_events.sql: a range's events after a merge, each once, within gold's memory cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duck, sqlFile } from '../../../src/gold/duck';

jest.setTimeout(120_000);

const event = (id: string, order: string) =>
  `SELECT ${id} AS event_id, ${order} AS order_id, 'PLACED' AS status, 1 AS status_rank, TIMESTAMPTZ '2026-05-05 10:00:00+00' AS event_time, 'C-1' AS customer_id, DATE '2026-05-05' AS order_date, 2026 AS order_year, 5 AS order_month`;

describe('_merge_events.sql', () => {
  it('keeps every old event and adds each new one once, however often it came', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'merge-events-'));
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb'), memoryLimit: '64MB', preserveInsertionOrder: false });
    try {
      await duck.run(`CREATE TEMP TABLE base_events AS ${event("'e1'", "'o1'")} UNION ALL ${event("'e2'", "'o1'")}`);
      await duck.run(`CREATE TEMP TABLE new_events AS ${event("'e2'", "'o1'")} UNION ALL ${event("'e3'", "'o2'")} UNION ALL ${event("'e3'", "'o2'")}`);
      const rows = await duck.rows(`SELECT event_id, order_id FROM (${await sqlFile('_merge_events')}) ORDER BY event_id`);
      expect(rows).toEqual([{ event_id: 'e1', order_id: 'o1' }, { event_id: 'e2', order_id: 'o1' }, { event_id: 'e3', order_id: 'o2' }]);
    } finally {
      duck.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('merges a range of 1.5 million events under a 64 MB cap (a row_number() over them all ran out of memory)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'merge-events-'));
    const duck = await Duck.open({ dbPath: path.join(dir, 'g.duckdb'), memoryLimit: '64MB', preserveInsertionOrder: false });
    try {
      const rows = (from: number, to: number) =>
        `SELECT 'evt-' || lpad(i::VARCHAR, 32, '0') AS event_id, 'ORD-' || (i // 4)::VARCHAR AS order_id, 'PLACED' AS status, 1 AS status_rank,
           TIMESTAMPTZ '2026-05-05 10:00:00+00' + to_seconds(i) AS event_time, 'CUST-' || (i % 5000)::VARCHAR AS customer_id,
           DATE '2026-05-05' AS order_date, 2026 AS order_year, 5 AS order_month FROM range(${from}, ${to}) t(i)`;
      await duck.run(`CREATE TEMP TABLE base_events AS ${rows(0, 1_500_000)}`);
      // 20,000 new events, 5,000 of them already in the range (a redelivery), each sent twice.
      await duck.run(`CREATE TEMP TABLE new_events AS ${rows(1_495_000, 1_515_000)} UNION ALL ${rows(1_495_000, 1_515_000)}`);
      await duck.run(`CREATE TEMP TABLE events_new AS ${await sqlFile('_merge_events')}`);
      expect(await duck.rows('SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM events_new')).toEqual([{ n: 1_515_000, ids: 1_515_000 }]);
    } finally {
      duck.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
