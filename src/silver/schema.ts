// The event's field types and normalisation (contract section 2), as one zod schema.
// Codes other than the type codes are rules (rules.ts); this file only says what each
// field must be shaped like once trimmed, case-folded and cast.
import { z } from 'zod';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Numbers accept a JSON number or a decimal string; '' counts as absent. */
function castDecimal(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === '') return undefined;
  return DECIMAL.test(t) ? Number(t) : v;
}

/** Optional text: non-strings are a type error, blank is absent. */
function blankToNull(v: unknown): unknown {
  return typeof v === 'string' && v.trim() === '' ? null : v;
}

const requiredText = z.string().trim().min(1);
const optionalText = z.preprocess(blankToNull, z.string().trim().nullish());
const requiredNumber = z.preprocess(castDecimal, z.number());
const optionalNumber = z.preprocess((v) => (v === null ? undefined : castDecimal(v)), z.number().optional());

/** `north america`, `North-America` and `NORTH_AMERICA` are one region. */
export function normaliseRegion(s: string): string {
  return s.toUpperCase().replace(/[\s-]+/g, '_');
}

export const ItemSchema = z.object({
  product_id: requiredText,
  product_name: requiredText,
  category: requiredText,
  quantity: requiredNumber,
  unit_price: requiredNumber,
});

export const CustomerSchema = z.object({
  id: requiredText,
  // Personal data: shape checked by the invalid_email rule, never stored in silver.
  email: z.unknown().optional(),
});

export const EventSchema = z.object({
  schema_version: optionalNumber,
  event_id: requiredText,
  order_id: requiredText,
  status: requiredText.toUpperCase(),
  event_time: requiredText,
  order_time: requiredText,
  customer: CustomerSchema,
  region: requiredText.transform(normaliseRegion),
  country: optionalText,
  city: optionalText,
  channel: optionalText.transform((s) => (s ? s.toLowerCase() : s)),
  payment_method: optionalText.transform((s) => (s ? s.toLowerCase() : s)),
  currency: requiredText.toUpperCase(),
  items: z.array(ItemSchema),
  shipping_cost: optionalNumber,
  discount: optionalNumber,
  total_amount: requiredNumber,
});

export type OrderEvent = z.output<typeof EventSchema>;
export type OrderItem = z.output<typeof ItemSchema>;

/** Known field names per level, to tell extra fields (rescued) from contract fields. */
export const KNOWN_FIELDS = {
  event: new Set([...Object.keys(EventSchema.shape)]),
  customer: new Set(['id', 'name', 'email']),
  item: new Set(Object.keys(ItemSchema.shape)),
};
