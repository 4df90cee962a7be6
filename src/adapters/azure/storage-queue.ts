// Hands bronze batches to silver through a Storage queue (the functions use the output
// binding; replay and tools use this). Messages are base64 JSON, as the Functions queue
// trigger expects by default.
import type { QueueClient } from '@azure/storage-queue';
import type { BronzeMessage } from '../../pipeline/ports';

export class StorageQueueSender {
  constructor(private readonly queue: QueueClient) {}

  async ensure(): Promise<void> {
    await this.queue.createIfNotExists();
  }

  async send(m: BronzeMessage): Promise<void> {
    await this.queue.sendMessage(Buffer.from(JSON.stringify(m), 'utf8').toString('base64'));
  }

  /** Reads messages without removing them (for checks and for replaying a poison queue). */
  async peek(max = 32): Promise<BronzeMessage[]> {
    const r = await this.queue.peekMessages({ numberOfMessages: Math.min(32, max) });
    return r.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as BronzeMessage);
  }

  /** Moves every message of this queue to `target` (replaying a poison queue); returns how many. */
  async moveAllTo(target: StorageQueueSender): Promise<number> {
    let moved = 0;
    for (;;) {
      const r = await this.queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
      if (!r.receivedMessageItems.length) return moved;
      for (const m of r.receivedMessageItems) {
        await target.send(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as BronzeMessage);
        await this.queue.deleteMessage(m.messageId, m.popReceipt);
        moved++;
      }
    }
  }
}
