import { EventSchema, KNOWN_FIELDS } from '../../src/silver/schema';
import { orderEvent } from '../helpers/events';

describe('EventSchema', () => {
  const ok = (over: Record<string, unknown>) => EventSchema.safeParse(orderEvent(over)).success;
  it('accepts numbers as JSON numbers or strings (normalise casts the strings)', () => {
    expect([ok({ total_amount: 1 }), ok({ total_amount: '1.5' }), ok({ shipping_cost: null }), ok({ schema_version: undefined })]).toEqual([true, true, true, true]);
  });
  it('rejects JSON types that cannot be cast, and non-finite numbers', () => {
    for (const bad of [true, [1], { n: 1 }, null, Infinity]) expect(ok({ total_amount: bad })).toBe(false);
    expect([ok({ status: 2 }), ok({ items: 'x' }), ok({ customer: 'C-1' }), ok({ country: 5 })]).toEqual([false, false, false, false]);
  });
  it('drops unknown fields from its output (they are rescued from the raw object)', () => {
    const r = EventSchema.safeParse(orderEvent({ coupon: 'X' }));
    expect(r.success && 'coupon' in r.data).toBe(false);
  });
});

describe('KNOWN_FIELDS', () => {
  it('knows the contract fields at each level', () => {
    expect([...KNOWN_FIELDS.customer]).toEqual(['id', 'name', 'email']);
    expect([...KNOWN_FIELDS.item]).toEqual(['product_id', 'product_name', 'category', 'quantity', 'unit_price']);
    expect(KNOWN_FIELDS.event.has('total_amount') && !KNOWN_FIELDS.event.has('coupon')).toBe(true);
  });
});
