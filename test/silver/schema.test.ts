import { EventSchema, normaliseRegion, KNOWN_FIELDS } from '../../src/silver/schema';
import { orderEvent } from '../helpers/events';

describe('normaliseRegion', () => {
  it.each([
    ['north america', 'NORTH_AMERICA'],
    ['North-America', 'NORTH_AMERICA'],
    ['middle east  africa', 'MIDDLE_EAST_AFRICA'],
    ['asia_pacific', 'ASIA_PACIFIC'],
    ['Europe', 'EUROPE'],
  ])('%s -> %s', (input, out) => expect(normaliseRegion(input)).toBe(out));
});

describe('EventSchema', () => {
  const parse = (over: Record<string, unknown>) => {
    const r = EventSchema.safeParse(orderEvent(over));
    if (!r.success) throw new Error(JSON.stringify(r.error.issues));
    return r.data;
  };

  it('trims strings and folds case of the coded fields', () => {
    const d = parse({ status: ' shipped ', region: ' south-america ', currency: 'usd ', channel: ' Mobile', payment_method: 'PayPal ', country: ' Brazil ', order_id: ' ORD-123456 ' });
    expect([d.status, d.region, d.currency, d.channel, d.payment_method, d.country, d.order_id]).toEqual(['SHIPPED', 'SOUTH_AMERICA', 'USD', 'mobile', 'paypal', 'Brazil', 'ORD-123456']);
  });

  it('casts decimal strings to numbers', () => {
    const d = parse({ total_amount: ' 143.98 ', shipping_cost: '5', discount: '.5', schema_version: '1', items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: '2', unit_price: '19.99' }] });
    expect([d.total_amount, d.shipping_cost, d.discount, d.schema_version, d.items[0]!.quantity, d.items[0]!.unit_price]).toEqual([143.98, 5, 0.5, 1, 2, 19.99]);
  });

  it('treats null and blank optional fields as absent', () => {
    const d = parse({ shipping_cost: null, discount: '', channel: '  ', country: null, schema_version: null });
    expect([d.shipping_cost, d.discount, d.channel, d.country, d.schema_version]).toEqual([undefined, undefined, null, null, undefined]);
  });

  it('rejects strings that are not decimals, and non-finite numbers', () => {
    for (const bad of ['1,5', '2 units', '0x10', '1e3', true, [1], { n: 1 }]) {
      expect(EventSchema.safeParse(orderEvent({ total_amount: bad })).success).toBe(false);
    }
  });

  it('drops unknown fields from its output (they are rescued from the raw object)', () => {
    expect('coupon' in parse({ coupon: 'X' })).toBe(false);
  });
});

describe('KNOWN_FIELDS', () => {
  it('knows the contract fields at each level', () => {
    expect([...KNOWN_FIELDS.customer]).toEqual(['id', 'name', 'email']);
    expect([...KNOWN_FIELDS.item]).toEqual(['product_id', 'product_name', 'category', 'quantity', 'unit_price']);
    expect(KNOWN_FIELDS.event.has('total_amount') && !KNOWN_FIELDS.event.has('coupon')).toBe(true);
  });
});
