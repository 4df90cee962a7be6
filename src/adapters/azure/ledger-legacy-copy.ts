// Ledger tables written by earlier versions keep each claim in a table partition named by
// the id's first 3 characters; the ledger now looks ids up in hashed buckets
// (ledger-partitions.ts), where those claims are invisible: a resend of an event claimed
// before the upgrade would be taken as new. This copies them over, once, before the new
// version takes traffic (or while it does: a claim made meanwhile keeps its owner, and a copy
// that finds one is reported). Streams the table: memory holds at most 100 claims per bucket.
import type { TableClient } from '@azure/data-tables';
import { claimInPartition, EGT_MAX_OPERATIONS, ledgerPartition, type Claim } from './ledger-partitions';

export interface LegacyCopy {
  /** Claims of the old layout read. */
  read: number;
  /** Copied into their bucket (or found there already with the same owner: a copy run again). */
  copied: number;
  /** Ids a claim in the new layout holds for another owner (claimed again between upgrade and copy). */
  conflicting: Array<{ eventId: string; legacyOwner: string; owner: string }>;
}

/** Partition keys of the bucketed layout ("b32-07"); every other partition of a ledger table is the old layout's. */
const BUCKET = /^b\d+-\d+$/;

export async function copyLegacyClaims(table: TableClient, buckets: number, concurrency = 8): Promise<LegacyCopy> {
  const result: LegacyCopy = { read: 0, copied: 0, conflicting: [] };
  const pending = new Map<string, Claim[]>();
  const inFlight = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const flush = async (pk: string, claims: Claim[]) => {
    const owners = await claimInPartition(table, pk, claims, 2);
    for (const c of claims) {
      const owner = owners.get(c.eventId)!;
      if (owner === c.position) result.copied++;
      else result.conflicting.push({ eventId: c.eventId, legacyOwner: c.position, owner });
    }
  };
  const start = async (pk: string, claims: Claim[]) => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const p: Promise<void> = flush(pk, claims).catch((e: unknown) => void errors.push(e)).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  for await (const e of table.listEntities<{ owner?: string }>({ queryOptions: { select: ['PartitionKey', 'RowKey', 'owner'] } })) {
    if (BUCKET.test(e.partitionKey!) || typeof e.owner !== 'string') continue;
    result.read++;
    const pk = ledgerPartition(e.rowKey!, buckets);
    let list = pending.get(pk);
    if (!list) pending.set(pk, (list = []));
    list.push({ eventId: e.rowKey!, position: e.owner });
    if (list.length === EGT_MAX_OPERATIONS) {
      pending.delete(pk);
      await start(pk, list);
    }
  }
  for (const [pk, list] of pending) await start(pk, list);
  await Promise.all(inFlight);
  if (errors.length) throw errors[0];
  return result;
}
