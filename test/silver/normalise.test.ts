import { normalise, normaliseRegion } from '../../src/silver/normalise';
import { EventSchema } from '../../src/silver/schema';
import type { FieldProblem } from '../../src/silver/inspect';
import { orderEvent } from '../helpers/events';

function run(over: Record<string, unknown>) {
  const parsed = EventSchema.parse(orderEvent(over));
  const problems: FieldProblem[] = [];
  return { ev: normalise(parsed, problems), problems };
}

describe('normaliseRegion', () => {
  it.each([
    ['north america', 'NORTH_AMERICA'],
    ['North-America', 'NORTH_AMERICA'],
    ['middle east-africa', 'MIDDLE_EAST_AFRICA'],
    // v1.1: one ASCII space or hyphen for each underscore, no other separator, no runs.
    ['middle east  africa', 'MIDDLE_EAST__AFRICA'],
    ['north\u00a0america', 'NORTH\u00a0AMERICA'],
    ['asia_pacific', 'ASIA_PACIFIC'],
    ['Europe', 'EUROPE'],
  ])('%s -> %s', (input, out) => expect(normaliseRegion(input)).toBe(out));
});

describe('normalise', () => {
  it('trims strings and folds case of the coded fields', () => {
    const { ev, problems } = run({ status: ' shipped ', region: ' south-america ', currency: 'usd ', channel: ' Mobile', payment_method: 'PayPal ', country: ' Brazil ', order_id: ' ORD-123456 ', customer: { id: ' C-1 ' } });
    expect([ev.status, ev.region, ev.currency, ev.channel, ev.payment_method, ev.country, ev.order_id, ev.customer?.id]).toEqual(['SHIPPED', 'SOUTH_AMERICA', 'USD', 'mobile', 'paypal', 'Brazil', 'ORD-123456', 'C-1']);
    expect(problems).toEqual([]);
  });

  it('casts decimal strings to numbers', () => {
    const { ev } = run({ total_amount: ' 143.98 ', shipping_cost: '5', discount: '.5', schema_version: '1', items: [{ product_id: 'P', product_name: 'N', category: 'C', quantity: '2', unit_price: '19.99' }] });
    expect([ev.total_amount, ev.shipping_cost, ev.discount, ev.schema_version, ev.items![0]!.quantity, ev.items![0]!.unit_price]).toEqual([143.98, 5, 0.5, 1, 2, 19.99]);
  });

  it('treats null and blank optional fields as absent', () => {
    const { ev, problems } = run({ shipping_cost: null, discount: '', channel: '  ', country: null, schema_version: null });
    expect([ev.shipping_cost, ev.discount, ev.channel, ev.country, ev.schema_version]).toEqual([undefined, undefined, null, null, undefined]);
    expect(problems).toEqual([]);
  });

  it('reports blank required text as missing and non-decimal strings as type problems', () => {
    const { ev, problems } = run({ order_id: '   ', total_amount: '1,5', items: [{ product_id: 'P', product_name: ' ', category: 'C', quantity: '2 units', unit_price: '1e3' }] });
    expect([ev.order_id, ev.total_amount]).toEqual([undefined, undefined]);
    expect(problems).toEqual([
      { kind: 'missing', field: 'items[0].product_name', value: ' ' },
      { kind: 'type', field: 'items[0].quantity', value: '2 units' },
      { kind: 'type', field: 'items[0].unit_price', value: '1e3' },
      { kind: 'missing', field: 'order_id', value: '   ' },
      { kind: 'type', field: 'total_amount', value: '1,5' },
    ]);
  });
});
