// An Azure lake for the command line: the lake account (ADLS Gen2) and the state account (Table
// storage, and its queues for the silver backlog), through the function app's own adapters
// (AdlsLake, TableCommitLog, TableLedger, TableDocuments, TableLease). Signs in with
// DefaultAzureCredential: az or azd login on a laptop, a managed identity in Azure.
import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline, type StoragePipelineOptions } from '@azure/storage-file-datalake';
import { AzureNamedKeyCredential, TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { QueueServiceClient, StorageSharedKeyCredential as QueueSharedKeyCredential } from '@azure/storage-queue';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { AdlsLake } from '../adapters/azure/adls-lake';
import { copyLegacyClaims } from '../adapters/azure/ledger-legacy-copy';
import { LEDGER_BUCKETS } from '../adapters/azure/table-state';
import { stateServices, TABLES } from '../azure/services';
import { buildGold, type GoldSummary } from '../gold/build-gold';
import { replayBronze, type ReplaySummary } from '../pipeline/replay';
import { optimizeSilver, vacuumLake } from '../pipeline/maintenance';
import { UsageError } from './args';
import { EMULATOR_KEY_ENV, queueEndpoint, storageEndpoint, type Endpoint } from './cloud-urls';
import { describeCloudError, type CloudEndpoints } from './cloud-errors';
import { leaseOwner, underGoldLease } from './gold-lease';
import type { LakeFiles, LakeHandle, LakeNeeds } from './lake-handle';

/** The filesystems of an orderlake lake account (infra/modules/lake.bicep). */
export const LAKE_FILESYSTEMS = ['bronze', 'silver', 'quarantine', 'gold'] as const;

/** Silver's queue (the deployment's SILVER_QUEUE_NAME); the Functions host adds -poison. */
const DEFAULT_SILVER_QUEUE = 'silver-batches';

/** The first requests check the accounts: a wrong name or a closed port fails at once, not after the full retry schedule. */
const PROBE_STORAGE_RETRY = { maxTries: 2, retryDelayInMs: 500 };
const PROBE_TABLE_RETRY = { maxRetries: 1, retryDelayInMs: 500 };

/** Temporary files of writes killed over an hour ago (as the timer sweeps: no write takes that long). */
const SWEEP_AGE_MS = 3_600_000;

interface Clients {
  lakeService(options?: StoragePipelineOptions): DataLakeServiceClient;
  /** The lake adapter, on its own pipeline with the same credential. */
  lake(): AdlsLake;
  table(name: string, options?: TableServiceClientOptions): TableClient;
  queues?: QueueServiceClient;
}

/** One credential for every client: the emulator's shared key, or DefaultAzureCredential. */
function connect(endpoints: CloudEndpoints, emulatorKey: string | undefined): Clients {
  const token: TokenCredential | undefined = emulatorKey === undefined ? new DefaultAzureCredential() : undefined;
  const { lake, state, queue } = endpoints;
  const lakeCredential = token ?? new StorageSharedKeyCredential(lake.account, emulatorKey!);
  return {
    lakeService: (options = {}) => new DataLakeServiceClient(lake.url, lakeCredential, options),
    lake: () => new AdlsLake(lake.url, newPipeline(lakeCredential)),
    table: (name, options = {}) => {
      if (!state) throw new Error(`internal: table ${name} of a lake opened without its state account`);
      return token
        ? new TableClient(state.url, name, token, options)
        : new TableClient(state.url, name, new AzureNamedKeyCredential(state.account, emulatorKey!), { ...options, allowInsecureConnection: true });
    },
    ...(queue ? { queues: new QueueServiceClient(queue.url, token ?? new QueueSharedKeyCredential(queue.account, emulatorKey!)) } : {}),
  };
}

/** Refuses an account that is not an orderlake lake, as a folder without _state/ is refused. */
async function probeLake(clients: Clients, lake: Endpoint): Promise<void> {
  const names = new Set<string>();
  for await (const fs of clients.lakeService({ retryOptions: PROBE_STORAGE_RETRY }).listFileSystems()) names.add(fs.name);
  const missing = LAKE_FILESYSTEMS.filter((f) => !names.has(f));
  if (missing.length) {
    throw new Error(`${lake.url} is not an orderlake lake: the account has no ${missing.length === 1 ? 'filesystem' : 'filesystems'} ${missing.join(', ')} (a lake account has ${LAKE_FILESYSTEMS.join(', ')}; the deployment's LAKE_DFS_URL names it)`);
  }
}

/** One read of the commit table: a missing table (not a state account) or a missing role shows here. */
async function probeState(clients: Clients): Promise<void> {
  await clients.table(TABLES.commits, { retryOptions: PROBE_TABLE_RETRY }).listEntities().byPage({ maxPageSize: 1 }).next();
}

/** Approximate message count of a queue (0 when the host has not created it yet, as for -poison before a first failure). */
async function queueLength(queues: QueueServiceClient, name: string): Promise<number> {
  try {
    return (await queues.getQueueClient(name).getProperties()).approximateMessagesCount ?? 0;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return 0;
    throw e;
  }
}

function cloudHandle(endpoints: CloudEndpoints, clients: Clients, command: string): LakeHandle {
  const lake = clients.lake();
  const tables = Object.fromEntries(Object.entries(TABLES).map(([k, name]) => [k, clients.table(name)])) as Record<keyof typeof TABLES, TableClient>;
  const { ledger, commits, documents, lease } = stateServices(tables);
  const exclusive = <T>(work: () => Promise<T>) =>
    underGoldLease(lease, leaseOwner(command), async () => {
      await lake.sweepTemporary(new Date(Date.now() - SWEEP_AGE_MS));
      return work();
    });
  const silverQueue = process.env['SILVER_QUEUE_NAME']?.trim() || DEFAULT_SILVER_QUEUE;
  return {
    where: endpoints.lake.url,
    lake,
    ledger,
    commits,
    documents,
    async backlog() {
      if (!clients.queues) throw new Error(`internal: 'orderlake ${command}' opened the lake without its queues`);
      const [failed, pending] = await Promise.all([queueLength(clients.queues, `${silverQueue}-poison`), queueLength(clients.queues, silverQueue)]);
      return { failed, pending };
    },
    gold: (opts) => exclusive(() => buildGold({ lake, commits, documents, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.fold ? { fold: opts.fold } : {}), ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}) }, opts.asOf ? { asOf: opts.asOf } : {})),
    replay: (opts) =>
      exclusive(async () => {
        const r: ReplaySummary & { gold?: GoldSummary } = await replayBronze({ lake, ledger, commits }, opts);
        r.gold = await buildGold({ lake, commits, documents, ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}) });
        return r;
      }),
    optimize: (opts) => exclusive(() => optimizeSilver(lake, opts)),
    vacuum: (opts) => exclusive(() => vacuumLake(lake, commits, opts)),
    // Idempotent and safe beside the running functions (a claim made meanwhile keeps its owner).
    upgrade: async () => ({ ledger: await copyLegacyClaims(tables.ledger, LEDGER_BUCKETS) }),
  };
}

/**
 * Opens the Azure lake `lakeText` names (and its state account, when the command needs it),
 * checks both are orderlake's, and runs `work` on it. Sign-in, permission and network errors
 * come out in plain words, naming the role a refused request needs.
 */
export async function withCloudLake<T>(lakeText: string, stateText: string | undefined, command: string, needs: LakeNeeds, work: (h: LakeHandle) => Promise<T>): Promise<T> {
  const env = process.env;
  const emulatorKey = env[EMULATOR_KEY_ENV]?.trim() || undefined;
  const emulator = emulatorKey !== undefined;
  const endpoints: CloudEndpoints = { lake: storageEndpoint(lakeText, '--lake', 'dfs', emulator) };
  if (needs.state) {
    const given = stateText ?? env['STATE_TABLE_URL']?.trim();
    if (!given) throw new UsageError(`'orderlake ${command}' on an Azure lake needs its state account: --state https://<account>.table.core.windows.net (or env STATE_TABLE_URL, which 'azd env get-values' prints)`);
    endpoints.state = storageEndpoint(given, stateText !== undefined ? '--state' : 'STATE_TABLE_URL', 'table', emulator);
    if (needs.queues) endpoints.queue = queueEndpoint(endpoints.state, env, emulator);
  }
  try {
    const clients = connect(endpoints, emulatorKey);
    await probeLake(clients, endpoints.lake);
    if (needs.state) await probeState(clients);
    const handle: LakeHandle | LakeFiles = needs.state ? cloudHandle(endpoints, clients, command) : { where: endpoints.lake.url, lake: clients.lake() };
    return await work(handle as LakeHandle);
  } catch (e) {
    throw describeCloudError(e, command, endpoints, needs.writes) ?? e;
  }
}
