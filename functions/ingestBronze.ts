// Event Hubs -> bronze. Thin: the batch is converted, written by the shared bronze stage,
// and handed to silver through the queue (the return binding).
import { app, output, type EventHubFunctionOptions, type InvocationContext } from '@azure/functions';
import { toSourceBatch } from '../src/azure/eventhub-batch';
import { ingestBronze as writeBronze } from '../src/pipeline/ingest-bronze';
import { services } from '../src/azure/services';
import { pipelineMetrics } from '../src/azure/telemetry';
import type { BronzeMessage } from '../src/pipeline/ports';

export const silverQueue = output.storageQueue({ queueName: '%SILVER_QUEUE_NAME%', connection: 'StateStorage' });

export async function ingestBronze(messages: unknown, context: InvocationContext): Promise<BronzeMessage | undefined> {
  const batch = toSourceBatch(messages, context.triggerMetadata);
  if (!batch.events.length) return undefined;
  const { lake } = await services();
  const message = await writeBronze(batch, lake);
  const notUtf8 = batch.events.filter((e) => e.body === undefined).length;
  context.log(JSON.stringify({ stage: 'bronze', partition: batch.partition, batchId: message.batchId, events: message.events, notUtf8, file: message.bronzeFile }));
  pipelineMetrics().bronzeBatch(batch.partition, message.events - notUtf8, notUtf8);
  return message;
}

const options: EventHubFunctionOptions & { dataType: 'binary' } = {
  connection: 'EventHubConnection',
  eventHubName: '%EVENTHUB_NAME%',
  consumerGroup: '%EVENTHUB_CONSUMER_GROUP%',
  cardinality: 'many',
  // Bodies as bytes: the default data type makes the host JSON-parse every body and fail
  // the whole batch on one that is not JSON; 'string' would replace invalid UTF-8.
  dataType: 'binary',
  return: silverQueue,
  // The host checkpoints past a batch once its retries are spent, so a bounded count loses the
  // events of a storage outage longer than the retry window. -1 retries without end ("-1 means
  // to retry indefinitely", @azure/functions RetryOptions): the partition waits, its events stay
  // in Event Hubs (retention: infra/modules/eventhubs.bicep) and a redelivered batch rewrites
  // its own bronze file, so nothing is lost or doubled. Backoff 5 s doubling to 5 min.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: { seconds: 5 }, maximumInterval: { minutes: 5 } },
  handler: ingestBronze,
};
app.eventHub('ingestBronze', options);
