// How orderlake uses Delta tables, in one place: the table properties every table gets, and the
// txn application ids that record who wrote what up to where.
import type { DeltaSnapshot, LiveFile } from '../delta';

/**
 * Properties every orderlake Delta table gets: a Parquet checkpoint every 10 versions, replaced
 * files kept 7 days for readers of older versions, log entries kept 30 days (Delta's defaults,
 * written out so a reader sees them).
 */
export const TABLE_PROPERTIES: Readonly<Record<string, string>> = {
  'delta.checkpointInterval': '10',
  'delta.deletedFileRetentionDuration': 'interval 7 days',
  'delta.logRetentionDuration': 'interval 30 days',
};

/** The txn application id of gold runs (version: the run number). */
export const GOLD_APP = 'orderlake-gold';
/** The txn application id of a silver source partition (version: the highest silver commit number held). */
/** How silver's files are sorted when compaction or a replay's rewrite writes them: each output covers a narrow date range. */
export const SILVER_SORT_KEYS: Readonly<Record<string, readonly string[]>> = {
  'silver/order_events': ['order_date', 'order_id', 'event_time'],
  'silver/order_lines': ['order_date', 'order_id', 'line_number'],
  quarantine: ['ingest_date', 'partition', 'sequence_number'],
};

export const silverApp = (partition: string) => `orderlake-silver-${partition}`;

/** A table's live files by their path relative to the table (none when the table does not exist yet). */
export function liveByKey(snap: DeltaSnapshot | undefined): Map<string, LiveFile> {
  return new Map([...(snap?.files.values() ?? [])].map((f) => [f.key, f]));
}
