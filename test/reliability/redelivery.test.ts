// Redelivery: the same Event Hubs batch twice, and a batch split differently on redelivery,
// leave silver unchanged; so does a silver queue message processed twice. Through the real
// function handlers, on local adapters.
import * as path from 'node:path';
import { InvocationContext } from '@azure/functions';
import { ingestBronze } from '../../functions/ingestBronze';
import { refineSilver } from '../../functions/refineSilver';
import { setServices } from '../../src/azure/services';
import { LocalLake } from '../../src/adapters/local/local-lake';
import { LocalState } from '../../src/adapters/local/local-state';
import { pipelineStats } from '../../src/pipeline/stats';
import { orderEvent, uuid } from '../helpers/events';
import { tempDirs } from '../helpers/tmp';
import { eventIdsOf } from '../helpers/silver';

const tmp = tempDirs();

function install(dir: string) {
  const lake = new LocalLake(dir);
  const state = new LocalState(path.join(dir, '_state'));
  setServices({ lake, ledger: state.ledger, commits: state.commits, documents: state.documents, lease: { acquire: async () => true, release: async () => {} } });
  return { lake, state };
}
afterAll(() => setServices(undefined));

/** Events at sequence numbers first..last of partition 1; body n is order event n. */
function delivery(first: number, last: number) {
  const seqs = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const bodies = seqs.map((s) => Buffer.from(JSON.stringify(orderEvent({ event_id: uuid(s), order_id: `ORD-${200000 + s}` }))));
  const context = new InvocationContext({
    functionName: 'ingestBronze',
    triggerMetadata: {
      partitionContext: { partitionId: '1' },
      sequenceNumberArray: seqs,
      offsetArray: seqs.map((s) => String(s * 700)),
      enqueuedTimeUtcArray: seqs.map(() => '2026-03-05T12:00:00Z'),
    },
  });
  return { bodies, context };
}

async function deliverAndRefine(first: number, last: number, times = 1) {
  const d = delivery(first, last);
  const m = await ingestBronze(d.bodies, d.context);
  for (let i = 0; i < times; i++) await refineSilver(m, new InvocationContext({ functionName: 'refineSilver' }));
}

/** Event ids in silver (duplicates kept, so a doubled row shows), through the live commits' files. */
async function silverRows(lake: LocalLake): Promise<string[]> {
  const commits = new LocalState(path.join(lake.root, '_state')).commits;
  return eventIdsOf(lake, (await commits.all()).flatMap((c) => c.files).filter((f) => f.startsWith('silver/order_events/')));
}

describe('redelivery', () => {
  it('of the same batch, and its queue message twice, leaves silver unchanged', async () => {
    const { lake, state } = install(tmp());
    await deliverAndRefine(0, 9, 2);
    const once = await silverRows(lake);
    await deliverAndRefine(0, 9, 2);
    expect(await silverRows(lake)).toEqual(once);
    expect(once.length).toBe(10);
    expect(await pipelineStats(state.commits)).toMatchObject({ received: 10, written: 10, duplicates: 0 });
  });

  it('of a batch split differently processes only the new positions', async () => {
    const { lake, state } = install(tmp());
    await deliverAndRefine(0, 9);
    // The host restarts from an earlier checkpoint and splits differently: 0-4, then 5-14.
    await deliverAndRefine(0, 4);
    await deliverAndRefine(5, 14);
    const rows = await silverRows(lake);
    expect(rows).toEqual(Array.from({ length: 15 }, (_, i) => uuid(i)).sort());
    expect(await pipelineStats(state.commits)).toMatchObject({ received: 15, written: 15, duplicates: 0 });
  });
});
