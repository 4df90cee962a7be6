// Queue message (a bronze batch) -> silver, quarantine and the dedup ledger. A `fail`
// rule or a transient error throws: the queue retries, then moves the message to the
// poison queue, and bronze keeps the batch for a replay.
import { app, type InvocationContext } from '@azure/functions';
import { parseBronze } from '../src/bronze/bronze';
import { refineBatch, BatchFailedError } from '../src/pipeline/refine-batch';
import { services } from '../src/azure/services';
import { pipelineMetrics } from '../src/azure/telemetry';
import type { BronzeMessage } from '../src/pipeline/ports';

export function parseBronzeMessage(message: unknown): BronzeMessage {
  const m = (typeof message === 'string' ? JSON.parse(message) : message) as Partial<BronzeMessage> | null;
  if (!m || typeof m.batchId !== 'string' || typeof m.partition !== 'string' || typeof m.bronzeFile !== 'string') {
    throw new Error(`expected a silver queue message {batchId, partition, bronzeFile, events}, got ${JSON.stringify(message)?.slice(0, 200)}`);
  }
  return { batchId: m.batchId, partition: m.partition, bronzeFile: m.bronzeFile, events: Number(m.events ?? 0) };
}

export async function refineSilver(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseBronzeMessage(message);
  const { lake, ledger, commits } = await services();
  const batch = parseBronze(await lake.readFile(m.bronzeFile), m.bronzeFile);
  const started = Date.now();
  try {
    const r = await refineBatch({ ...batch, batchId: m.batchId, bronzeFile: m.bronzeFile }, { lake, ledger, commits });
    context.log(JSON.stringify({ stage: 'silver', batchId: m.batchId, status: r.status, dequeueCount: context.triggerMetadata?.['dequeueCount'], ...(r.commit ? { ...r.commit.counts, codes: undefined } : {}) }));
    if (r.commit) pipelineMetrics().silverBatch(m.partition, r.commit.counts, (Date.now() - started) / 1000);
  } catch (e) {
    if (e instanceof BatchFailedError) {
      context.error(JSON.stringify({ stage: 'silver', batchId: m.batchId, failedRule: e.code, message: e.message }));
      pipelineMetrics().silverFailed(e.code);
    }
    throw e;
  }
}

app.storageQueue('refineSilver', { queueName: '%SILVER_QUEUE_NAME%', connection: 'StateStorage', handler: refineSilver });
