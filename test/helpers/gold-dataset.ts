// A small order stream whose gold tables are computed by hand in test/gold/*.test.ts.
//
// Orders (current state after every event):
//   O1 CUST-1 EUROPE        USD 2026-01-10T10:15Z  P1 2x10 + P2 1x5 = 25.00        DELIVERED
//   O2 CUST-2 EUROPE        USD 2026-01-10T10:45Z  P1 1x10 = 10.00                 CANCELLED
//   O3 CUST-1 NORTH_AMERICA USD 2026-01-10T11:05Z  P3 1x600 = 600.00 (high value)  RETURNED (two PAID in a row)
//   O4 CUST-3 EUROPE        EUR 2026-02-01T09:00Z  P2 3x5 EUR = 16.20 USD           PAID (sent before its PLACED)
//   O5 CUST-4 EUROPE        USD 2026-02-01T09:30Z  P1 1x10 = 10.00                 DELIVERED (late, last line; SHIPPED resent)
//   O6 CUST-4 NORTH_AMERICA USD 2026-02-02T12:00Z  P1 2x10 = 20.00                 PAID (same event_time as PLACED: rank decides)
//   O7 CUST-5 NORTH_AMERICA USD 2026-02-02T12:30Z  P4 1x15 + P5 1x15 = 30.00       PLACED
//   O8 CUST-6 EUROPE        USD 2026-03-05T08:00Z  P1 1x10 = 10.00                 CANCELLED (the only order of March)
// Plus: a malformed line, a TEST- order (dropped), a resend (duplicate).

let n = 0;
function ev(order: string, status: string, eventTime: string, over: Record<string, unknown> = {}): string {
  n++;
  return JSON.stringify({
    event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    order_id: order,
    status,
    event_time: eventTime,
    ...over,
  });
}

function order(base: Record<string, unknown>) {
  return (status: string, eventTime: string, over: Record<string, unknown> = {}) => {
    const body = JSON.parse(ev(String(base['order_id']), status, eventTime)) as Record<string, unknown>;
    return JSON.stringify({ ...body, ...base, status, event_time: eventTime, ...over });
  };
}

const usd = { currency: 'USD', shipping_cost: 0, discount: 0 };
const P1 = (q: number, name = 'Widget B') => ({ product_id: 'P1', product_name: name, category: 'Home', quantity: q, unit_price: 10 });

export function goldLines(): string[] {
  n = 0;
  const o1 = order({ order_id: 'ORD-000001', order_time: '2026-01-10T10:15:00Z', customer: { id: 'CUST-1' }, region: 'EUROPE', ...usd, items: [P1(2), { product_id: 'P2', product_name: 'Book', category: 'Books', quantity: 1, unit_price: 5 }], total_amount: 25 });
  const o2 = order({ order_id: 'ORD-000002', order_time: '2026-01-10T10:45:00Z', customer: { id: 'CUST-2' }, region: 'EUROPE', ...usd, items: [P1(1)], total_amount: 10 });
  const o3 = order({ order_id: 'ORD-000003', order_time: '2026-01-10T11:05:00Z', customer: { id: 'CUST-1' }, region: 'NORTH_AMERICA', ...usd, items: [{ product_id: 'P3', product_name: 'Laptop', category: 'Home', quantity: 1, unit_price: 600 }], total_amount: 600 });
  const o4 = order({ order_id: 'ORD-000004', order_time: '2026-02-01T09:00:00Z', customer: { id: 'CUST-3' }, region: 'EUROPE', currency: 'EUR', shipping_cost: 0, discount: 0, items: [{ product_id: 'P2', product_name: 'Book', category: 'Books', quantity: 3, unit_price: 5 }], total_amount: 15 });
  const o5 = order({ order_id: 'ORD-000005', order_time: '2026-02-01T09:30:00Z', customer: { id: 'CUST-4' }, region: 'EUROPE', ...usd, items: [P1(1)], total_amount: 10 });
  const o6 = order({ order_id: 'ORD-000006', order_time: '2026-02-02T12:00:00Z', customer: { id: 'CUST-4' }, region: 'NORTH_AMERICA', ...usd, items: [P1(2, 'Widget A')], total_amount: 20 });
  const o7 = order({ order_id: 'ORD-000007', order_time: '2026-02-02T12:30:00Z', customer: { id: 'CUST-5' }, region: 'NORTH_AMERICA', ...usd, items: [{ product_id: 'P5', product_name: 'Yo-yo', category: 'Toys', quantity: 1, unit_price: 15 }, { product_id: 'P4', product_name: 'Kite', category: 'Toys', quantity: 1, unit_price: 15 }], total_amount: 30 });
  const o8 = order({ order_id: 'ORD-000008', order_time: '2026-03-05T08:00:00Z', customer: { id: 'CUST-6' }, region: 'EUROPE', ...usd, items: [P1(1)], total_amount: 10 });
  const test = order({ order_id: 'ORD-000009', order_time: '2026-02-01T10:00:00Z', customer: { id: 'TEST-1' }, region: 'EUROPE', ...usd, items: [P1(1)], total_amount: 10 });
  const o5shipped = o5('SHIPPED', '2026-02-03T10:00:00Z');
  return [
    o1('PLACED', '2026-01-10T10:15:00Z'),
    o1('PAID', '2026-01-10T11:20:00+01:00'),
    o2('PLACED', '2026-01-10T10:45:00Z'),
    o3('PLACED', '2026-01-10T11:05:00Z'),
    o3('PAID', '2026-01-10T11:06:00Z'),
    o2('CANCELLED', '2026-01-10T11:00:00Z'),
    o3('PAID', '2026-01-10T11:30:00Z'),
    o1('SHIPPED', '2026-01-11T08:00:00Z'),
    o1('DELIVERED', '2026-01-13T15:00:00Z'),
    o3('DELIVERED', '2026-01-15T10:00:00Z'),
    o3('RETURNED', '2026-01-20T10:00:00Z'),
    '{"order_id": "ORD-000010", "status": "PLACED", oops',
    o4('PAID', '2026-02-01T09:10:00Z'),
    o4('PLACED', '2026-02-01T09:00:00Z'),
    o5('PLACED', '2026-02-01T09:30:00Z'),
    test('PLACED', '2026-02-01T10:00:00Z'),
    o6('PAID', '2026-02-02T12:00:00Z'),
    o6('PLACED', '2026-02-02T12:00:00Z'),
    o7('PLACED', '2026-02-02T12:30:00Z'),
    o5shipped,
    o5shipped,
    o8('PLACED', '2026-03-05T08:00:00Z'),
    o8('CANCELLED', '2026-03-05T09:00:00Z'),
    o5('DELIVERED', '2026-02-05T10:00:00Z'),
  ];
}

export const GOLD_NOW = new Date('2026-03-10T00:00:00Z');
