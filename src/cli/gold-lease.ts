// Gold and replay on an Azure lake hold the lease the buildGold timer takes, so a command-line
// run, a timer run and another command-line run never overlap. A timer run ends within the
// host's 10-minute timeout; a command-line run may last longer (a replay of a large lake), so
// it renews the lease while it works, and releases it when done, on an error or on Ctrl-C.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { GOLD_LEASE, type Lease } from '../azure/services';

/** The timer's lease, and renewal for runs that may outlast it (TableLease). */
export interface RenewableLease extends Lease {
  /** Extends a lease `owner` holds; false when it is no longer theirs. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
}

/** 15 minutes, 900 ms. */
function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${ms} ms`;
}

export class LeaseTakenError extends Error {
  constructor(ttlMs: number) {
    super(`another gold run holds the lake's gold lease (the buildGold timer, or another 'orderlake gold' or 'orderlake replay'); it is released when that run ends, or ${duration(ttlMs)} after it was last renewed if that run was killed; try again then`);
    this.name = 'LeaseTakenError';
  }
}

/** Who holds the lease, for anyone looking at the lease table. */
export function leaseOwner(command: string): string {
  return `orderlake ${command} on ${os.hostname()} (pid ${process.pid}, ${randomUUID()})`;
}

/**
 * Runs `work` holding the gold lease. Renewed every third of its time to live; if a renewal
 * finds it taken (this process was paused longer than the lease lasts), the run ends in an
 * error once its work is done, because another run may have overlapped it.
 */
export async function underGoldLease<T>(lease: RenewableLease, owner: string, work: () => Promise<T>, ttlMs: number = GOLD_LEASE.ttlMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Listening before the lease is asked for: a Ctrl-C while the answer is on its way (the lease
  // already written) still gives it back.
  const acquired = lease.acquire(GOLD_LEASE.name, owner, ttlMs);
  const onSignal = (signal: NodeJS.Signals) => {
    clearInterval(timer);
    void acquired
      .then((held) => (held ? lease.release(GOLD_LEASE.name, owner) : undefined))
      .catch(() => undefined)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (!(await acquired.catch((e: unknown) => {
    stopListening();
    throw e;
  }))) {
    stopListening();
    throw new LeaseTakenError(ttlMs);
  }
  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  timer = setInterval(() => {
    // A failed renewal (a network blip) is tried again at the next tick, well before expiry.
    renewing = lease.renew(GOLD_LEASE.name, owner, ttlMs).then((held) => (lost ||= !held), () => undefined);
  }, ttlMs / 3);
  let failed = true;
  try {
    const result = await work();
    await renewing;
    failed = false;
    if (lost) throw new Error(`the gold lease was taken over during this run (it was not renewed for ${duration(ttlMs)}: was this process paused?), so another gold run may have overlapped it; run 'orderlake gold' again to make gold consistent`);
    return result;
  } finally {
    clearInterval(timer);
    stopListening();
    await renewing;
    // A failed release must not hide the work's own error (the lease then expires on its own).
    await lease.release(GOLD_LEASE.name, owner).catch((e: unknown) => {
      if (!failed) throw e;
    });
  }
}
