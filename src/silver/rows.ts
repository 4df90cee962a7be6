// Silver row shapes. Column order here is the column order in the files; every
// partition column is also inside each row, so readers that ignore hive paths see it.

export interface SilverOrderEvent {
  event_id: string;
  order_id: string;
  schema_version: number;
  status: string;
  status_rank: number;
  event_time: string;
  order_time: string;
  order_date: string;
  order_year: number;
  order_month: number;
  order_dayofweek: number;
  customer_id: string;
  customer_email_sha256: string | null;
  region: string;
  country: string | null;
  city: string | null;
  channel: string | null;
  payment_method: string | null;
  currency: string;
  item_count: number;
  line_count: number;
  shipping_cost: number;
  discount: number;
  total_amount: number;
  order_total_usd: number;
  is_high_value_order: boolean;
  dq_warnings: string[];
  _rescued: string | null;
  ingestion_time: string;
  source_partition: string;
  source_offset: string;
  source_sequence_number: number;
  bronze_file: string;
}

export interface SilverOrderLine {
  event_id: string;
  order_id: string;
  line_number: number;
  product_id: string;
  product_name: string;
  category: string;
  quantity: number;
  unit_price: number;
  currency: string;
  line_total_usd: number;
  order_date: string;
  /** The batch's bronze file, as on its event: what a replay's rewrite of compacted files deletes by. */
  bronze_file: string;
}

export interface QuarantineRecord {
  codes: string[];
  errors: Array<{ code: string; message: string }>;
  event_id: string | null;
  order_id: string | null;
  ingest_date: string;
  ingestion_time: string;
  partition: string;
  offset: string;
  sequence_number: number;
  bronze_file: string;
  /** The raw body exactly as received; body_base64 instead when it is not UTF-8. */
  body: string | null;
  body_base64?: string;
}

const q = JSON.stringify;

/**
 * One silver event as a JSON line, byte-identical to JSON.stringify(row) (a test holds
 * that), written by hand because this is the hottest line of the pipeline. Fields that
 * come from fixed vocabularies or our own formatting need no escaping.
 */
export function silverEventJson(r: SilverOrderEvent): string {
  return '{"event_id":' + q(r.event_id) + ',"order_id":' + q(r.order_id) + ',"schema_version":' + r.schema_version +
    ',"status":"' + r.status + '","status_rank":' + r.status_rank + ',"event_time":"' + r.event_time +
    '","order_time":"' + r.order_time + '","order_date":"' + r.order_date + '","order_year":' + r.order_year +
    ',"order_month":' + r.order_month + ',"order_dayofweek":' + r.order_dayofweek + ',"customer_id":' + q(r.customer_id) +
    ',"customer_email_sha256":' + (r.customer_email_sha256 === null ? 'null' : '"' + r.customer_email_sha256 + '"') +
    ',"region":"' + r.region + '","country":' + q(r.country) + ',"city":' + q(r.city) + ',"channel":' + q(r.channel) +
    ',"payment_method":' + q(r.payment_method) + ',"currency":"' + r.currency + '","item_count":' + r.item_count +
    ',"line_count":' + r.line_count + ',"shipping_cost":' + r.shipping_cost + ',"discount":' + r.discount +
    ',"total_amount":' + r.total_amount + ',"order_total_usd":' + r.order_total_usd + ',"is_high_value_order":' + r.is_high_value_order +
    ',"dq_warnings":' + (r.dq_warnings.length ? q(r.dq_warnings) : '[]') + ',"_rescued":' + (r._rescued === null ? 'null' : q(r._rescued)) +
    ',"ingestion_time":"' + r.ingestion_time + '","source_partition":"' + r.source_partition + '","source_offset":' + q(r.source_offset) +
    ',"source_sequence_number":' + r.source_sequence_number + ',"bronze_file":"' + r.bronze_file + '"}';
}

/** One silver order line as a JSON line, byte-identical to JSON.stringify(line). */
export function silverLineJson(l: SilverOrderLine): string {
  return '{"event_id":' + q(l.event_id) + ',"order_id":' + q(l.order_id) + ',"line_number":' + l.line_number +
    ',"product_id":' + q(l.product_id) + ',"product_name":' + q(l.product_name) + ',"category":' + q(l.category) +
    ',"quantity":' + l.quantity + ',"unit_price":' + l.unit_price + ',"currency":"' + l.currency +
    '","line_total_usd":' + l.line_total_usd + ',"order_date":"' + l.order_date + '","bronze_file":"' + l.bronze_file + '"}';
}
