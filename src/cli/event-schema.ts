// The event's JSON Schema, for producers in any language: generated from silver's zod schema
// (src/silver/schema.ts, EventSchema) with zod's z.toJSONSchema, plus a description per field.
// It says the JSON types only; the rules (formats, lists, ranges: each with its code) are in
// docs/contract.md and `orderlake validate` checks them with silver's own code.
// `npm run schema` writes docs/orders-v1.schema.json; a test fails when that file is not current.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { EventSchema } from '../silver/schema';

export const SCHEMA_FILE = 'docs/orders-v1.schema.json';

const DESCRIPTION = [
  'An order event of the orders-v1 contract (v1.1), as a producer sends it: one JSON object per event (per Event Hubs event, or per line of a landing file).',
  'This schema gives the JSON types silver accepts (it is generated from src/silver/schema.ts); it does not hold the rules.',
  'The rules (UUIDs, ORD- ids, status, region and currency lists, timestamps with a zone, ranges, totals), each with its reason code, are in docs/contract.md;',
  "`orderlake validate <file>` checks a file against every rule with the pipeline's own code, no lake needed.",
  'Extra fields at any level are allowed: silver keeps them in _rescued.',
].join(' ');

/** Per field (dotted path, [] for an array's elements): what the contract says beyond the type. */
const FIELDS: Record<string, string> = {
  schema_version: 'Optional, default 1; only 1 exists (else unsupported_schema_version). A number or a decimal string.',
  event_id: 'UUID, 8-4-4-4-12 hex digits, any version, compared case-insensitively; a resend carries the same id (invalid_event_id; a repeat is duplicate_event).',
  order_id: 'ORD- followed by 6 to 12 digits (invalid_order_id); the partition key.',
  status: 'PLACED, PAID, SHIPPED, DELIVERED, CANCELLED or RETURNED; ASCII letters match in any case (invalid_status).',
  event_time: 'When the status changed: ISO-8601 with Z or an offset (invalid_timestamp); not more than 5 minutes after ingestion (future_event_time), not before 2020-01-01 (stale_event_time), not more than 1 minute before order_time (event_before_order).',
  order_time: 'When the order was placed, the same in every event of an order: ISO-8601 with Z or an offset (invalid_timestamp); not before 2020-01-01 (stale_event_time).',
  customer: 'The customer. name and email are personal data: kept in bronze and quarantine only.',
  'customer.id': 'Non-empty (missing_field); ids starting with TEST- are test traffic, dropped (test_order).',
  'customer.email': 'Optional; when present, a string of the form x@y.z (else the invalid_email warning). Silver keeps only its SHA-256.',
  region: 'NORTH_AMERICA, SOUTH_AMERICA, EUROPE, ASIA_PACIFIC or MIDDLE_EAST_AFRICA; ASCII letters in any case, a space or a hyphen for an underscore (invalid_region).',
  country: 'Optional text.',
  city: 'Optional text.',
  channel: 'Optional free text, kept lower-cased (web, mobile, marketplace, store, ...).',
  payment_method: 'Optional free text, kept lower-cased (card, paypal, bank_transfer, ...).',
  currency: 'USD, EUR, GBP, JPY, CAD, AUD, INR or BRL; ASCII letters in any case (invalid_currency).',
  items: 'At least one order line (empty_items).',
  'items[].product_id': 'Non-empty.',
  'items[].product_name': 'Non-empty.',
  'items[].category': 'Non-empty.',
  'items[].quantity': 'An integer in 1..1000 (invalid_quantity). A number or a decimal string.',
  'items[].unit_price': 'In (0, 100000], in the event currency (invalid_price). A number or a decimal string.',
  shipping_cost: 'Optional, default 0, not negative (invalid_amount). A number or a decimal string.',
  discount: 'Optional, default 0, not negative (invalid_amount). A number or a decimal string.',
  total_amount: 'Not negative (invalid_amount); should equal sum(quantity x unit_price) + shipping_cost - discount within 0.01 (else the total_mismatch warning). A number or a decimal string.',
};

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; description?: string; [k: string]: unknown };

function describe(node: JsonSchema, prefix: string): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const at = prefix + name;
    const text = FIELDS[at];
    if (text === undefined) throw new Error(`no description for field ${at} of EventSchema: add one to FIELDS in src/cli/event-schema.ts`);
    child.description = text;
    describe(child, `${at}.`);
    if (child.items) describe(child.items, `${at}[].`);
  }
}

export function eventJsonSchema(): JsonSchema {
  // io 'input': what a producer may send; unknown fields are allowed (no additionalProperties: false).
  const generated = z.toJSONSchema(EventSchema, { io: 'input' }) as JsonSchema;
  describe(generated, '');
  const { $schema, ...rest } = generated;
  return { $schema, title: 'orderlake order event (orders-v1)', description: DESCRIPTION, ...rest };
}

export function eventJsonSchemaText(): string {
  return `${JSON.stringify(eventJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  // Run from dist/src/cli: the repository root is three folders up.
  const file = path.resolve(__dirname, '../../..', SCHEMA_FILE);
  writeFileSync(file, eventJsonSchemaText());
  process.stdout.write(`wrote ${file}\n`);
}
