// The app settings the Azure side reads: one list, so the Bicep and the README can be
// checked against it (infra tests compare them).
import type { FoldSettings } from '../gold/fold';
import { memorySize } from '../util/memory-size';

/** Settings the function bindings name (resolved by the Functions host, not by our code). */
export const BINDING_SETTINGS = [
  'EventHubConnection__fullyQualifiedNamespace',
  'EVENTHUB_NAME',
  'EVENTHUB_CONSUMER_GROUP',
  'StateStorage__queueServiceUri',
  'SILVER_QUEUE_NAME',
  'GOLD_SCHEDULE',
] as const;

/** Settings our code reads. */
export interface AzureSettings {
  /** https://<account>.dfs.core.windows.net; or lakeDir for local development. */
  lakeDfsUrl?: string;
  lakeDir?: string;
  /** https://<account>.table.core.windows.net; or a connection string for Azurite. */
  stateTableUrl?: string;
  stateConnectionString?: string;
  /** The user-assigned identity DefaultAzureCredential signs in as. */
  azureClientId?: string;
}

export const CODE_SETTINGS = ['LAKE_DFS_URL', 'LAKE_DIR', 'STATE_TABLE_URL', 'STATE_CONNECTION_STRING', 'AZURE_CLIENT_ID'] as const;

export function readSettings(env: NodeJS.ProcessEnv): AzureSettings {
  const s: AzureSettings = {};
  const pick = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  const lakeDfsUrl = pick('LAKE_DFS_URL');
  const lakeDir = pick('LAKE_DIR');
  const stateTableUrl = pick('STATE_TABLE_URL');
  const stateConnectionString = pick('STATE_CONNECTION_STRING');
  const azureClientId = pick('AZURE_CLIENT_ID');
  if (lakeDfsUrl) s.lakeDfsUrl = lakeDfsUrl;
  if (lakeDir) s.lakeDir = lakeDir;
  if (stateTableUrl) s.stateTableUrl = stateTableUrl;
  if (stateConnectionString) s.stateConnectionString = stateConnectionString;
  if (azureClientId) s.azureClientId = azureClientId;
  const missing: string[] = [];
  if (!s.lakeDfsUrl && !s.lakeDir) missing.push('LAKE_DFS_URL (or LAKE_DIR for local development)');
  if (!s.stateTableUrl && !s.stateConnectionString) missing.push('STATE_TABLE_URL (or STATE_CONNECTION_STRING for Azurite)');
  if (missing.length) throw new Error(`expected app settings ${missing.join(' and ')}, got none; see README, "Azure settings"`);
  return s;
}

/**
 * Optional tuning our code reads, with defaults when unset (not in the Bicep: a deployment sets
 * them only to change the default).
 */
export const TUNING_SETTINGS = ['GOLD_HOT_DAYS', 'GOLD_COLD_ORDERS_PER_RUN', 'GOLD_MEMORY_LIMIT'] as const;


/**
 * Defaults: today's orders hot; a run's budget of 5 million orders, today's ranges first, then
 * whole older dates (at least one while today's ranges hold less). At 1,000 events/s a date
 * holds 23 million orders, so the largest run of a day is about 28 million orders (300 to 700 s
 * at the 11 to 25 µs per order measured here) and later runs fold nothing until the day turns
 * (docs/performance-notes.md, "Gold for a year at 1,000 events/s").
 */
export const GOLD_FOLD_DEFAULTS: FoldSettings = { hotDays: 0, coldOrdersPerRun: 5_000_000 };

/** Gold's fold settings (src/gold/fold.ts) in Azure, from the optional app settings. */
export function readGoldFold(env: NodeJS.ProcessEnv): FoldSettings {
  const int = (name: 'GOLD_HOT_DAYS' | 'GOLD_COLD_ORDERS_PER_RUN', fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`expected app setting ${name} to be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  return { hotDays: int('GOLD_HOT_DAYS', GOLD_FOLD_DEFAULTS.hotDays, 0), coldOrdersPerRun: int('GOLD_COLD_ORDERS_PER_RUN', GOLD_FOLD_DEFAULTS.coldOrdersPerRun, 1) };
}

/**
 * DuckDB's buffer memory for a gold run in Azure (GOLD_MEMORY_LIMIT), or undefined for gold's
 * default (256MB). On Flex Consumption the timer function scales on instances of its own, so a
 * gold run may take more of the instance's memory (4,096 MB by default: 1GB measured at a peak
 * RSS of 1,476 MB on two dates of 1.7 million orders).
 */
export function readGoldMemoryLimit(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['GOLD_MEMORY_LIMIT']?.trim();
  return raw ? memorySize(raw, 'app setting GOLD_MEMORY_LIMIT') : undefined;
}
