// An Azure lake on local servers, for the command line's cloud mode: the ADLS test server with
// the deployment's four filesystems, Azurite with orderlake's tables and queues, and the
// settings the CLI reads to reach them with the emulator key. Seeded through the function
// handlers themselves (ingestBronze, then refineSilver), from a local lake's bronze batches.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InvocationContext } from '@azure/functions';
import { DataLakeServiceClient, StorageSharedKeyCredential, newPipeline } from '@azure/storage-file-datalake';
import { QueueServiceClient, StorageSharedKeyCredential as QueueSharedKeyCredential } from '@azure/storage-queue';
import { ingestBronze } from '../../functions/ingestBronze';
import { refineSilver } from '../../functions/refineSilver';
import { createServices, setServices, type AzureServices } from '../../src/azure/services';
import { AdlsLake } from '../../src/adapters/azure/adls-lake';
import { parseBronze } from '../../src/bronze/bronze';
import { startAzurite, type Azurite } from './azurite';
import { startDfsServer, type DfsServer } from './dfs-server';

export interface CloudLake {
  azurite: Azurite;
  dfs: DfsServer;
  /** The same adapters the function app uses, on these servers. */
  services: AzureServices;
  queues: QueueServiceClient;
  /** `--lake <url> --state <url>` for the CLI. */
  args: string[];
  /** What the CLI needs to reach emulators (the shared key, the queue endpoint). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export const EMULATOR_ACCOUNT = 'devstoreaccount1';

export async function startCloudLake(opts: { tables?: boolean } = {}): Promise<CloudLake> {
  const azurite = await startAzurite();
  const dfs = await startDfsServer();
  const key = /AccountKey=([^;]+)/.exec(azurite.connectionString)![1]!;
  const credential = new StorageSharedKeyCredential(EMULATOR_ACCOUNT, key);
  const service = new DataLakeServiceClient(dfs.url, credential);
  for (const name of ['bronze', 'silver', 'quarantine', 'gold']) await service.getFileSystemClient(name).create();
  // createServices makes the tables, as the deployment does (infra/modules/state.bicep).
  const services = opts.tables === false ? (undefined as unknown as AzureServices) : { ...(await createServices({ stateConnectionString: azurite.connectionString, lakeDir: '/unused' })), lake: new AdlsLake(dfs.url, newPipeline(credential)) };
  const queues = new QueueServiceClient(azurite.queueUrl, new QueueSharedKeyCredential(EMULATOR_ACCOUNT, key));
  return {
    azurite,
    dfs,
    services,
    queues,
    args: ['--lake', dfs.url, '--state', azurite.tableUrl],
    env: { ORDERLAKE_EMULATOR_KEY: key, StateStorage__queueServiceUri: azurite.queueUrl, SILVER_QUEUE_NAME: 'silver-batches', STATE_TABLE_URL: '' },
    stop: async () => {
      await dfs.stop();
      await azurite.stop();
    },
  };
}

/** A bronze batch handed to ingestBronze as the Event Hubs trigger hands it over (cardinality many, binary). */
function eventHubInvocation(text: string, file: string) {
  const batch = parseBronze(Buffer.from(text, 'utf8'), file);
  const messages = batch.events.map((e) => (e.body !== undefined ? Buffer.from(e.body, 'utf8') : Buffer.from(e.bodyBase64 ?? '', 'base64')));
  const context = new InvocationContext({
    invocationId: `seed-${path.basename(file)}`,
    functionName: 'ingestBronze',
    triggerMetadata: {
      partitionContext: { consumerGroup: 'orderlake', eventHubName: 'orders', fullyQualifiedNamespace: 'ns.servicebus.windows.net', partitionId: batch.partition },
      sequenceNumberArray: batch.events.map((e) => e.sequenceNumber),
      offsetArray: batch.events.map((e) => e.offset),
      enqueuedTimeUtcArray: batch.events.map((e) => e.enqueuedTime),
    },
  });
  return { messages, context };
}

/**
 * Sends a local lake's bronze batches (in file name order; `only` picks some) through the
 * function handlers into the cloud lake: the same events, positions and batches, so its
 * counts equal the local lake's.
 */
export async function seedThroughFunctions(cloud: CloudLake, localLake: string, only: (file: string, i: number) => boolean = () => true): Promise<string[]> {
  const root = path.join(localLake, 'bronze');
  const files = (await fs.readdir(root, { recursive: true })).filter((f) => f.endsWith('.jsonl')).sort().filter(only);
  setServices(cloud.services);
  try {
    for (const f of files) {
      const { messages, context } = eventHubInvocation(await fs.readFile(path.join(root, f), 'utf8'), `bronze/${f}`);
      const message = await ingestBronze(messages, context);
      await refineSilver(message, new InvocationContext({ invocationId: `silver-${f}`, functionName: 'refineSilver', triggerMetadata: { dequeueCount: 1 } }));
    }
  } finally {
    setServices(undefined);
  }
  return files;
}
