import { TableClient } from '@azure/data-tables';
import { TableLease } from '../../src/adapters/azure/table-state';
import { LeaseTakenError, leaseOwner, underGoldLease } from '../../src/cli/gold-lease';
import { useAzurite } from '../helpers/use-azurite';

const azurite = useAzurite();

/** A fresh lease table, and its client for looking at the lease entity. */
async function leaseTable(): Promise<{ lease: TableLease; table: TableClient }> {
  const table = await azurite.table('leases');
  return { lease: new TableLease(table), table };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TTL = 900;

describe('leaseOwner', () => {
  it('says which command on which machine holds the lease, uniquely per run', () => {
    const [a, b] = [leaseOwner('gold'), leaseOwner('gold')];
    expect(a).toMatch(new RegExp(`^orderlake gold on .+ \\(pid ${process.pid}, [0-9a-f-]{36}\\)$`));
    expect(a).not.toBe(b);
  });
});

describe('underGoldLease', () => {
  it('listens for Ctrl-C from the moment it asks for the lease, and stops listening when refused', async () => {
    let answer!: (held: boolean) => void;
    const pending = { acquire: () => new Promise<boolean>((r) => (answer = r)), renew: async () => true, release: async () => undefined };
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const run = underGoldLease(pending, 'cli', async () => 1, TTL);
    // The lease may already be written while its answer is on the way: a signal then must give it back.
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([before[0]! + 1, before[1]! + 1]);
    answer(false);
    await expect(run).rejects.toBeInstanceOf(LeaseTakenError);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });

  it('holds the gold lease while the work runs, renewing it past its time to live, then gives it back', async () => {
    const { lease, table } = await leaseTable();
    const result = await underGoldLease(lease, 'cli', async () => {
      expect((await table.getEntity<{ owner: string }>('lease', 'gold')).owner).toBe('cli');
      await sleep(2.5 * TTL); // more than twice the lease's life: only renewals keep it
      expect(await lease.acquire('gold', 'timer', TTL)).toBe(false);
      return 42;
    }, TTL);
    expect(result).toBe(42);
    expect(await lease.acquire('gold', 'timer', TTL)).toBe(true);
  }, 60_000);

  it('refuses to start while another run holds it, and leaves that run\'s lease alone', async () => {
    const { lease, table } = await leaseTable();
    expect(await lease.acquire('gold', 'timer', 60_000)).toBe(true);
    let ran = false;
    await expect(underGoldLease(lease, 'cli', async () => (ran = true), TTL)).rejects.toThrow(new LeaseTakenError(TTL));
    expect(new LeaseTakenError(15 * 60_000).message).toBe("another gold run holds the lake's gold lease (the buildGold timer, or another 'orderlake gold' or 'orderlake replay'); it is released when that run ends, or 15 minutes after it was last renewed if that run was killed; try again then");
    expect([ran, (await table.getEntity<{ owner: string }>('lease', 'gold')).owner]).toEqual([false, 'timer']);
  }, 60_000);

  it('gives the lease back when the work fails, with the work\'s own error', async () => {
    const { lease } = await leaseTable();
    await expect(underGoldLease(lease, 'cli', async () => { throw new Error('disk full'); }, TTL)).rejects.toThrow('disk full');
    expect(await lease.acquire('gold', 'timer', TTL)).toBe(true);
  }, 60_000);

  it('fails the run when the lease was taken over while it worked (a paused process)', async () => {
    const { lease, table } = await leaseTable();
    await expect(underGoldLease(lease, 'cli', async () => {
      // As if this process slept past expiry and the timer took the lease over.
      await table.deleteEntity('lease', 'gold');
      expect(await lease.acquire('gold', 'timer', 60_000)).toBe(true);
      await sleep(TTL); // a renewal comes and finds the timer's lease
      return 'done';
    }, TTL)).rejects.toThrow(`the gold lease was taken over during this run (it was not renewed for ${TTL} ms: was this process paused?), so another gold run may have overlapped it; run 'orderlake gold' again to make gold consistent`);
    expect((await table.getEntity<{ owner: string }>('lease', 'gold')).owner).toBe('timer');
  }, 60_000);
});
