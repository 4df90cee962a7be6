// Table requests per event of the Azure dedup ledger (TableLedger), counted on the wire by a
// pipeline policy: a steady stream of claims (batches of fresh ids, a share of them resends of
// ids claimed in earlier batches), per bucket count and duplicate rate; and a batch retried by
// its owner. Runs against Azurite (started here) or a real account (--connection-string).
// Counts, not speed: Azurite's latency says nothing about Azure's.
//   node dist/bench/ledger-azure.js [--batches 20] [--sizes 200,1000] [--buckets 8,16,32,64] [--dups 0,0.0198,0.05]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { TableLedger, ensureTable, LEDGER_BUCKETS } from '../src/adapters/azure/table-state';
import { Random } from '../producer/random';

const { values: args } = parseArgs({
  options: {
    'connection-string': { type: 'string' },
    batches: { type: 'string', default: '20' },
    sizes: { type: 'string', default: '200,1000' },
    buckets: { type: 'string', default: `8,16,${LEDGER_BUCKETS},64` },
    // 0.0198: the share of resends in producer/generator.ts DEFAULT_DIRT (duplicate: 0.02 per event), measured on 200,000 events.
    dups: { type: 'string', default: '0,0.0198,0.05' },
  },
});
const list = (s: string | undefined) => s!.split(',').map(Number);

type Policy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];
interface Requests { egt: number; reads: number; other: number }

async function startAzurite(): Promise<{ connectionString: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const bin = path.resolve(__dirname, '../../node_modules/azurite/dist/src/table/main.js');
  const child = spawn(process.execPath, [bin, '--silent', '--disableTelemetry', '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--tableHost', '127.0.0.1', '--tablePort', String(port)], { stdio: 'ignore' });
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
  for (let i = 0; ; i++) {
    try {
      await TableClient.fromConnectionString(connectionString, 'probe', { allowInsecureConnection: true }).listEntities().next();
      break;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) break; // up: the table just does not exist
      if (i > 100) throw new Error(`Azurite did not answer on port ${port}: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { connectionString, stop: () => child.kill() };
}

let tables = 0;
async function countedTable(connectionString: string): Promise<{ table: TableClient; requests: Requests }> {
  const requests: Requests = { egt: 0, reads: 0, other: 0 };
  const counter: Policy = {
    name: 'countRequests',
    sendRequest: (req, next) => {
      if (req.method === 'POST' && req.url.includes('$batch')) requests.egt++;
      else if (req.method === 'GET' && decodeURIComponent(req.url).includes(',RowKey=')) requests.reads++;
      else requests.other++;
      return next(req);
    },
  };
  const table = TableClient.fromConnectionString(connectionString, `ledgerbench${Date.now()}x${tables++}`, { allowInsecureConnection: true, additionalPolicies: [{ policy: counter, position: 'perRetry' }] });
  await ensureTable(table);
  Object.assign(requests, { egt: 0, reads: 0, other: 0 });
  return { table, requests };
}

interface Row { size: number; buckets: number; dup: number; events: number; requests: Requests; ms: number }

/** A warm-up batch, then `batches` claims of `size` ids where each id is, with probability `dup`, a resend of an earlier one. */
async function stream(connectionString: string, size: number, buckets: number, dup: number, batches: number): Promise<Row> {
  const { table, requests } = await countedTable(connectionString);
  const ledger = new TableLedger(table, { buckets });
  const rnd = new Random(size * 1000 + buckets + Math.round(dup * 1e4));
  const claimed: string[] = [];
  const batch = (b: number) => Array.from({ length: size }, (_, i) => {
    const eventId = claimed.length && rnd.chance(dup) ? rnd.pick(claimed) : rnd.uuid();
    return { eventId, position: `${b}:${i}` };
  });
  const warm = batch(0);
  await ledger.claim(warm);
  claimed.push(...warm.map((c) => c.eventId));
  Object.assign(requests, { egt: 0, reads: 0, other: 0 });
  let events = 0;
  const t0 = Date.now();
  for (let b = 1; b <= batches; b++) {
    const claims = batch(b);
    await ledger.claim(claims);
    events += claims.length;
    for (const c of claims) claimed.push(c.eventId);
  }
  return { size, buckets, dup, events, requests: { ...requests }, ms: Date.now() - t0 };
}

async function ownerRetry(connectionString: string, size: number, buckets: number): Promise<Row> {
  const { table, requests } = await countedTable(connectionString);
  const ledger = new TableLedger(table, { buckets });
  const rnd = new Random(size + buckets);
  const claims = Array.from({ length: size }, (_, i) => ({ eventId: rnd.uuid(), position: `0:${i}` }));
  await ledger.claim(claims);
  Object.assign(requests, { egt: 0, reads: 0, other: 0 });
  const t0 = Date.now();
  await ledger.claim(claims);
  return { size, buckets, dup: 1, events: size, requests: { ...requests }, ms: Date.now() - t0 };
}

const perEvent = (r: Row) => ((r.requests.egt + r.requests.reads + r.requests.other) / r.events).toFixed(3);

async function main(): Promise<void> {
  const azurite = args['connection-string'] ? undefined : await startAzurite();
  const cs = args['connection-string'] ?? azurite!.connectionString;
  const out = (s: string) => process.stdout.write(s + '\n');
  try {
    out(`Requests per event of TableLedger.claim, ${args.batches} batches after a warm-up batch, ${azurite ? 'Azurite' : 'the given account'}.`);
    out('');
    out('| batch size | buckets | duplicates | EGTs | point reads | other | requests per event | ms per batch (not Azure\'s) |');
    out('|---|---|---|---|---|---|---|---|');
    for (const size of list(args.sizes)) {
      for (const buckets of list(args.buckets)) {
        for (const dup of list(args.dups)) {
          const r = await stream(cs, size, buckets, dup, Number(args.batches));
          out(`| ${size} | ${buckets} | ${(dup * 100).toFixed(2)}% | ${r.requests.egt} | ${r.requests.reads} | ${r.requests.other} | ${perEvent(r)} | ${(r.ms / Number(args.batches)).toFixed(0)} |`);
        }
      }
    }
    out('');
    out('A batch claimed again by its owner (every id exists, owned by the claimer):');
    out('');
    out('| batch size | buckets | EGTs | point reads | requests per event | ms |');
    out('|---|---|---|---|---|---|');
    for (const size of list(args.sizes)) {
      for (const buckets of list(args.buckets)) {
        const r = await ownerRetry(cs, size, buckets);
        out(`| ${size} | ${buckets} | ${r.requests.egt} | ${r.requests.reads} | ${perEvent(r)} | ${r.ms} |`);
      }
    }
  } finally {
    azurite?.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
