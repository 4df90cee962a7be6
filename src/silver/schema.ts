// The event's JSON types (contract section 1) as one zod schema. It says what each field
// must be as JSON; normalise.ts then trims, folds case and casts decimal strings
// (contract section 2). Kept to plain types: zod's transforms cost 2-3x on the hot path.
import { z } from 'zod';

const text = z.string();
const optionalText = z.string().nullish();
/** A JSON number, or a string that normalise.ts casts when it is a decimal. */
const numeric = z.union([z.number(), z.string()]);

export const ItemSchema = z.object({
  product_id: text,
  product_name: text,
  category: text,
  quantity: numeric,
  unit_price: numeric,
});

export const CustomerSchema = z.object({
  id: text,
  // Personal data: shape checked by the invalid_email rule, never stored in silver.
  email: z.unknown().optional(),
});

export const EventSchema = z.object({
  schema_version: numeric.nullish(),
  event_id: text,
  order_id: text,
  status: text,
  event_time: text,
  order_time: text,
  customer: CustomerSchema,
  region: text,
  country: optionalText,
  city: optionalText,
  channel: optionalText,
  payment_method: optionalText,
  currency: text,
  items: z.array(ItemSchema),
  shipping_cost: numeric.nullish(),
  discount: numeric.nullish(),
  total_amount: numeric,
});

export type RawEvent = z.output<typeof EventSchema>;
export type RawItem = z.output<typeof ItemSchema>;

// The same test as EventSchema.safeParse(v).success, written out: most events are clean, and
// this takes about a tenth of zod's time. Zod stays the definition (a property test holds the
// two equal) and still explains, field by field, what is wrong with the rest.
/** A JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isNumeric = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isNullishNumeric = (v: unknown) => v === undefined || v === null || isNumeric(v);
const isNullishText = (v: unknown) => v === undefined || v === null || typeof v === 'string';

function isRawItem(v: unknown): boolean {
  return isPlainObject(v) && typeof v['product_id'] === 'string' && typeof v['product_name'] === 'string' && typeof v['category'] === 'string' && isNumeric(v['quantity']) && isNumeric(v['unit_price']);
}

/** True exactly when EventSchema accepts `v`; then `v` may be read as a RawEvent (extra fields are ignored). */
export function isRawEvent(v: unknown): v is RawEvent {
  if (!isPlainObject(v)) return false;
  const customer = v['customer'];
  const items = v['items'];
  if (!isPlainObject(customer) || typeof customer['id'] !== 'string' || !Array.isArray(items)) return false;
  for (let i = 0; i < items.length; i++) if (!isRawItem(items[i])) return false;
  return isNullishNumeric(v['schema_version']) && typeof v['event_id'] === 'string' && typeof v['order_id'] === 'string'
    && typeof v['status'] === 'string' && typeof v['event_time'] === 'string' && typeof v['order_time'] === 'string'
    && typeof v['region'] === 'string' && isNullishText(v['country']) && isNullishText(v['city']) && isNullishText(v['channel'])
    && isNullishText(v['payment_method']) && typeof v['currency'] === 'string' && isNullishNumeric(v['shipping_cost'])
    && isNullishNumeric(v['discount']) && isNumeric(v['total_amount']);
}

/** Known field names per level, to tell extra fields (rescued) from contract fields. */
export const KNOWN_FIELDS = {
  event: new Set(Object.keys(EventSchema.shape)),
  customer: new Set(['id', 'name', 'email']),
  item: new Set(Object.keys(ItemSchema.shape)),
};
