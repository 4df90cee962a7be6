// The real Event Hubs producer: identity-based (DefaultAzureCredential) by default, a
// connection string only for the local emulator or when a user chooses one.
import type * as EventHubs from '@azure/event-hubs';
import type * as Identity from '@azure/identity';
import type { ProducerLike, EventBatchLike } from './batching-sender';

export interface EventHubsTarget {
  /** e.g. mynamespace.servicebus.windows.net */
  fullyQualifiedNamespace?: string;
  eventHubName?: string;
  connectionString?: string;
}

export function eventHubsTargetFromEnv(env: NodeJS.ProcessEnv): EventHubsTarget {
  const t: EventHubsTarget = {};
  const ns = env['EVENTHUB_FULLY_QUALIFIED_NAMESPACE'];
  const hub = env['EVENTHUB_NAME'];
  const cs = env['EVENTHUB_CONNECTION_STRING'];
  if (ns) t.fullyQualifiedNamespace = ns;
  if (hub) t.eventHubName = hub;
  if (cs) t.connectionString = cs;
  return t;
}

export function createProducer(t: EventHubsTarget): { producer: ProducerLike; partitionIds: () => Promise<string[]>; close: () => Promise<void> } {
  // Loaded when a producer is made: the Azure SDKs cost about 150 ms to load, and
  // `orderlake produce` writing to a file (and every other command) never needs them.
  const { EventHubProducerClient } = require('@azure/event-hubs') as typeof EventHubs;
  const { DefaultAzureCredential } = require('@azure/identity') as typeof Identity;
  let client: EventHubs.EventHubProducerClient;
  if (t.connectionString) {
    client = t.eventHubName ? new EventHubProducerClient(t.connectionString, t.eventHubName) : new EventHubProducerClient(t.connectionString);
  } else {
    if (!t.fullyQualifiedNamespace || !t.eventHubName) {
      throw new Error('expected an Event Hubs namespace and hub: --namespace <ns>.servicebus.windows.net --hub <name> (or EVENTHUB_FULLY_QUALIFIED_NAMESPACE and EVENTHUB_NAME), or --connection-string for the emulator');
    }
    client = new EventHubProducerClient(t.fullyQualifiedNamespace, t.eventHubName, new DefaultAzureCredential());
  }
  return {
    producer: {
      createBatch: (o) => client.createBatch(o) as Promise<EventBatchLike>,
      sendBatch: (b) => client.sendBatch(b as EventHubs.EventDataBatch),
    },
    partitionIds: () => client.getPartitionIds(),
    close: () => client.close(),
  };
}
