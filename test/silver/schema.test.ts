import fc from 'fast-check';
import { EventSchema, KNOWN_FIELDS, isRawEvent, isPlainObject } from '../../src/silver/schema';
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

describe('isRawEvent', () => {
  // Each field: mostly a valid value, sometimes another JSON type, a non-finite number, or absent.
  const anyValue = fc.oneof(fc.jsonValue(), fc.constantFrom(Infinity, -Infinity, NaN, 1.5, '2.5', '', null));
  const field = (valid: fc.Arbitrary<unknown>) => fc.option(fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: anyValue }), { nil: undefined, freq: 30 });
  const text = fc.string({ maxLength: 6 });
  const numeric = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }));
  const item = fc.oneof(
    { weight: 30, arbitrary: fc.record({ product_id: field(text), product_name: field(text), category: field(text), quantity: field(numeric), unit_price: field(numeric), extra: field(text) }) },
    { weight: 1, arbitrary: anyValue },
  );
  const event = fc.record({
    schema_version: field(fc.oneof(numeric, fc.constant(null))), event_id: field(text), order_id: field(text), status: field(text),
    event_time: field(text), order_time: field(text), customer: field(fc.record({ id: field(text), email: field(anyValue) })),
    region: field(text), country: field(fc.oneof(text, fc.constant(null))), city: field(fc.oneof(text, fc.constant(null))),
    channel: field(fc.oneof(text, fc.constant(null))), payment_method: field(fc.oneof(text, fc.constant(null))), currency: field(text),
    items: field(fc.array(item, { maxLength: 3 })), shipping_cost: field(fc.oneof(numeric, fc.constant(null))),
    discount: field(fc.oneof(numeric, fc.constant(null))), total_amount: field(numeric), coupon: field(anyValue),
  });

  it('accepts exactly what EventSchema accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: event }, { weight: 1, arbitrary: anyValue }), (v) => {
        const zod = EventSchema.safeParse(v).success;
        if (zod) accepted++;
        expect(isRawEvent(v)).toBe(zod);
      }),
      { numRuns: 20_000, seed: 7 },
    );
    // Both sides of the equivalence were exercised.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(19_500);
  });
  it('accepts a clean event and rejects one wrong field', () => {
    expect([isRawEvent(orderEvent({})), isRawEvent(orderEvent({ total_amount: Infinity })), isRawEvent(orderEvent({ items: [{}] }))]).toEqual([true, false, false]);
  });
});

describe('isPlainObject', () => {
  it('is true for JSON objects only', () => {
    expect([{}, { a: 1 }, [], null, 'x', 1, undefined].map(isPlainObject)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('KNOWN_FIELDS', () => {
  it('knows the contract fields at each level', () => {
    expect([...KNOWN_FIELDS.customer]).toEqual(['id', 'name', 'email']);
    expect([...KNOWN_FIELDS.item]).toEqual(['product_id', 'product_name', 'category', 'quantity', 'unit_price']);
    expect(KNOWN_FIELDS.event.has('total_amount') && !KNOWN_FIELDS.event.has('coupon')).toBe(true);
  });
});
