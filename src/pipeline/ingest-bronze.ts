// Bronze stage with I/O: write one batch, return the message that hands it to silver.
// Called by the Event Hubs function and by the local runner alike.
import { batchIdOf, bronzePathOf, serialiseBronze } from '../bronze/bronze';
import type { BronzeMessage, Lake } from './ports';
import type { SourceBatch } from './types';

export async function ingestBronze(batch: SourceBatch, lake: Lake): Promise<BronzeMessage> {
  const bronzeFile = bronzePathOf(batch);
  await lake.writeFile(bronzeFile, serialiseBronze(batch));
  return { batchId: batchIdOf(batch), partition: batch.partition, bronzeFile, events: batch.events.length };
}
