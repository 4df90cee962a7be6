// What DuckDB itself reports as its memory limit, each time gold opens its database (other
// engines, such as the Delta module's, have no database file and are not recorded).
import { Duck } from '../../src/gold/duck';
import { main } from '../../src/cli/main';

export async function goldMemoryLimits(work: () => Promise<unknown>): Promise<unknown[]> {
  const limits: unknown[] = [];
  const realOpen = Duck.open.bind(Duck);
  const open = jest.spyOn(Duck, 'open').mockImplementation(async (opts) => {
    const duck = await realOpen(opts);
    if (opts?.dbPath) limits.push((await duck.rows(`SELECT current_setting('memory_limit') AS m`))[0]?.['m']);
    return duck;
  });
  try {
    await work();
  } finally {
    open.mockRestore();
  }
  return limits;
}

/** `orderlake <args>` in this process, quiet: its exit code and the memory limits gold's DuckDB reported. */
export async function cliGoldMemoryLimits(args: string[]): Promise<{ code: number; limits: unknown[] }> {
  let code = -1;
  const limits = await goldMemoryLimits(async () => {
    code = await main(args, { out: () => undefined, err: () => undefined, isTTY: false });
  });
  return { code, limits };
}
