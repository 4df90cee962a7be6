import { Duck } from '../../src/gold/duck';
import { GOLD_TABLES } from '../../src/gold/tables';

describe('GOLD_TABLES', () => {
  it("sorts order_status_history's changes at one instant in state order, whatever order they come in", async () => {
    const t = GOLD_TABLES.find((x) => x.name === 'order_status_history')!;
    const duck = await Duck.open();
    try {
      // PLACED, PAID and SHIPPED at the same instant, then DELIVERED later; given backwards.
      const rows = await duck.rows(`SELECT status FROM (VALUES
        ('ORD-1', 'DELIVERED', TIMESTAMPTZ '2026-03-04 11:00:00Z', NULL::TIMESTAMPTZ),
        ('ORD-1', 'SHIPPED', TIMESTAMPTZ '2026-03-04 10:00:00Z', TIMESTAMPTZ '2026-03-04 11:00:00Z'),
        ('ORD-1', 'PAID', TIMESTAMPTZ '2026-03-04 10:00:00Z', TIMESTAMPTZ '2026-03-04 10:00:00Z'),
        ('ORD-1', 'PLACED', TIMESTAMPTZ '2026-03-04 10:00:00Z', TIMESTAMPTZ '2026-03-04 10:00:00Z')
      ) AS h(order_id, status, valid_from, valid_to) ORDER BY ${t.orderBy.join(', ')}`);
      expect(rows.map((r) => r['status'])).toEqual(['PLACED', 'PAID', 'SHIPPED', 'DELIVERED']);
    } finally {
      duck.close();
    }
  });
});
