// The composition root of the function app: adapters built once per instance from the
// app settings. Functions call services(); tests install their own with setServices().
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { AdlsLake } from '../adapters/azure/adls-lake';
import { TableLedger, TableCommitLog, TableDocuments, TableLease, ensureTable } from '../adapters/azure/table-state';
import { LocalLake } from '../adapters/local/local-lake';
import { readSettings, type AzureSettings } from './settings';
import { lakePipeline, tableClientOptions, type RequestWatcher } from './request-watch';
import type { CommitLog, DedupLedger, DocumentStore, Lake } from '../pipeline/ports';

export interface Lease {
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/**
 * The lease every gold run takes (the timer, and the CLI's gold and replay), so two never
 * overlap; longer than host.json's 10-minute functionTimeout, so a run the host killed frees it.
 */
export const GOLD_LEASE = { name: 'gold', ttlMs: 15 * 60_000 } as const;

export interface AzureServices {
  lake: Lake;
  ledger: DedupLedger;
  commits: CommitLog;
  documents: DocumentStore;
  lease: Lease;
}

export const TABLES = { ledger: 'orderlakeledger', commits: 'orderlakecommits', documents: 'orderlakedocuments', leases: 'orderlakeleases' } as const;

/** `watch` sees every lake and state request before it is sent (request counting, fault tests): src/azure/request-watch.ts. */
export async function createServices(settings: AzureSettings, credential?: TokenCredential, watch?: RequestWatcher): Promise<AzureServices> {
  const cred = credential ?? new DefaultAzureCredential(settings.azureClientId ? { managedIdentityClientId: settings.azureClientId } : {});
  const lake = settings.lakeDfsUrl ? new AdlsLake(settings.lakeDfsUrl, lakePipeline(cred, watch)) : new LocalLake(settings.lakeDir!);
  const table = (name: string) =>
    settings.stateConnectionString
      ? TableClient.fromConnectionString(settings.stateConnectionString, name, { allowInsecureConnection: true, ...tableClientOptions(watch) })
      : new TableClient(settings.stateTableUrl!, name, cred, tableClientOptions(watch));
  const clients = { ledger: table(TABLES.ledger), commits: table(TABLES.commits), documents: table(TABLES.documents), leases: table(TABLES.leases) };
  await Promise.all(Object.values(clients).map(ensureTable));
  return { lake, ...stateServices(clients) };
}

/** The state adapters over one client per table of TABLES (no I/O: the tables must exist). */
export function stateServices(clients: Record<keyof typeof TABLES, TableClient>): Omit<AzureServices, 'lake'> & { lease: TableLease } {
  return {
    ledger: new TableLedger(clients.ledger),
    commits: new TableCommitLog(clients.commits),
    documents: new TableDocuments(clients.documents),
    lease: new TableLease(clients.leases),
  };
}

let current: Promise<AzureServices> | undefined;

export function services(): Promise<AzureServices> {
  current ??= createServices(readSettings(process.env)).catch((e: unknown) => {
    current = undefined; // let the next invocation try again (a transient start-up error)
    throw e;
  });
  return current;
}

/** For tests: use these adapters instead of the ones the settings describe. */
export function setServices(s: AzureServices | undefined): void {
  current = s ? Promise.resolve(s) : undefined;
}
