import { QueueServiceClient } from '@azure/storage-queue';
import { StorageQueueSender } from '../../../src/adapters/azure/storage-queue';
import { startAzurite, type Azurite } from '../../helpers/azurite';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

describe('StorageQueueSender (Azurite)', () => {
  it('sends base64 JSON messages the queue trigger reads, and moves a poison queue back', async () => {
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    const main = new StorageQueueSender(service.getQueueClient('silver-batches'));
    const poison = new StorageQueueSender(service.getQueueClient('silver-batches-poison'));
    await main.ensure();
    await poison.ensure();
    const m = (id: string) => ({ batchId: id, partition: '0', bronzeFile: `bronze/${id}.jsonl`, events: 3 });
    await poison.send(m('p0-1'));
    await poison.send(m('p0-2'));
    const raw = await service.getQueueClient('silver-batches-poison').peekMessages({ numberOfMessages: 1 });
    expect(JSON.parse(Buffer.from(raw.peekedMessageItems[0]!.messageText, 'base64').toString('utf8'))).toEqual(m('p0-1'));
    expect(await poison.moveAllTo(main)).toBe(2);
    expect(await poison.peek()).toEqual([]);
    expect((await main.peek()).map((x) => x.batchId)).toEqual(['p0-1', 'p0-2']);
  });
});
