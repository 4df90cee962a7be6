// Turn one raw body into what the rules look at: the parsed JSON, the normalised
// fields (partial when some failed), and the type problems with field and value.
import { EventSchema, ItemSchema, CustomerSchema, isRawEvent, isPlainObject } from './schema';
import { normalise, type PartialEvent } from './normalise';
import { parseTimestamp, type TimestampResult } from '../util/time';
import { isWellFormedJson } from '../util/json-text';
import { escapeControls } from '../util/show';
import type { z } from 'zod';

export type { PartialEvent } from './normalise';

export interface FieldProblem {
  kind: 'missing' | 'type';
  /** Path as a reader writes it: `items[0].quantity`. */
  field: string;
  value: unknown;
}

export interface Inspected {
  body: string | undefined;
  /** The body parsed as a JSON object; undefined when it is not one (malformed_json). */
  raw: Record<string, unknown> | undefined;
  /** Why the body is not a JSON object, when it is not. */
  malformed: string | undefined;
  /** Normalised fields; a field that failed its type is absent here. */
  ev: PartialEvent;
  problems: FieldProblem[];
  eventTime: TimestampResult | undefined;
  orderTime: TimestampResult | undefined;
  ingestionMs: number;
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, p) ? (cur as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return cur;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function problemsOf(error: z.ZodError, root: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const value = valueAt(root, issue.path);
    out.push({ kind: isBlank(value) ? 'missing' : 'type', field: fieldPath(issue.path), value });
  }
  return out;
}

/** Slow path, only for records that failed the schema: keep what parsed, field by field. */
function parsePartial(raw: Record<string, unknown>): Parameters<typeof normalise>[0] {
  const ev: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(EventSchema.shape)) {
    if (key === 'items' || key === 'customer') continue;
    const r = (schema as z.ZodType).safeParse(raw[key]);
    if (r.success) ev[key] = r.data;
  }
  const customer = raw['customer'];
  if (isPlainObject(customer)) {
    const c: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(CustomerSchema.shape)) {
      const r = (schema as z.ZodType).safeParse(customer[key]);
      if (r.success) c[key] = r.data;
    }
    ev['customer'] = c;
  }
  const items = raw['items'];
  if (Array.isArray(items)) {
    ev['items'] = items.map((line) => {
      if (!isPlainObject(line)) return undefined;
      const it: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(ItemSchema.shape)) {
        const r = (schema as z.ZodType).safeParse(line[key]);
        if (r.success) it[key] = r.data;
      }
      return it;
    });
  }
  return ev;
}

export function inspect(body: string | undefined, ingestionMs: number): Inspected {
  let parsed: unknown;
  let malformed: string | undefined;
  if (body === undefined) {
    malformed = 'is not valid UTF-8 text';
  } else {
    try {
      parsed = JSON.parse(body);
      if (!isPlainObject(parsed)) malformed = `is JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}, not an object`;
      else if (!isWellFormedJson(body, parsed)) malformed = 'holds an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair): not valid Unicode text';
    } catch (e) {
      // V8's message quotes the body as it is: escaped, so printing it cannot drive a terminal.
      malformed = `is not valid JSON (${escapeControls((e as Error).message)})`;
    }
  }
  if (malformed !== undefined || !isPlainObject(parsed)) {
    return { body, raw: undefined, malformed, ev: {}, problems: [], eventTime: undefined, orderTime: undefined, ingestionMs };
  }
  let problems: FieldProblem[] = [];
  let ev: PartialEvent;
  if (isRawEvent(parsed)) {
    ev = normalise(parsed, problems);
  } else {
    const result = EventSchema.safeParse(parsed);
    if (result.success) {
      ev = normalise(result.data, problems);
    } else {
      problems = problemsOf(result.error, parsed);
      ev = normalise(parsePartial(parsed), problems);
    }
  }
  return {
    body,
    raw: parsed,
    malformed: undefined,
    ev,
    problems,
    eventTime: ev.event_time === undefined ? undefined : parseTimestamp(ev.event_time),
    orderTime: ev.order_time === undefined ? undefined : parseTimestamp(ev.order_time),
    ingestionMs,
  };
}
