// Reference data of contract orders-v1 (sections 1, 3 and 4). One place, so a new
// status, region or rate is a one-line change that every stage sees.

export const STATUS_RANK = {
  PLACED: 1,
  PAID: 2,
  SHIPPED: 3,
  DELIVERED: 4,
  CANCELLED: 5,
  RETURNED: 6,
} as const;
export type Status = keyof typeof STATUS_RANK;
export const STATUSES = Object.keys(STATUS_RANK) as Status[];

export const REGIONS = ['NORTH_AMERICA', 'SOUTH_AMERICA', 'EUROPE', 'ASIA_PACIFIC', 'MIDDLE_EAST_AFRICA'] as const;
export type Region = (typeof REGIONS)[number];

/** Currency rates to USD, reference data version 1. Kept as decimal strings for exact money maths. */
export const RATES_TO_USD = {
  USD: '1.0',
  EUR: '1.08',
  GBP: '1.27',
  JPY: '0.0067',
  CAD: '0.73',
  AUD: '0.66',
  INR: '0.012',
  BRL: '0.20',
} as const;
export type Currency = keyof typeof RATES_TO_USD;
export const RATES_VERSION = 1;

export const SCHEMA_VERSION = 1;

/** Events stamped earlier than this are stale_event_time. */
export const EARLIEST_VALID_MS = Date.UTC(2020, 0, 1);
/** future_event_time tolerance after the ingestion (enqueued) time. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** event_before_order tolerance before order_time. */
export const ORDER_CLOCK_SKEW_MS = 60_000;
export const HIGH_VALUE_USD_CENTS = 50_000;

export function isStatus(s: string): s is Status {
  return Object.prototype.hasOwnProperty.call(STATUS_RANK, s);
}
export function isRegion(s: string): s is Region {
  return (REGIONS as readonly string[]).includes(s);
}
export function isCurrency(s: string): s is Currency {
  return Object.prototype.hasOwnProperty.call(RATES_TO_USD, s);
}
