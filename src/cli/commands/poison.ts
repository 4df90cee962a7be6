import { UsageError, type Command } from '../args';

export const poisonReplayCommand: Command = {
  name: 'poison-replay',
  summary: 'Azure: move silver batches from the poison queue back to the silver queue (after fixing the cause)',
  usage: 'orderlake poison-replay [--queue-url https://<account>.queue.core.windows.net] [--queue <name>]',
  options: {
    'queue-url': { type: 'string', value: 'url', description: 'the state account queue endpoint (env StateStorage__queueServiceUri); signs in with DefaultAzureCredential' },
    'connection-string': { type: 'string', value: 'text', description: 'a connection string instead, e.g. UseDevelopmentStorage=true for Azurite (env STATE_CONNECTION_STRING)' },
    queue: { type: 'string', value: 'name', description: 'the silver queue (env SILVER_QUEUE_NAME)', default: 'silver-batches' },
    'dry-run': { type: 'boolean', description: 'only show what is in the poison queue' },
  },
  examples: ['orderlake poison-replay --queue-url https://orderlakestate.queue.core.windows.net --queue silver-batches'],
  async run(values, _pos, io) {
    const cs = (values['connection-string'] as string | undefined) ?? process.env['STATE_CONNECTION_STRING'];
    const url = (values['queue-url'] as string | undefined) ?? process.env['StateStorage__queueServiceUri'];
    if (!cs && !url) throw new UsageError('expected --queue-url (or StateStorage__queueServiceUri) or --connection-string');
    // The Azure SDKs load only for this command (about 150 ms the other commands do not pay).
    const { QueueServiceClient } = await import('@azure/storage-queue');
    const { DefaultAzureCredential } = await import('@azure/identity');
    const { StorageQueueSender } = await import('../../adapters/azure/storage-queue');
    const service = cs ? QueueServiceClient.fromConnectionString(cs) : new QueueServiceClient(url!, new DefaultAzureCredential());
    const name = process.env['SILVER_QUEUE_NAME'] && values['queue'] === 'silver-batches' ? process.env['SILVER_QUEUE_NAME'] : (values['queue'] as string);
    const poison = new StorageQueueSender(service.getQueueClient(`${name}-poison`));
    if (values['dry-run']) {
      const msgs = await poison.peek(32);
      io.out(msgs.map((m) => JSON.stringify(m)).join('\n') + (msgs.length ? '\n' : ''));
      io.out(`${msgs.length} message(s) shown from ${name}-poison (at most 32)\n`);
      return 0;
    }
    const moved = await poison.moveAllTo(new StorageQueueSender(service.getQueueClient(name)));
    io.out(`moved ${moved} message(s) from ${name}-poison to ${name}; silver processes each batch once (already-committed positions are skipped)\n`);
    return 0;
  },
};
