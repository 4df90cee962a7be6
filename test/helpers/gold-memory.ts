// What DuckDB itself reports as its memory limit, each time gold opens its database (other
// engines, such as the Delta module's, have no database file and are not recorded).
import { Duck } from '../../src/gold/duck';

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
