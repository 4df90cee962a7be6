import { copyLegacyClaims } from '../../../src/adapters/azure/ledger-legacy-copy';
import { TableLedger, LEDGER_BUCKETS } from '../../../src/adapters/azure/table-state';
import { Random } from '../../../producer/random';
import { useAzurite } from '../../helpers/use-azurite';

const azurite = useAzurite();

describe('copyLegacyClaims', () => {
  it('copies claims of the old layout (a partition per 3-character id prefix) into the buckets; a claim made meanwhile keeps its owner and is reported', async () => {
    const t = await azurite.table('legacy');
    const rnd = new Random(9);
    const ids = Array.from({ length: 450 }, () => rnd.uuid());
    // As earlier versions stored them: createEntity per id, partition = the id's first 3 characters.
    for (const [i, id] of ids.entries()) await t.createEntity({ partitionKey: id.slice(0, 3), rowKey: id, owner: `0:${i}` });
    // After the upgrade, before the copy: one id claimed again by another position, one by its owner.
    const ledger = new TableLedger(t);
    await ledger.claim([{ eventId: ids[3]!, position: '7:7' }, { eventId: ids[4]!, position: '0:4' }]);

    const copy = await copyLegacyClaims(t, LEDGER_BUCKETS);
    expect(copy).toEqual({ read: 450, copied: 449, conflicting: [{ eventId: ids[3]!, legacyOwner: '0:3', owner: '7:7' }] });
    const owners = await ledger.claim(ids.map((eventId, i) => ({ eventId, position: `1:${i}` })));
    expect([...owners.values()]).toEqual(ids.map((_, i) => (i === 3 ? '7:7' : `0:${i}`)));
    // Run again: nothing new, the same report.
    expect(await copyLegacyClaims(t, LEDGER_BUCKETS)).toEqual(copy);
  });
});
