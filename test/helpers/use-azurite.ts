// Azurite for one test file: started before its tests and stopped after them, with Table
// storage tables under fresh names. Jest only (it registers beforeAll/afterAll); the bench
// starts Azurite itself (./azurite).
import { TableClient } from '@azure/data-tables';
import { ensureTable } from '../../src/adapters/azure/table-state';
import { startAzurite, type Azurite } from './azurite';

export interface AzuriteForTests {
  /** The running Azurite (from beforeAll on). */
  connectionString(): string;
  /** A new table, created, named `<prefix><time>x<n>`. */
  table(prefix: string): Promise<TableClient>;
}

export function useAzurite(): AzuriteForTests {
  let azurite: Azurite | undefined;
  let n = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 180_000);
  afterAll(async () => {
    await azurite?.stop();
  });
  const connectionString = () => {
    if (!azurite) throw new Error('expected Azurite to be running (useAzurite starts it in beforeAll), found it not started');
    return azurite.connectionString;
  };
  return {
    connectionString,
    table: async (prefix) => {
      const t = TableClient.fromConnectionString(connectionString(), `${prefix}${Date.now()}x${n++}`, { allowInsecureConnection: true });
      await ensureTable(t);
      return t;
    },
  };
}
