// Contract section 2, normalisation before the rules: strings trimmed; status, region,
// currency, channel and payment_method case-folded; region spaces and hyphens read as
// underscores; decimal strings cast to numbers. Blank required text is missing_field,
// a string that is not a decimal is invalid_type. v1.1 (section 6): a number must be a
// finite double, and codes fold the ASCII letters a-z only.
import type { FieldProblem } from './inspect';
import type { RawEvent, RawItem } from './schema';

export interface OrderItem {
  product_id: string;
  product_name: string;
  category: string;
  quantity: number;
  unit_price: number;
}

export interface OrderEvent {
  schema_version: number | undefined;
  event_id: string;
  order_id: string;
  status: string;
  event_time: string;
  order_time: string;
  customer: { id: string; email?: unknown };
  region: string;
  country: string | null;
  city: string | null;
  channel: string | null;
  payment_method: string | null;
  currency: string;
  items: OrderItem[];
  shipping_cost: number | undefined;
  discount: number | undefined;
  total_amount: number;
}

/** Normalised fields; a field that failed its type or is missing is undefined. */
export type PartialEvent = Partial<Omit<OrderEvent, 'items' | 'customer'>> & {
  customer?: Partial<OrderEvent['customer']>;
  items?: Array<Partial<OrderItem> | undefined>;
};

// Unambiguous (linear) on purpose: `\d+\.?\d*` backtracks quadratically on a long digit run.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Upper-cases the ASCII letters a-z only. String.prototype.toUpperCase folds far more
 * (dotless i to I, long s to S), and contract v1.1 says `paıd` is not PAID.
 */
export function asciiUpper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Most codes arrive upper-case already: the string is returned as it is, without a copy.
    if (c >= 97 && c <= 122) return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
  }
  return s;
}

/** `north america`, `North-America` and `NORTH_AMERICA` are one region: an ASCII space or a hyphen for each underscore, no other separator. */
export function normaliseRegion(s: string): string {
  return asciiUpper(s).replace(/[ -]/g, '_');
}

/** Required text: trimmed; blank is missing. */
function required(v: string | undefined, field: string, problems: FieldProblem[]): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '') {
    problems.push({ kind: 'missing', field, value: v });
    return undefined;
  }
  return t;
}

/** Optional text: trimmed; blank is null. */
function optional(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** A number, or a decimal string cast to one. `undefined` in, or blank optional, gives undefined. */
function numeric(v: number | string | null | undefined, field: string, isRequired: boolean, problems: FieldProblem[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  const t = v.trim();
  if (t === '') {
    if (isRequired) problems.push({ kind: 'missing', field, value: v });
    return undefined;
  }
  if (DECIMAL.test(t)) {
    // A decimal too long for a double (400 digits) is Infinity: not a number the contract accepts.
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  problems.push({ kind: 'type', field, value: v });
  return undefined;
}

function normaliseItem(it: Partial<RawItem> | undefined, i: number, problems: FieldProblem[]): Partial<OrderItem> | undefined {
  if (it === undefined) return undefined;
  return {
    product_id: required(it.product_id, `items[${i}].product_id`, problems),
    product_name: required(it.product_name, `items[${i}].product_name`, problems),
    category: required(it.category, `items[${i}].category`, problems),
    quantity: numeric(it.quantity, `items[${i}].quantity`, true, problems),
    unit_price: numeric(it.unit_price, `items[${i}].unit_price`, true, problems),
  };
}

/**
 * Normalise what the schema accepted. `raw` may be partial (fields that failed their
 * type are absent); new problems (blank text, non-decimal strings) are appended.
 */
export function normalise(raw: Partial<Omit<RawEvent, 'items' | 'customer'>> & { customer?: Partial<RawEvent['customer']>; items?: Array<Partial<RawItem> | undefined> }, problems: FieldProblem[]): PartialEvent {
  const status = required(raw.status, 'status', problems);
  const region = required(raw.region, 'region', problems);
  const currency = required(raw.currency, 'currency', problems);
  const channel = optional(raw.channel);
  const payment = optional(raw.payment_method);
  let items: PartialEvent['items'];
  if (raw.items) {
    items = new Array(raw.items.length);
    for (let i = 0; i < raw.items.length; i++) items[i] = normaliseItem(raw.items[i], i, problems);
  }
  const ev: PartialEvent = {
    schema_version: numeric(raw.schema_version, 'schema_version', false, problems),
    event_id: required(raw.event_id, 'event_id', problems),
    order_id: required(raw.order_id, 'order_id', problems),
    status: status === undefined ? undefined : asciiUpper(status),
    event_time: required(raw.event_time, 'event_time', problems),
    order_time: required(raw.order_time, 'order_time', problems),
    region: region === undefined ? undefined : normaliseRegion(region),
    country: optional(raw.country),
    city: optional(raw.city),
    channel: channel === null ? null : channel.toLowerCase(),
    payment_method: payment === null ? null : payment.toLowerCase(),
    currency: currency === undefined ? undefined : asciiUpper(currency),
    items,
    shipping_cost: numeric(raw.shipping_cost, 'shipping_cost', false, problems),
    discount: numeric(raw.discount, 'discount', false, problems),
    total_amount: numeric(raw.total_amount, 'total_amount', true, problems),
  };
  if (raw.customer) ev.customer = { id: required(raw.customer.id, 'customer.id', problems), email: raw.customer.email };
  return ev;
}
