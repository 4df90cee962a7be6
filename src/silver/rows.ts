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
