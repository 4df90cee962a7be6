// The quality rules of contract orders-v1, section 2: one line per code, in the
// contract's order. `check` returns undefined when the record passes, or a message
// naming the field and the value when it fails.
import {
  EARLIEST_VALID_MS, FUTURE_TOLERANCE_MS, ORDER_CLOCK_SKEW_MS, SCHEMA_VERSION,
  isCurrency, isRegion, isStatus, STATUSES, REGIONS, RATES_TO_USD,
} from '../contract/reference';
import { exactDifferenceExceeds, exactProduct } from '../util/decimal';
import { show } from '../util/show';
import type { Inspected, PartialEvent } from './inspect';

export type Action = 'fail' | 'quarantine' | 'drop' | 'warn';
/** Strongest first: a record failing several rules takes the strongest action. */
export const ACTION_STRENGTH: Record<Action, number> = { fail: 4, quarantine: 3, drop: 2, warn: 1 };

export interface RecordRule {
  code: string;
  action: Exclude<Action, 'fail'>;
  when: string;
  check: (r: Inspected) => string | undefined;
}

export interface BatchRule {
  code: string;
  action: 'fail';
  when: string;
  check: (b: { records: number; quarantined: number }) => string | undefined;
}

const ORDER_ID = /^ORD-\d{6,12}$/;

/** x@y.z: one @, no white space, a dot inside the domain. A loop, not a regex: linear on hostile input. */
export function isEmailShape(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || /\s/.test(s)) return false;
  const domain = s.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return dot > 0 && dot < domain.length - 1;
}

/** 8-4-4-4-12 hex digits, any version (a character loop: a regex costs 5x on the hot path). */
export function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/**
 * Each failing element of a list, joined into one message: `items[1].quantity 0; items[2].quantity 2.5`.
 * Allocates only when something fails.
 */
function each<T>(list: ReadonlyArray<T | undefined> | undefined, bad: (x: T, i: number) => string | undefined): string | undefined {
  if (!list) return undefined;
  let out: string | undefined;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x === undefined) continue;
    const m = bad(x, i);
    if (m !== undefined) out = out === undefined ? m : `${out}; ${m}`;
  }
  return out;
}

function quantityProblem(it: { quantity?: number | undefined }, i: number): string | undefined {
  const q = it.quantity;
  return q === undefined || (Number.isInteger(q) && q >= 1 && q <= 1000) ? undefined : `items[${i}].quantity ${show(q)} is not an integer in 1..1000`;
}

function priceProblem(it: { unit_price?: number | undefined }, i: number): string | undefined {
  const p = it.unit_price;
  return p === undefined || (p > 0 && p <= 100_000) ? undefined : `items[${i}].unit_price ${show(p)} is not in (0, 100000]`;
}

function problems(r: Inspected, kind: 'missing' | 'type'): string | undefined {
  const list = r.problems.filter((p) => p.kind === kind);
  if (!list.length) return undefined;
  return list
    .map((p) => (kind === 'missing' ? `${p.field} is ${p.value === undefined ? 'absent' : p.value === null ? 'null' : `empty (${show(p.value)})`}` : `${p.field} has ${show(p.value)}, which is not ${expectedType(p.field)}`))
    .join('; ');
}

function expectedType(field: string): string {
  if (/(quantity|unit_price|total_amount|shipping_cost|discount|schema_version)$/.test(field)) return 'a number or a decimal string';
  if (field === 'items') return 'an array of order lines';
  if (field === 'customer' || /^items\[\d+\]$/.test(field)) return 'an object';
  return 'a string';
}

function timestampProblem(name: 'event_time' | 'order_time', r: Inspected): string | undefined {
  const t = name === 'event_time' ? r.eventTime : r.orderTime;
  if (!t || t.ok) return undefined;
  return `${name} ${show(r.ev[name])} ${t.reason}`;
}

function negativeAmounts({ total_amount: t, shipping_cost: s, discount: d }: PartialEvent): string | undefined {
  if (!((t !== undefined && t < 0) || (s !== undefined && s < 0) || (d !== undefined && d < 0))) return undefined;
  const list: Array<[string, number | undefined]> = [['total_amount', t], ['shipping_cost', s], ['discount', d]];
  return list.filter(([, v]) => v !== undefined && v < 0).map(([name, v]) => `${name} ${show(v)} is negative`).join('; ');
}

export const RECORD_RULES: readonly RecordRule[] = [
  { code: 'malformed_json', action: 'quarantine', when: 'the body is not a JSON object',
    check: (r) => (r.malformed === undefined ? undefined : `body ${r.malformed}: ${show(r.body ?? '<binary>')}`) },
  { code: 'missing_field', action: 'quarantine', when: 'a required field is absent, null or an empty string',
    check: (r) => problems(r, 'missing') },
  { code: 'invalid_type', action: 'quarantine', when: 'a field has a type that cannot be cast',
    check: (r) => problems(r, 'type') },
  { code: 'unsupported_schema_version', action: 'quarantine', when: 'schema_version is not 1',
    check: ({ ev }) => (ev.schema_version === undefined || ev.schema_version === SCHEMA_VERSION ? undefined : `schema_version ${show(ev.schema_version)} is not ${SCHEMA_VERSION}`) },
  { code: 'invalid_event_id', action: 'quarantine', when: 'event_id is not a UUID',
    check: ({ ev }) => (ev.event_id === undefined || isUuid(ev.event_id) ? undefined : `event_id ${show(ev.event_id)} is not a UUID (8-4-4-4-12 hex)`) },
  { code: 'invalid_order_id', action: 'quarantine', when: 'order_id is not ORD- and 6..12 digits',
    check: ({ ev }) => (ev.order_id === undefined || ORDER_ID.test(ev.order_id) ? undefined : `order_id ${show(ev.order_id)} is not ORD- followed by 6 to 12 digits`) },
  { code: 'invalid_status', action: 'quarantine', when: 'status is not in the list',
    check: ({ ev, raw }) => (ev.status === undefined || isStatus(ev.status) ? undefined : `status ${show(raw?.['status'] ?? ev.status)} is not one of ${STATUSES.join(', ')}`) },
  { code: 'invalid_region', action: 'quarantine', when: 'region is not in the list',
    check: ({ ev, raw }) => (ev.region === undefined || isRegion(ev.region) ? undefined : `region ${show(raw?.['region'] ?? ev.region)} is not one of ${REGIONS.join(', ')}`) },
  { code: 'invalid_currency', action: 'quarantine', when: 'currency has no rate',
    check: ({ ev, raw }) => (ev.currency === undefined || isCurrency(ev.currency) ? undefined : `currency ${show(raw?.['currency'] ?? ev.currency)} has no rate (known: ${Object.keys(RATES_TO_USD).join(', ')})`) },
  { code: 'invalid_timestamp', action: 'quarantine', when: 'event_time or order_time unparseable or without zone',
    check: (r) => [timestampProblem('event_time', r), timestampProblem('order_time', r)].filter(Boolean).join('; ') || undefined },
  { code: 'future_event_time', action: 'quarantine', when: 'event_time later than ingestion time + 5 minutes',
    check: (r) => (r.eventTime?.ok && r.eventTime.ms > r.ingestionMs + FUTURE_TOLERANCE_MS
      ? `event_time ${show(r.ev.event_time)} is more than 5 minutes after the ingestion time ${new Date(r.ingestionMs).toISOString()}` : undefined) },
  { code: 'stale_event_time', action: 'quarantine', when: 'event_time or order_time before 2020-01-01',
    check: (r) => [
      r.eventTime?.ok && r.eventTime.ms < EARLIEST_VALID_MS ? `event_time ${show(r.ev.event_time)} is before 2020-01-01` : '',
      r.orderTime?.ok && r.orderTime.ms < EARLIEST_VALID_MS ? `order_time ${show(r.ev.order_time)} is before 2020-01-01` : '',
    ].filter(Boolean).join('; ') || undefined },
  { code: 'event_before_order', action: 'quarantine', when: 'event_time earlier than order_time - 1 minute',
    check: (r) => (r.eventTime?.ok && r.orderTime?.ok && r.eventTime.ms < r.orderTime.ms - ORDER_CLOCK_SKEW_MS
      ? `event_time ${show(r.ev.event_time)} is more than 1 minute before order_time ${show(r.ev.order_time)}` : undefined) },
  { code: 'empty_items', action: 'quarantine', when: 'items is an empty array',
    check: ({ ev }) => (ev.items !== undefined && ev.items.length === 0 ? 'items is an empty array' : undefined) },
  { code: 'invalid_quantity', action: 'quarantine', when: 'a quantity is not an integer in 1..1000',
    check: ({ ev }) => each(ev.items, quantityProblem) },
  { code: 'invalid_price', action: 'quarantine', when: 'a unit_price is not in (0, 100000]',
    check: ({ ev }) => each(ev.items, priceProblem) },
  { code: 'invalid_amount', action: 'quarantine', when: 'total_amount, shipping_cost or discount is negative',
    check: ({ ev }) => negativeAmounts(ev) },
  { code: 'test_order', action: 'drop', when: 'customer.id starts with TEST-',
    check: ({ ev }) => (ev.customer?.id?.startsWith('TEST-') ? `customer.id ${show(ev.customer.id)} is internal test traffic` : undefined) },
  { code: 'total_mismatch', action: 'warn', when: 'total_amount differs from the computed total by more than 0.01',
    check: (r) => totalMismatch(r) },
  { code: 'invalid_email', action: 'warn', when: 'customer.email is present and not of the form x@y.z',
    check: ({ ev }) => {
      const e = ev.customer?.email;
      if (e === undefined || e === null || (typeof e === 'string' && e.trim() === '')) return undefined;
      return typeof e === 'string' && isEmailShape(e.trim()) ? undefined : `customer.email ${show(e)} is not of the form x@y.z`;
    } },
];

export const BATCH_RULES: readonly BatchRule[] = [
  { code: 'quarantine_ratio', action: 'fail', when: 'more than 50% of a batch of at least 100 records is quarantined',
    check: ({ records, quarantined }) => (records >= 100 && quarantined * 2 > records
      ? `quarantine_ratio: ${quarantined} of ${records} records (${((100 * quarantined) / records).toFixed(1)}%) were quarantined; the limit is 50% of a batch of at least 100 records`
      : undefined) },
];

/**
 * Only computed when every amount and line parsed (an amount that failed its type is not 0);
 * otherwise the record is quarantined anyway. An empty item list computes to shipping_cost -
 * discount: the record lists every code it failed.
 */
function totalMismatch({ ev, problems }: Inspected): string | undefined {
  const items = ev.items;
  if (ev.total_amount === undefined || !items) return undefined;
  if (problems.some((p) => p.field === 'shipping_cost' || p.field === 'discount')) return undefined;
  let computed = (ev.shipping_cost ?? 0) - (ev.discount ?? 0);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it?.quantity === undefined || it.unit_price === undefined) return undefined;
    computed += it.quantity * it.unit_price;
  }
  const diff = Math.abs(ev.total_amount - computed);
  // Floats decide clear cases; near the 0.01 boundary, decide in exact decimals. Near means
  // within what the float sum may have rounded away: a few ulps of every term, so large amounts
  // (1e11 and more, where an ulp is above 1e-6) are decided exactly too.
  let magnitude = Math.abs(ev.total_amount) + Math.abs(ev.shipping_cost ?? 0) + Math.abs(ev.discount ?? 0);
  for (const it of items) magnitude += Math.abs(it!.quantity! * it!.unit_price!);
  let exceeds = diff > 0.01;
  if (Math.abs(diff - 0.01) <= 1e-6 + 4 * (items.length + 3) * Number.EPSILON * magnitude) {
    const lines = items.map((it) => exactProduct(it!.quantity!, it!.unit_price!));
    exceeds = exactDifferenceExceeds([ev.total_amount, ev.discount ?? 0], [...lines, ev.shipping_cost ?? 0], '0.01');
  }
  return exceeds ? `total_amount ${show(ev.total_amount)} differs from the computed total ${computed.toFixed(2)} (lines + shipping_cost - discount) by more than 0.01` : undefined;
}

export const ALL_CODES: readonly string[] = [...RECORD_RULES.map((r) => r.code), 'duplicate_event', ...BATCH_RULES.map((r) => r.code), 'processing_error'];
