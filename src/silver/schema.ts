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

/** Known field names per level, to tell extra fields (rescued) from contract fields. */
export const KNOWN_FIELDS = {
  event: new Set(Object.keys(EventSchema.shape)),
  customer: new Set(['id', 'name', 'email']),
  item: new Set(Object.keys(ItemSchema.shape)),
};
