// The silver stage, pure: source events in, decisions out. No I/O, no clock, no SDK;
// the caller supplies the dedup ledger's answers (see pipeline/refine-batch.ts).
import { RATES_TO_USD, STATUS_RANK, HIGH_VALUE_USD_CENTS, type Currency, type Status } from '../contract/reference';
import { productToAmount, productToCents } from '../util/decimal';
import { isoUtc, isoDayOfWeek } from '../util/time';
import { sha256Hex } from '../util/hash';
import { inspect, type Inspected } from './inspect';
import { rescuedFields } from './rescued';
import { RECORD_RULES, BATCH_RULES, ACTION_STRENGTH, type Action, type BatchRule, type RecordRule } from './rules';
import { show } from '../util/show';
import type { SilverOrderEvent, SilverOrderLine, QuarantineRecord } from './rows';
import { positionOf, type SourceEvent } from '../pipeline/types';
import type { OrderItem } from './normalise';

export const DUPLICATE_CODE = 'duplicate_event';
/**
 * Not a contract rule: a record the stage failed to decide (a bug, not bad data). It is
 * quarantined with the error, so that one record never stops a batch (contract v1.1:
 * "one record never stops a batch, except through the fail rule").
 */
export const PROCESSING_ERROR_CODE = 'processing_error';

const RATE_NUMBERS = Object.fromEntries(Object.entries(RATES_TO_USD).map(([c, r]) => [c, Number(r)])) as Record<Currency, number>;

/**
 * The canonical UTC text of a parsed timestamp. A parsed text of 24 characters with T, '.'
 * and Z in place can only be YYYY-MM-DDTHH:MM:SS.sssZ, so it is reused as it is.
 */
function utcText(text: string, ms: number): string {
  return text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84 && text.charCodeAt(19) === 46 ? text : isoUtc(ms);
}

export type Decision =
  | { kind: 'silver'; position: string; eventId: string; row: SilverOrderEvent; lines: SilverOrderLine[]; codes: string[] }
  | { kind: 'duplicate'; position: string; eventId: string; ownedBy: string; codes: string[]; ingestDate: string }
  // eventId: the id as a claim would hold it (trimmed, lower-cased), for a replay to release.
  | { kind: 'quarantine'; position: string; record: QuarantineRecord; codes: string[]; eventId?: string }
  | { kind: 'drop'; position: string; codes: string[]; ingestDate: string; eventId?: string };

export interface Failure {
  code: string;
  message: string;
}

/**
 * Apply every record rule; the strongest action decides where the record goes. Never
 * throws: a record that makes the stage fail is quarantined as `processing_error`.
 */
export function decide(event: SourceEvent, bronzeFile: string, rules: readonly RecordRule[] = RECORD_RULES): Decision {
  try {
    return decideRecord(event, bronzeFile, rules);
  } catch (e) {
    const codes = [PROCESSING_ERROR_CODE];
    const message = `the pipeline could not process this record (${show((e as Error)?.message ?? e)}); it is kept here with its body for a replay once fixed`;
    const ingestDate = String(event.enqueuedTime).slice(0, 10);
    const only = rawOnly(event.body);
    const id = only?.raw?.['event_id'];
    const record = quarantineRecord(event, only, codes, [{ code: PROCESSING_ERROR_CODE, message }], bronzeFile, ingestDate);
    return { kind: 'quarantine', position: positionOf(event), codes, record, ...(typeof id === 'string' ? { eventId: id.trim().toLowerCase() } : {}) };
  }
}

/** The parsed body alone (for the ids of a processing_error record), or nothing. */
function rawOnly(body: string | undefined): Pick<Inspected, 'raw'> | undefined {
  try {
    const parsed: unknown = body === undefined ? undefined : JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { raw: parsed as Record<string, unknown> } : undefined;
  } catch {
    return undefined;
  }
}

function decideRecord(event: SourceEvent, bronzeFile: string, rules: readonly RecordRule[]): Decision {
  const ingestionMs = Date.parse(event.enqueuedTime);
  const r = inspect(event.body, ingestionMs);
  const codes: string[] = [];
  const messages: Array<{ code: string; message: string }> = [];
  let strongest: Action | undefined;
  for (const rule of rules) {
    const message = rule.check(r);
    if (message === undefined) continue;
    codes.push(rule.code);
    messages.push({ code: rule.code, message });
    if (!strongest || ACTION_STRENGTH[rule.action] > ACTION_STRENGTH[strongest]) strongest = rule.action;
  }
  const position = positionOf(event);
  const ingestDate = event.enqueuedTime.slice(0, 10);
  if (strongest === 'quarantine') {
    const id = r.ev.event_id;
    return { kind: 'quarantine', position, codes, record: quarantineRecord(event, r, codes, messages, bronzeFile, ingestDate), ...(id === undefined ? {} : { eventId: id.toLowerCase() }) };
  }
  if (strongest === 'drop') {
    const id = r.ev.event_id;
    return id === undefined ? { kind: 'drop', position, codes, ingestDate } : { kind: 'drop', position, codes, ingestDate, eventId: id.toLowerCase() };
  }
  const { row, lines } = silverRows(r, codes, event, bronzeFile);
  return { kind: 'silver', position, eventId: row.event_id, row, lines, codes };
}

function quarantineRecord(
  event: SourceEvent, r: Pick<Inspected, 'raw'> | undefined, codes: string[], errors: Array<{ code: string; message: string }>,
  bronzeFile: string, ingestDate: string,
): QuarantineRecord {
  const rec: QuarantineRecord = {
    codes,
    errors,
    event_id: typeof r?.raw?.['event_id'] === 'string' ? (r.raw['event_id'] as string) : null,
    order_id: typeof r?.raw?.['order_id'] === 'string' ? (r.raw['order_id'] as string) : null,
    ingest_date: ingestDate,
    ingestion_time: event.enqueuedTime,
    partition: event.partition,
    offset: event.offset,
    sequence_number: event.sequenceNumber,
    bronze_file: bronzeFile,
    body: event.body ?? null,
  };
  if (event.bodyBase64 !== undefined) rec.body_base64 = event.bodyBase64;
  return rec;
}

/** Only called when no quarantine rule fired, so every required field is present and valid. */
function silverRows(r: Inspected, warnings: string[], event: SourceEvent, bronzeFile: string) {
  const ev = r.ev;
  const items = ev.items as OrderItem[];
  const currency = ev.currency as Currency;
  const rate = RATE_NUMBERS[currency];
  const eventMs = (r.eventTime as { ms: number }).ms;
  const orderMs = (r.orderTime as { ms: number }).ms;
  const eventTime = utcText(ev.event_time as string, eventMs);
  const orderTime = utcText(ev.order_time as string, orderMs);
  const orderDate = orderTime.slice(0, 10);
  const eventId = (ev.event_id as string).toLowerCase();
  const orderId = ev.order_id as string;
  const lines: SilverOrderLine[] = new Array(items.length);
  let itemCount = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as OrderItem;
    itemCount += it.quantity;
    lines[i] = {
      event_id: eventId,
      order_id: orderId,
      line_number: i + 1,
      product_id: it.product_id,
      product_name: it.product_name,
      category: it.category,
      quantity: it.quantity,
      unit_price: it.unit_price,
      currency,
      line_total_usd: usd(productToCents(it.quantity, it.unit_price, rate), it.quantity, it.unit_price, rate),
      order_date: orderDate,
      bronze_file: bronzeFile,
    };
  }
  const totalCents = productToCents(ev.total_amount as number, rate);
  const email = ev.customer?.email;
  const row: SilverOrderEvent = {
    event_id: eventId,
    order_id: orderId,
    schema_version: ev.schema_version ?? 1,
    status: ev.status as string,
    status_rank: STATUS_RANK[ev.status as Status],
    event_time: eventTime,
    order_time: orderTime,
    order_date: orderDate,
    order_year: Number(orderDate.slice(0, 4)),
    order_month: Number(orderDate.slice(5, 7)),
    order_dayofweek: isoDayOfWeek(orderMs),
    customer_id: ev.customer?.id as string,
    customer_email_sha256: typeof email === 'string' && email.trim() !== '' ? sha256Hex(email.trim().toLowerCase()) : null,
    region: ev.region as string,
    country: ev.country || null,
    city: ev.city || null,
    channel: ev.channel || null,
    payment_method: ev.payment_method || null,
    currency,
    item_count: itemCount,
    line_count: items.length,
    shipping_cost: ev.shipping_cost ?? 0,
    discount: ev.discount ?? 0,
    total_amount: ev.total_amount as number,
    order_total_usd: usd(totalCents, ev.total_amount as number, rate),
    is_high_value_order: totalCents >= HIGH_VALUE_USD_CENTS,
    dq_warnings: warnings,
    _rescued: rescuedFields(r.raw as Record<string, unknown>, r.body),
    ingestion_time: event.enqueuedTime,
    source_partition: event.partition,
    source_offset: event.offset,
    source_sequence_number: event.sequenceNumber,
    bronze_file: bronzeFile,
  };
  return { row, lines };
}

/**
 * A rounded product in USD: its cents / 100 while they are a safe integer (the hot path), else
 * the exact amount's nearest double. Past the largest double (an amount beyond 1.66e308 in EUR
 * or GBP) the nearest value is that largest double.
 */
function usd(cents: number, ...factors: number[]): number {
  if (Number.isSafeInteger(cents)) return cents / 100;
  const x = productToAmount(...factors);
  return Number.isFinite(x) ? x : x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** The batch rules (quarantine_ratio): a failure stops the whole batch before anything is written. */
export function checkBatch(decisions: readonly Decision[], rules: readonly BatchRule[] = BATCH_RULES): Failure | undefined {
  let quarantined = 0;
  for (const d of decisions) if (d.kind === 'quarantine') quarantined++;
  for (const rule of rules) {
    const message = rule.check({ records: decisions.length, quarantined });
    if (message !== undefined) return { code: rule.code, message };
  }
  return undefined;
}

/**
 * Dedup: `owners` answers, per event id, which position holds it in silver (after this
 * batch's claims). A silver decision whose id is owned by another position is a duplicate.
 */
export function resolveDuplicates(decisions: readonly Decision[], owners: ReadonlyMap<string, string>): Decision[] {
  return decisions.map((d) => {
    if (d.kind !== 'silver') return d;
    const owner = owners.get(d.eventId);
    if (owner === undefined) throw new Error(`dedup ledger gave no owner for event_id ${d.eventId} at ${d.position}`);
    if (owner === d.position) return d;
    return { kind: 'duplicate', position: d.position, eventId: d.eventId, ownedBy: owner, codes: [DUPLICATE_CODE], ingestDate: d.row.ingestion_time.slice(0, 10) };
  });
}

export interface BatchCounts {
  received: number;
  written: number;
  quarantined: number;
  dropped: number;
  duplicates: number;
  warned: number;
  malformed: number;
  codes: Record<string, number>;
}

export function emptyCounts(): BatchCounts {
  return { received: 0, written: 0, quarantined: 0, dropped: 0, duplicates: 0, warned: 0, malformed: 0, codes: {} };
}

export function addCounts(into: BatchCounts, from: BatchCounts): BatchCounts {
  into.received += from.received;
  into.written += from.written;
  into.quarantined += from.quarantined;
  into.dropped += from.dropped;
  into.duplicates += from.duplicates;
  into.warned += from.warned;
  into.malformed += from.malformed;
  for (const [code, n] of Object.entries(from.codes)) into.codes[code] = (into.codes[code] ?? 0) + n;
  return into;
}

/** Counts of final decisions; received = written + quarantined + dropped + duplicates by construction. */
export function countDecisions(decisions: readonly Decision[]): BatchCounts {
  const c = emptyCounts();
  for (const d of decisions) {
    c.received++;
    if (d.kind === 'silver') {
      c.written++;
      if (d.codes.length) c.warned++;
    } else if (d.kind === 'quarantine') {
      c.quarantined++;
      if (d.codes.includes('malformed_json')) c.malformed++;
    } else if (d.kind === 'drop') c.dropped++;
    else c.duplicates++;
    for (const code of d.codes) c.codes[code] = (c.codes[code] ?? 0) + 1;
  }
  return c;
}

/** data_quality rows of a batch: records per (ingest_date, code, action). */
export function dataQualityRows(decisions: readonly Decision[]): Array<{ ingest_date: string; code: string; action: string; records: number }> {
  const actionOf = new Map<string, string>(RECORD_RULES.map((r) => [r.code, r.action]));
  actionOf.set(DUPLICATE_CODE, 'drop');
  actionOf.set(PROCESSING_ERROR_CODE, 'quarantine');
  const counts = new Map<string, number>();
  for (const d of decisions) {
    const date = d.kind === 'silver' ? d.row.ingestion_time.slice(0, 10) : d.kind === 'quarantine' ? d.record.ingest_date : d.ingestDate;
    for (const code of d.codes) {
      const key = `${date}\u0000${code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].map(([key, records]) => {
    const [ingest_date = '', code = ''] = key.split('\u0000');
    return { ingest_date, code, action: actionOf.get(code) ?? 'quarantine', records };
  });
}
