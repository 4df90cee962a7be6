// Table properties (metaData.configuration): names and defaults from Spark's DeltaConfig.scala,
// delta-rs table/config.rs and kernel-rs table_properties; intervals in the one form every
// reader parses ("interval <n> <unit>", kernel-rs deserialize.rs::parse_interval_impl).

export interface TableProperties {
  /** delta.checkpointInterval: a checkpoint every N versions (Spark's default, 10). */
  checkpointInterval: number;
  /** delta.logRetentionDuration in ms (default 30 days). */
  logRetentionMs: number;
  /** delta.deletedFileRetentionDuration in ms (default 1 week). */
  deletedFileRetentionMs: number;
  /** delta.enableExpiredLogCleanup (default true). */
  enableExpiredLogCleanup: boolean;
  /** delta.setTransactionRetentionDuration in ms; undefined: txns never expire. */
  setTransactionRetentionMs: number | undefined;
  /** delta.dataSkippingNumIndexedCols (default 32; -1: all columns). */
  dataSkippingNumIndexedCols: number;
  /** delta.dataSkippingStatsColumns (takes precedence over the count when set). */
  dataSkippingStatsColumns: string[] | undefined;
  /** delta.checkpoint.writeStatsAsJson (default true). */
  checkpointWriteStatsAsJson: boolean;
  /** delta.appendOnly (default false): writer version 2 must refuse removes when true. */
  appendOnly: boolean;
}

const MS: Record<string, number> = {
  nanosecond: 1e-6,
  microsecond: 1e-3,
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Milliseconds of an "interval <n> <unit>" value (units nanosecond .. week, singular or plural). */
export function parseInterval(value: string, key = 'interval'): number {
  const m = /^\s*interval\s+(\d+)\s+([a-z]+?)s?\s*$/.exec(value);
  const unit = m ? MS[m[2]!] : undefined;
  if (!m || unit === undefined) {
    throw new Error(`${key}: expected "interval <n> <unit>" with a unit from nanosecond to week (e.g. "interval 7 days"), got ${JSON.stringify(value)}`);
  }
  return Math.floor(Number(m[1]) * unit);
}

function positiveInt(value: string, key: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${key}: expected a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

function bool(value: string, key: string): boolean {
  const v = value.trim().toLowerCase();
  if (v !== 'true' && v !== 'false') throw new Error(`${key}: expected "true" or "false", got ${JSON.stringify(value)}`);
  return v === 'true';
}

/** The properties of a table's configuration, with the defaults for those not set. */
export function tableProperties(configuration: Readonly<Record<string, string>>): TableProperties {
  const get = (k: string): string | undefined => configuration[k];
  const numIndexed = get('delta.dataSkippingNumIndexedCols');
  if (numIndexed !== undefined && (!/^-?\d+$/.test(numIndexed) || Number(numIndexed) < -1)) {
    throw new Error(`delta.dataSkippingNumIndexedCols: expected an integer >= -1, got ${JSON.stringify(numIndexed)}`);
  }
  const statsColumns = get('delta.dataSkippingStatsColumns');
  const txnRetention = get('delta.setTransactionRetentionDuration');
  return {
    checkpointInterval: positiveInt(get('delta.checkpointInterval') ?? '10', 'delta.checkpointInterval'),
    logRetentionMs: parseInterval(get('delta.logRetentionDuration') ?? 'interval 30 days', 'delta.logRetentionDuration'),
    deletedFileRetentionMs: parseInterval(get('delta.deletedFileRetentionDuration') ?? 'interval 1 week', 'delta.deletedFileRetentionDuration'),
    enableExpiredLogCleanup: bool(get('delta.enableExpiredLogCleanup') ?? 'true', 'delta.enableExpiredLogCleanup'),
    setTransactionRetentionMs: txnRetention === undefined ? undefined : parseInterval(txnRetention, 'delta.setTransactionRetentionDuration'),
    dataSkippingNumIndexedCols: numIndexed === undefined ? 32 : Number(numIndexed),
    dataSkippingStatsColumns: statsColumns === undefined ? undefined : statsColumns.split(',').map((c) => c.trim().replace(/^`(.*)`$/, '$1')).filter((c) => c !== ''),
    checkpointWriteStatsAsJson: bool(get('delta.checkpoint.writeStatsAsJson') ?? 'true', 'delta.checkpoint.writeStatsAsJson'),
    appendOnly: bool(get('delta.appendOnly') ?? 'false', 'delta.appendOnly'),
  };
}
