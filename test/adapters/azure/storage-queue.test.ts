import { QueueServiceClient } from '@azure/storage-queue';
import { StorageQueueSender } from '../../../src/adapters/azure/storage-queue';
import { useAzurite } from '../../helpers/use-azurite';
import { orderlake } from '../../helpers/cli';

const azurite = useAzurite();

describe('StorageQueueSender (Azurite)', () => {
  it('sends base64 JSON messages the queue trigger reads, and moves a poison queue back', async () => {
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString());
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

  it('is what `orderlake poison-replay` uses to send a poison queue back', async () => {
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString());
    const poison = new StorageQueueSender(service.getQueueClient('replayq-poison'));
    await poison.ensure();
    await new StorageQueueSender(service.getQueueClient('replayq')).ensure();
    await poison.send({ batchId: 'p1-9', partition: '1', bronzeFile: 'bronze/p1-9.jsonl', events: 1 });
    const dry = orderlake(['poison-replay', '--connection-string', azurite.connectionString(), '--queue', 'replayq', '--dry-run']);
    expect(dry.stdout).toBe('{"batchId":"p1-9","partition":"1","bronzeFile":"bronze/p1-9.jsonl","events":1}\n1 message(s) shown from replayq-poison (at most 32)\n');
    const r = orderlake(['poison-replay', '--connection-string', azurite.connectionString(), '--queue', 'replayq']);
    expect([r.code, r.stdout]).toEqual([0, 'moved 1 message(s) from replayq-poison to replayq; silver processes each batch once (already-committed positions are skipped)\n']);
    expect((await new StorageQueueSender(service.getQueueClient('replayq')).peek()).map((m) => m.batchId)).toEqual(['p1-9']);
  });
});
