// Builders for contract events and source events used across tests.
import type { SourceEvent } from '../../src/pipeline/types';

export const INGESTED_AT = '2026-03-05T12:00:00.000Z';

export function orderEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: '3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
    order_id: 'ORD-00012345',
    status: 'PAID',
    event_time: '2026-03-04T10:11:12.123Z',
    order_time: '2026-03-04T10:01:12Z',
    customer: { id: 'CUST-000001', name: 'Jane Doe', email: 'jane@example.com' },
    region: 'EUROPE',
    country: 'Germany',
    city: 'Berlin',
    channel: 'web',
    payment_method: 'card',
    currency: 'EUR',
    items: [
      { product_id: 'P-1001', product_name: 'Widget', category: 'Home', quantity: 2, unit_price: 19.99 },
      { product_id: 'P-1002', product_name: 'Gadget', category: 'Electronics', quantity: 1, unit_price: 100 },
    ],
    shipping_cost: 5,
    discount: 1,
    total_amount: 143.98,
    ...overrides,
  };
}

/** A fresh UUID-shaped id from a number, so tests can make many distinct events. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function sourceEvent(body: string | Record<string, unknown> | undefined, seq = 0, partition = '0', enqueuedTime = INGESTED_AT): SourceEvent {
  return {
    partition,
    offset: String(seq * 100),
    sequenceNumber: seq,
    enqueuedTime,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  };
}
