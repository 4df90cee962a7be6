// The order stream: lifecycles PLACED -> PAID -> SHIPPED -> DELIVERED (with cancellations
// and returns), emitted in send order, with each kind of dirt behind its own knob.
// A pure function of its options: the same seed and end give the same bytes.
import { buildCatalogue, localPrice, type Customer, type Product } from './catalogue';
import { MinHeap } from './heap';
import { Random } from './random';

export interface DirtRates {
  /** Resends of the same event (same event_id, same bytes). */
  duplicate: number;
  /** Sent 1-30 minutes after later events. */
  outOfOrder: number;
  /** Sent 1-20 days late. */
  late: number;
  /** Events with one defect of the contract's rules (quarantine and warn codes). */
  defect: number;
  /** Events whose values only need normalisation: case, spaces, numeric strings, zone offsets, extra fields. */
  normalise: number;
  /** Orders of internal test customers (TEST-...), dropped by the pipeline. */
  test: number;
}

export const DEFAULT_DIRT: DirtRates = { duplicate: 0.02, outOfOrder: 0.03, late: 0.005, defect: 0.03, normalise: 0.15, test: 0.01 };
export const CLEAN: DirtRates = { duplicate: 0, outOfOrder: 0, late: 0, defect: 0, normalise: 0, test: 0 };

export interface StreamOptions {
  seed: number;
  /**
   * Exactly this many events are emitted. Infinity: an endless stream, in rounds of
   * ENDLESS_ROUND_EVENTS, each a new set of orders over the same days (order ids never repeat).
   */
  events: number;
  /** No event_time is later than this. */
  end: Date;
  /** Order times spread over about this many days before `end`. */
  days: number;
  dirt: DirtRates;
  cancelRate: number;
  returnRate: number;
}

export const DEFAULT_STREAM: Omit<StreamOptions, 'end'> = { seed: 42, events: 50_000, days: 180, dirt: DEFAULT_DIRT, cancelRate: 0.07, returnRate: 0.06 };
export const ENDLESS_ROUND_EVENTS = DEFAULT_STREAM.events;

/** The defect classes, one per rule code they should trip. */
export const DEFECTS = [
  'malformed_json', 'missing_field', 'invalid_type', 'unsupported_schema_version', 'invalid_event_id',
  'invalid_order_id', 'invalid_status', 'invalid_region', 'invalid_currency', 'invalid_timestamp',
  'future_event_time', 'stale_event_time', 'event_before_order', 'empty_items', 'invalid_quantity',
  'invalid_price', 'invalid_amount', 'total_mismatch', 'invalid_email',
] as const;
export type Defect = (typeof DEFECTS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const AVG_EVENTS_PER_ORDER = 3.7;
const MAX_UNIT_PRICE = 100_000;
const CHANNELS: ReadonlyArray<readonly [string, number]> = [['web', 50], ['mobile', 35], ['marketplace', 10], ['store', 5]];
const PAYMENTS: ReadonlyArray<readonly [string, number]> = [['card', 60], ['paypal', 20], ['bank_transfer', 8], ['apple_pay', 8], ['cash_on_delivery', 4]];

interface Order {
  order_id: string;
  order_ms: number;
  customer: Customer;
  channel: string;
  payment_method: string;
  items: Array<{ product_id: string; product_name: string; category: string; quantity: number; unit_price: number }>;
  shipping_cost: number;
  discount: number;
  total_amount: number;
}

/** Emission-ordered event bodies. */
export function* generateEvents(opts: StreamOptions): Generator<string> {
  const rnd = new Random(opts.seed);
  const { products, customers } = buildCatalogue(opts.seed);
  const endMs = opts.end.getTime();
  const startMs = endMs - opts.days * DAY;
  const endless = opts.events === Infinity;
  const orders = Math.max(1, Math.ceil((endless ? ENDLESS_ROUND_EVENTS : opts.events) / AVG_EVENTS_PER_ORDER));
  const gap = (endMs - startMs) / orders;
  const heap = new MinHeap<string>();
  let emitted = 0;
  let orderSeq = 0;
  for (let i = 0; emitted < opts.events; i++) {
    const t0 = startMs + (i + rnd.next()) * gap;
    while (heap.size && (heap.peekKey() as number) <= t0) {
      yield heap.pop() as string;
      if (++emitted >= opts.events) return;
    }
    if (t0 > endMs) {
      // Out of new orders: send what is still queued, then stop.
      while (heap.size && emitted < opts.events) {
        yield heap.pop() as string;
        emitted++;
      }
      if (!endless) return;
      i = -1; // the next round: new orders over the same days
      continue;
    }
    const order = newOrder(rnd, ++orderSeq, t0, products, customers, opts);
    for (const [status, ms] of lifecycle(rnd, t0, opts)) {
      if (ms > endMs) break;
      scheduleEvent(rnd, heap, order, status, ms, endMs, opts.dirt);
    }
  }
}

function newOrder(rnd: Random, seq: number, t0: number, products: Product[], customers: Customer[], opts: StreamOptions): Order {
  const base = rnd.pick(customers);
  const customer = rnd.chance(opts.dirt.test) ? { ...base, id: `TEST-${base.id.slice(5)}` } : base;
  const lineCount = rnd.weighted([[1, 40], [2, 30], [3, 15], [4, 10], [5, 5]] as const);
  const items: Order['items'] = [];
  let cents = 0;
  for (let l = 0; l < lineCount; l++) {
    // Clean lines respect the contract's unit_price limit in the customer's currency
    // (a 1,500 USD laptop is over 100,000 in JPY); invalid prices come only from the defect knob.
    let p = rnd.pick(products);
    while (localPrice(p.price_usd, customer.currency) > MAX_UNIT_PRICE) p = rnd.pick(products);
    const quantity = rnd.weighted([[1, 70], [2, 20], [3, 7], [rnd.int(4, 12), 3]] as const);
    const unit_price = localPrice(p.price_usd, customer.currency);
    cents += Math.round(unit_price * 100) * quantity;
    items.push({ product_id: p.product_id, product_name: p.product_name, category: p.category, quantity, unit_price });
  }
  const shippingCents = cents >= 5000 ? 0 : rnd.pick([499, 699, 999]);
  const discountCents = rnd.chance(0.15) ? Math.round(cents * rnd.pick([0.05, 0.1, 0.15])) : 0;
  return {
    order_id: `ORD-${String(10_000_000 + seq * 7 + rnd.int(0, 6))}`,
    order_ms: Math.floor(t0),
    customer,
    channel: rnd.weighted(CHANNELS),
    payment_method: rnd.weighted(PAYMENTS),
    items,
    shipping_cost: shippingCents / 100,
    discount: discountCents / 100,
    total_amount: (cents + shippingCents - discountCents) / 100,
  };
}

/** Status changes of one order with their times. */
function lifecycle(rnd: Random, t0: number, opts: StreamOptions): Array<[string, number]> {
  const out: Array<[string, number]> = [['PLACED', t0]];
  let t = t0 + rnd.int(1, 30) * MINUTE;
  if (rnd.chance(opts.cancelRate)) {
    if (rnd.chance(0.5)) out.push(['PAID', t]);
    out.push(['CANCELLED', t + rnd.int(5, 48 * 60) * MINUTE]);
    return out;
  }
  out.push(['PAID', t]);
  t += rnd.int(4 * 60, 3 * 24 * 60) * MINUTE;
  out.push(['SHIPPED', t]);
  t += rnd.int(24 * 60, 7 * 24 * 60) * MINUTE;
  out.push(['DELIVERED', t]);
  if (rnd.chance(opts.returnRate)) out.push(['RETURNED', t + rnd.int(2 * 24 * 60, 20 * 24 * 60) * MINUTE]);
  return out;
}

function scheduleEvent(rnd: Random, heap: MinHeap<string>, order: Order, status: string, ms: number, endMs: number, dirt: DirtRates): void {
  const ev: Record<string, unknown> = {
    schema_version: 1,
    event_id: rnd.uuid(),
    order_id: order.order_id,
    status,
    event_time: new Date(Math.floor(ms)).toISOString(),
    order_time: new Date(order.order_ms).toISOString(),
    customer: { id: order.customer.id, name: order.customer.name, email: order.customer.email },
    region: order.customer.region,
    country: order.customer.country,
    city: order.customer.city,
    channel: order.channel,
    payment_method: order.payment_method,
    currency: order.customer.currency,
    items: order.items.map((it) => ({ ...it })),
    shipping_cost: order.shipping_cost,
    discount: order.discount,
    total_amount: order.total_amount,
  };
  let body: string;
  if (rnd.chance(dirt.defect)) body = withDefect(rnd, ev, rnd.pick(DEFECTS), endMs);
  else {
    if (rnd.chance(dirt.normalise)) normaliseDirt(rnd, ev);
    body = JSON.stringify(ev);
  }
  let sendAt = ms;
  if (rnd.chance(dirt.late)) sendAt += rnd.int(1, 20) * DAY;
  else if (rnd.chance(dirt.outOfOrder)) sendAt += rnd.int(1, 30) * MINUTE;
  heap.push(sendAt, body);
  if (rnd.chance(dirt.duplicate)) heap.push(sendAt + rnd.int(1, 600) * 1000, body);
}

/** Values a clean pipeline must accept after normalisation. */
function normaliseDirt(rnd: Random, ev: Record<string, unknown>): void {
  switch (rnd.int(0, 6)) {
    case 0: ev['status'] = ` ${String(ev['status']).toLowerCase()} `; break;
    case 1: ev['region'] = String(ev['region']).toLowerCase().replace(/_/g, rnd.chance(0.5) ? ' ' : '-'); break;
    case 2: ev['currency'] = String(ev['currency']).toLowerCase(); ev['channel'] = String(ev['channel']).toUpperCase(); break;
    case 3: ev['total_amount'] = String(ev['total_amount']); (ev['items'] as Array<Record<string, unknown>>)[0]!['quantity'] = String((ev['items'] as Array<Record<string, unknown>>)[0]!['quantity']); break;
    case 4: ev['event_time'] = withOffset(String(ev['event_time']), rnd.pick([2, -5, 9])); break;
    case 5: ev['app_version'] = `4.${rnd.int(0, 9)}.${rnd.int(0, 20)}`; ev['coupon_code'] = rnd.chance(0.5) ? 'WELCOME10' : null; break;
    default: delete ev['schema_version']; ev['country'] = `  ${String(ev['country'])}  `; break;
  }
}

/** The same instant written with a zone offset of `hours`. */
export function withOffset(iso: string, hours: number): string {
  const local = new Date(Date.parse(iso) + hours * HOUR).toISOString().slice(0, 23);
  const sign = hours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
}

function withDefect(rnd: Random, ev: Record<string, unknown>, defect: Defect, endMs: number): string {
  const items = ev['items'] as Array<Record<string, unknown>>;
  const first = items[0]!;
  switch (defect) {
    case 'malformed_json': {
      const s = JSON.stringify(ev);
      return s.slice(0, rnd.int(10, s.length - 2));
    }
    case 'missing_field': delete ev[rnd.pick(['event_id', 'status', 'region', 'currency', 'total_amount'])]; break;
    case 'invalid_type': first['quantity'] = rnd.pick(['two', 'many', true]); break;
    case 'unsupported_schema_version': ev['schema_version'] = 2; break;
    case 'invalid_event_id': ev['event_id'] = `evt-${rnd.int(1, 1e9)}`; break;
    case 'invalid_order_id': ev['order_id'] = `ORDER-${rnd.int(1, 999)}`; break;
    case 'invalid_status': ev['status'] = rnd.pick(['LOST', 'PENDING', 'REFUNDED']); break;
    case 'invalid_region': ev['region'] = rnd.pick(['ANTARCTICA', 'MOON', 'EU']); break;
    case 'invalid_currency': ev['currency'] = rnd.pick(['CHF', 'XXX', 'BTC']); break;
    case 'invalid_timestamp': ev['event_time'] = String(ev['event_time']).replace(/\.\d+Z$/, ''); break;
    case 'future_event_time': ev['event_time'] = new Date(endMs + rnd.int(400, 800) * DAY).toISOString(); break;
    case 'stale_event_time': ev['event_time'] = '2019-07-01T10:00:00.000Z'; ev['order_time'] = '2019-07-01T09:00:00.000Z'; break;
    case 'event_before_order': ev['event_time'] = new Date(Date.parse(String(ev['order_time'])) - rnd.int(2, 48) * HOUR).toISOString(); break;
    case 'empty_items': ev['items'] = []; break;
    case 'invalid_quantity': first['quantity'] = rnd.pick([0, 1001, 2.5, -1]); break;
    case 'invalid_price': first['unit_price'] = rnd.pick([0, -5]); break;
    case 'invalid_amount': ev['discount'] = -Math.abs(Number(ev['discount']) || 5); break;
    case 'total_mismatch': ev['total_amount'] = Math.round((Number(ev['total_amount']) + rnd.int(1, 50)) * 100) / 100; break;
    case 'invalid_email': (ev['customer'] as Record<string, unknown>)['email'] = rnd.pick(['not-an-email', 'jane@', 'x@y']); break;
  }
  return JSON.stringify(ev);
}
