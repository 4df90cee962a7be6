// A small landing file with at least one event per rule code, and its expected outcome.
import { orderEvent, uuid } from './events';

const items = (over: Record<string, unknown>) => [{ product_id: 'P-1', product_name: 'W', category: 'Home', quantity: 1, unit_price: 10, ...over }];
const ev = (n: number, over: Record<string, unknown> = {}) => JSON.stringify(orderEvent({ event_id: uuid(n), order_id: `ORD-${String(100000 + n)}`, ...over }));

export function dirtyLines(): string[] {
  return [
    ev(1),
    ev(2, { status: ' shipped ', region: 'north america', currency: 'usd', total_amount: '143.98', channel: 'WEB' }),
    ev(1), // duplicate_event
    '{"order_id": "ORD-100003", "broken',
    ev(4, { customer: { name: 'no id' } }),
    ev(5, { items: items({ quantity: 'two' }), total_amount: 14 }),
    ev(6, { schema_version: 2 }),
    ev(7, { event_id: 'not-a-uuid' }),
    ev(8, { order_id: 'ORD-1' }),
    ev(9, { status: 'LOST' }),
    ev(10, { region: 'ATLANTIS' }),
    ev(11, { currency: 'XYZ' }),
    ev(12, { event_time: '2026-03-04T10:11:12' }),
    ev(13, { event_time: '2099-01-01T00:00:00Z' }),
    ev(14, { event_time: '2019-06-01T00:00:00Z', order_time: '2019-06-01T00:00:00Z' }),
    ev(15, { event_time: '2026-03-04T09:00:00Z' }),
    ev(16, { items: [], total_amount: 4 }),
    ev(17, { items: items({ quantity: 0 }), total_amount: 4 }),
    ev(18, { items: items({ unit_price: 0 }), total_amount: 4 }),
    ev(19, { discount: -1, total_amount: 145.98 }),
    ev(20, { customer: { id: 'TEST-20' } }),
    ev(21, { total_amount: 200 }),
    ev(22, { customer: { id: 'C-22', email: 'nope' } }),
  ];
}

export const DIRTY_EXPECTED = {
  received: 23,
  written: 4, // 1, 2, 21 (warned), 22 (warned)
  quarantined: 17,
  dropped: 1,
  duplicates: 1,
  warned: 2,
  malformed: 1,
  codes: {
    duplicate_event: 1, empty_items: 1, event_before_order: 1, future_event_time: 1, invalid_amount: 1,
    invalid_currency: 1, invalid_email: 1, invalid_event_id: 1, invalid_order_id: 1, invalid_price: 1,
    invalid_quantity: 1, invalid_region: 1, invalid_status: 1, invalid_timestamp: 1, invalid_type: 1,
    malformed_json: 1, missing_field: 1, stale_event_time: 1, test_order: 1, total_mismatch: 1,
    unsupported_schema_version: 1,
  },
};
