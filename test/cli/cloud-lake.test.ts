// The command line on an Azure lake: the built CLI, as a child process, against the ADLS test
// server and Azurite, with a lake the function handlers filled from the same events as a
// local lake. Each command must answer as it does on the local lake.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LAKE_FILESYSTEMS } from '../../src/cli/cloud-lake';
import { TableClient } from '@azure/data-tables';
import { CLI, orderlakeAsync } from '../helpers/cli';
import { startCloudLake, seedThroughFunctions, type CloudLake } from '../helpers/cloud-lake';
import { startDfsServer } from '../helpers/dfs-server';
import { startDenyProxy } from '../helpers/deny-proxy';
import { DIRTY_EXPECTED, dirtyLines } from '../helpers/dirty-file';

const E2E_MS = 240_000;

let cloud: CloudLake;
let dir: string;
let local: string;
let seeded: string[];

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => orderlakeAsync(args, { env: { ...cloud.env, ...env } });
const localCli = (args: string[]) => orderlakeAsync([...args, '--lake', local]);
const ok = (r: { code: number | null; stdout: string; stderr: string }) => {
  if (r.code !== 0) throw new Error(`expected exit 0, got ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const sortedLines = (text: string) => text.split('\n').filter(Boolean).sort();
/** Events in the landing files: one per line. */
const landed = async () => {
  let n = 0;
  for (const f of await fs.readdir(path.join(dir, 'landing'))) n += (await fs.readFile(path.join(dir, 'landing', f))).toString('latin1').split('\n').length - 1;
  return n;
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'orderlake-cloud-'));
  local = path.join(dir, 'lake');
  const landing = path.join(dir, 'landing');
  await fs.mkdir(landing);
  ok(await orderlakeAsync(['produce', '--to', 'file', path.join(landing, 'a.jsonl'), '--events', '1200', '--seed', '7', '--days', '10', '-q']));
  // Every rule code, and a body that is not UTF-8 (bronze keeps its bytes; silver quarantines it).
  await fs.appendFile(path.join(landing, 'a.jsonl'), Buffer.concat([Buffer.from(dirtyLines().join('\n') + '\n'), Buffer.from([0xff, 0xfe, 0x7b, 0x0a])]));
  ok(await orderlakeAsync(['run', '-i', landing, '-l', local, '--batch-size', '200', '-q']));
  cloud = await startCloudLake();
  seeded = await seedThroughFunctions(cloud, local);
}, 600_000);

afterAll(async () => {
  await cloud?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('withCloudLake (orderlake commands on an Azure lake)', () => {
  it('stats --json on the Azure lake equals the local lake\'s', async () => {
    const l = await localCli(['stats', '--json']);
    const stats = JSON.parse(ok(l)) as { received: number; batches: number; codes: Record<string, number> };
    // Every event counted, in the batches the functions refined, with every code the dirty lines carry.
    expect([stats.received, stats.batches, Object.keys(stats.codes)]).toEqual([await landed(), seeded.length, Object.keys(DIRTY_EXPECTED.codes)]);
    expect(await cli(['stats', ...cloud.args, '--json'])).toEqual({ code: 0, stdout: l.stdout, stderr: '' });
  }, E2E_MS);

  it('stats counts the poison queue as stopped batches and the silver queue as waiting ones', async () => {
    const poison = cloud.queues.getQueueClient('silver-batches-poison');
    const silver = cloud.queues.getQueueClient('silver-batches');
    await poison.create();
    await silver.create();
    await poison.sendMessage('eyJiYXRjaElkIjoieCJ9');
    await silver.sendMessage('eyJiYXRjaElkIjoieSJ9');
    await silver.sendMessage('eyJiYXRjaElkIjoieiJ9');
    try {
      const r = await cli(['stats', ...cloud.args]);
      expect(r.code).toBe(0);
      expect(r.stdout.endsWith('\n1 batch(es) stopped by a fail rule, 2 waiting for silver\n')).toBe(true);
      expect(JSON.parse(ok(await cli(['stats', ...cloud.args, '--json'])))).toMatchObject({ failed_batches: 1, pending_batches: 2 });
    } finally {
      await poison.delete();
      await silver.delete();
    }
  }, E2E_MS);

  it('quarantine lists the records the local lake lists, and filters by code', async () => {
    const all = await cli(['quarantine', ...cloud.args]);
    const expected = ok(await localCli(['quarantine']));
    expect(sortedLines(ok(all))).toEqual(sortedLines(expected));
    expect(sortedLines(expected).length).toBeGreaterThan(20);
    const region = ok(await cli(['quarantine', ...cloud.args, '--code', 'invalid_region']));
    expect(sortedLines(region)).toEqual(sortedLines(ok(await localCli(['quarantine', '--code', 'invalid_region']))));
    expect(sortedLines(region).every((l) => (JSON.parse(l) as { codes: string[] }).codes.includes('invalid_region'))).toBe(true);
    expect(await cli(['quarantine', ...cloud.args, '--code', 'invalid_email'])).toEqual({ code: 0, stdout: '', stderr: `no quarantined record with code invalid_email in ${cloud.dfs.url}\n` });
  }, E2E_MS);

  it('gold waits for the timer\'s lease, then builds gold that exports as the local lake\'s does', async () => {
    const { lease } = cloud.services;
    expect(await lease.acquire('gold', 'the-timer', 60_000)).toBe(true);
    const busy = await cli(['gold', ...cloud.args, '-q']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe("orderlake gold: another gold run holds the lake's gold lease (the buildGold timer, or another 'orderlake gold' or 'orderlake replay'); it is released when that run ends, or 15 minutes after it was last renewed if that run was killed; try again then\n");
    expect(await cloud.services.lake.list('gold/monthly_revenue')).toEqual([]);
    await lease.release('gold', 'the-timer');

    const g = await cli(['gold', ...cloud.args, '--json', '-q']);
    const summary = JSON.parse(ok(g)) as { run: number; newBatches: number; tables: Array<{ name: string }> };
    expect([summary.run, summary.newBatches, summary.tables.length]).toEqual([1, seeded.length, 10]);
    // The lease is free again: the timer's next run takes it.
    expect(await lease.acquire('gold', 'the-timer', 60_000)).toBe(true);
    await lease.release('gold', 'the-timer');

    for (const table of ['monthly_revenue', 'daily_region_metrics', 'category_sales', 'product_sales', 'customer_spend', 'rfm_segments', 'hourly_sales', 'order_status_history', 'data_quality']) {
      const expected = ok(await localCli(['export', table]));
      expect({ table, rows: ok(await cli(['export', table, '--lake', cloud.dfs.url])) }).toEqual({ table, rows: expected });
    }
    expect(await cli(['export', 'product_sales', '--format', 'csv', ...cloud.args])).toEqual({ code: 0, stdout: ok(await localCli(['export', 'product_sales', '--format', 'csv'])), stderr: '' });
    expect(await cli(['gold', ...cloud.args, '-q'])).toEqual({ code: 0, stdout: 'gold is up to date: no new silver batches since the last run\n', stderr: '' });
  }, E2E_MS);

  it('report writes the page, with the local lake\'s key figures', async () => {
    const out = path.join(dir, 'cloud.html');
    expect(await cli(['report', ...cloud.args, '--out', out])).toEqual({ code: 0, stdout: `wrote ${out} (open it in a browser; it needs no network)\n`, stderr: '' });
    ok(await localCli(['report', '--out', path.join(dir, 'local.html')]));
    const keyFigures = (html: string) => /<section[^>]*data-testid="key-figures">.*?<\/section>/s.exec(html)?.[0];
    const [cloudPage, localPage] = await Promise.all([fs.readFile(out, 'utf8'), fs.readFile(path.join(dir, 'local.html'), 'utf8')]);
    expect(keyFigures(cloudPage)).toBeDefined();
    expect(keyFigures(cloudPage)).toBe(keyFigures(localPage));
  }, E2E_MS);

  it('replay decides every batch again beside functions that refine new batches, doubling nothing', async () => {
    // New events reach the local lake, and the Azure lake through the functions while the replay runs.
    ok(await orderlakeAsync(['produce', '--to', 'file', path.join(dir, 'landing', 'b.jsonl'), '--events', '600', '--seed', '8', '--days', '10', '-q']));
    ok(await localCli(['run', '-i', path.join(dir, 'landing'), '--batch-size', '200', '-q']));
    const [replay, added] = await Promise.all([
      cli(['replay', ...cloud.args, '--json', '-q']),
      seedThroughFunctions(cloud, local, (f) => !seeded.includes(f)),
    ]);
    const r = JSON.parse(ok(replay)) as { batches: number; replayed: number; firstTime: number; failed: string[] };
    expect(added.length).toBeGreaterThan(0);
    expect(r.failed).toEqual([]);
    // Batches the functions committed first are theirs (already committed when the replay came to them).
    expect(r.replayed).toBeGreaterThanOrEqual(seeded.length);
    expect(r.replayed + r.firstTime).toBeLessThanOrEqual(r.batches);
    expect(r.batches).toBeLessThanOrEqual(seeded.length + added.length);
    seeded.push(...added);

    const localStats = ok(await localCli(['stats', '--json']));
    expect(JSON.parse(localStats)).toMatchObject({ received: await landed(), batches: seeded.length });
    expect(ok(await cli(['stats', ...cloud.args, '--json']))).toBe(localStats);

    // Once more, alone: every batch is decided again and the totals are the lake's, not twice them.
    const again = JSON.parse(ok(await cli(['replay', ...cloud.args, '--json', '-q']))) as { batches: number; replayed: number; counts: Record<string, number> };
    const totals = JSON.parse(localStats) as Record<string, number>;
    expect([again.batches, again.replayed]).toEqual([seeded.length, seeded.length]);
    expect([again.counts['received'], again.counts['written'], again.counts['quarantined']]).toEqual([totals['received'], totals['written'], totals['quarantined']]);
    expect(ok(await cli(['stats', ...cloud.args, '--json']))).toBe(localStats);
    expect(sortedLines(ok(await cli(['quarantine', ...cloud.args])))).toEqual(sortedLines(ok(await localCli(['quarantine']))));
    for (const table of ['monthly_revenue', 'customer_spend', 'data_quality']) {
      expect({ table, rows: ok(await cli(['export', table, '--lake', cloud.dfs.url])) }).toEqual({ table, rows: ok(await localCli(['export', table])) });
    }
  }, 2 * E2E_MS);

  it('gives the gold lease back on Ctrl-C', async () => {
    const leases = TableClient.fromConnectionString(cloud.azurite.connectionString, 'orderlakeleases', { allowInsecureConnection: true });
    const child = spawn(process.execPath, [CLI, 'replay', ...cloud.args, '-q'], { env: { ...process.env, ...cloud.env }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let owner: string | undefined;
    for (let i = 0; i < 600 && owner === undefined; i++) {
      owner = await leases.getEntity<{ owner: string }>('lease', 'gold').then((e) => e.owner, () => undefined);
      if (owner === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(owner).toMatch(new RegExp(`^orderlake replay on .+ \\(pid ${child.pid}, `));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await leases.getEntity('lease', 'gold').then(() => 'held', (e: { statusCode?: number }) => e.statusCode)).toBe(404);
  }, E2E_MS);

  it('upgrade copies ledger claims of the earlier layout into this version\'s partitions, once; a local lake needs nothing', async () => {
    const ids = ['0a1b2c3d-0000-4000-8000-000000000001', '0a1b2c3d-0000-4000-8000-000000000002', 'ffee0000-0000-4000-8000-000000000003'];
    const table = TableClient.fromConnectionString(cloud.azurite.connectionString, 'orderlakeledger', { allowInsecureConnection: true });
    // As earlier versions stored a claim: one entity, partition = the id's first 3 characters.
    for (const [i, id] of ids.entries()) await table.createEntity({ partitionKey: id.slice(0, 3), rowKey: id, owner: `9:${i}` });
    const report = { ledger: { read: ids.length, copied: ids.length, conflicting: [] } };
    expect(JSON.parse(ok(await cli(['upgrade', ...cloud.args, '--json'])))).toEqual(report);
    // A resend of those events is now a duplicate of the position that holds them.
    const owners = await cloud.services.ledger.claim(ids.map((eventId, i) => ({ eventId, position: `3:${i}` })));
    expect([...owners.values()]).toEqual(['9:0', '9:1', '9:2']);
    expect(await cli(['upgrade', ...cloud.args])).toEqual({ code: 0, stdout: 'dedup ledger: 3 claim(s) of the earlier layout read, 3 in this version\'s partitions\n', stderr: '' });
    expect(await localCli(['upgrade'])).toEqual({ code: 0, stdout: 'nothing to do: a local lake upgrades its state itself when it is opened\n', stderr: '' });
  }, E2E_MS);

  it('names the role a refused request needs, on the lake and on the state account', async () => {
    cloud.dfs.deny = () => true;
    try {
      expect(await cli(['export', 'monthly_revenue', ...cloud.args])).toEqual({
        code: 1,
        stdout: '',
        stderr: "orderlake export: the lake account devstoreaccount1 refused the request (403 AuthorizationPermissionMismatch): 'orderlake export' needs the Storage Blob Data Reader role on it, given to the identity you signed in as (a new role assignment takes a few minutes to apply)\n",
      });
      // A reader can read, but replay writes silver.
      cloud.dfs.deny = (method) => method !== 'GET' && method !== 'HEAD';
      expect(await cli(['replay', ...cloud.args, '-q'])).toEqual({
        code: 1,
        stdout: '',
        stderr: "orderlake replay: the lake account devstoreaccount1 refused the request (403 AuthorizationPermissionMismatch): 'orderlake replay' needs the Storage Blob Data Contributor role on it, given to the identity you signed in as (a new role assignment takes a few minutes to apply)\n",
      });
    } finally {
      cloud.dfs.deny = undefined;
    }
    // The failed replay gave the lease back.
    expect(await cloud.services.lease.acquire('gold', 'the-timer', 60_000)).toBe(true);
    await cloud.services.lease.release('gold', 'the-timer');

    const proxy = await startDenyProxy(new URL(cloud.azurite.tableUrl).origin);
    try {
      proxy.deny = (method, url) => method !== 'GET' && url.includes('orderlakeleases');
      const state = `${proxy.origin}/devstoreaccount1`;
      expect(await cli(['gold', '--lake', cloud.dfs.url, '--state', state, '-q'])).toEqual({
        code: 1,
        stdout: '',
        stderr: "orderlake gold: the state account devstoreaccount1 refused the request (403 AuthorizationPermissionMismatch): 'orderlake gold' needs the Storage Table Data Contributor role on it, given to the identity you signed in as (a new role assignment takes a few minutes to apply)\n",
      });
      proxy.deny = () => true;
      expect((await cli(['stats', '--lake', cloud.dfs.url, '--state', state])).stderr).toBe(
        "orderlake stats: the state account devstoreaccount1 refused the request (403 AuthorizationPermissionMismatch): 'orderlake stats' needs the Storage Table Data Reader role on it, given to the identity you signed in as (a new role assignment takes a few minutes to apply)\n",
      );
    } finally {
      await proxy.stop();
    }
  }, E2E_MS);

  it('refuses an account that is not an orderlake lake, and one that does not answer', async () => {
    const bare = await startDfsServer();
    try {
      expect(await cli(['quarantine', '--lake', bare.url, '--state', cloud.azurite.tableUrl])).toEqual({
        code: 1,
        stdout: '',
        stderr: `orderlake quarantine: ${bare.url} is not an orderlake lake: the account has no filesystems ${LAKE_FILESYSTEMS.join(', ')} (a lake account has bronze, silver, quarantine, gold; the deployment's LAKE_DFS_URL names it)\n`,
      });
    } finally {
      await bare.stop();
    }
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
    expect(await cli(['export', 'monthly_revenue', '--lake', `http://127.0.0.1:${closed}/devstoreaccount1`])).toEqual({
      code: 1,
      stdout: '',
      stderr: `orderlake export: cannot reach the lake account devstoreaccount1 (127.0.0.1:${closed}): nothing answers there (connection refused)\n`,
    });
    const dns = await cli(['export', 'monthly_revenue', '--lake', 'http://nosuchlake.dfs.invalid']);
    expect(dns).toEqual({
      code: 1,
      stdout: '',
      stderr: "orderlake export: cannot find the lake account nosuchlake (nosuchlake.dfs.invalid): no such host; is the account name right? ('azd env get-values' prints LAKE_DFS_URL and STATE_TABLE_URL), or is this machine offline?\n",
    });
  }, E2E_MS);

  it('says how to sign in when DefaultAzureCredential finds no sign-in', async () => {
    // No emulator key, no az, azd or pwsh on the PATH, no identity in the environment.
    const none = { ORDERLAKE_EMULATOR_KEY: '', StateStorage__queueServiceUri: '', PATH: '/nonexistent', HOME: dir, AZURE_CLIENT_ID: '', AZURE_TENANT_ID: '', AZURE_CLIENT_SECRET: '', AZURE_FEDERATED_TOKEN_FILE: '', AZURE_USERNAME: '', IDENTITY_ENDPOINT: '', MSI_ENDPOINT: '' };
    const r = await cli(['stats', '--lake', 'https://nosuchlake.dfs.core.windows.net', '--state', 'https://nosuchstate.table.core.windows.net'], none);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^orderlake stats: cannot sign in to Azure \(DefaultAzureCredential\): EnvironmentCredential is unavailable; .*Azure CLI could not be found; .*\. Sign in with 'az login' \(or 'azd auth login'\), or run where a managed identity is assigned\n$/);
  }, E2E_MS);

  it('checks the endpoints before anything is sent', async () => {
    const usage = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await cli(args, env);
      expect(r.code).toBe(2);
      return r.stderr;
    };
    expect(await usage(['stats', '--lake', 'abfss://gold@prodlake.dfs.core.windows.net/'])).toBe('orderlake stats: expected --lake to be https://<account>.dfs.core.windows.net, got "abfss://gold@prodlake.dfs.core.windows.net/": the lake is the whole account (bronze, silver, quarantine and gold are its filesystems), so give --lake https://prodlake.dfs.core.windows.net\n');
    expect(await usage(['export', 'monthly_revenue', '--lake', 'https://prodlake.blob.core.windows.net'])).toBe('orderlake export: expected --lake to be https://<account>.dfs.core.windows.net, got "https://prodlake.blob.core.windows.net": that is the blob endpoint of account prodlake; give --lake https://prodlake.dfs.core.windows.net\n');
    expect(await usage(['stats', '--lake', 'https://prodlake.dfs.core.windows.net'], { STATE_TABLE_URL: '' })).toBe("orderlake stats: 'orderlake stats' on an Azure lake needs its state account: --state https://<account>.table.core.windows.net (or env STATE_TABLE_URL, which 'azd env get-values' prints)\n");
    expect(await usage(['gold', '--lake', 'https://prodlake.dfs.core.windows.net'], { STATE_TABLE_URL: 'https://prodstate.queue.core.windows.net' })).toBe('orderlake gold: expected STATE_TABLE_URL to be https://<account>.table.core.windows.net, got "https://prodstate.queue.core.windows.net": that is the queue endpoint of account prodstate; give STATE_TABLE_URL https://prodstate.table.core.windows.net\n');
    expect(await usage(['stats', '--lake', 'http://prodlake.dfs.core.windows.net', '--state', 'https://prodstate.table.core.windows.net'], { ORDERLAKE_EMULATOR_KEY: '' })).toBe('orderlake stats: expected --lake to be https://<account>.dfs.core.windows.net, got "http://prodlake.dfs.core.windows.net": http:// is for local emulators only (with ORDERLAKE_EMULATOR_KEY set); Azure storage endpoints are https://\n');
    expect(await usage(['stats', '--lake', local, '--state', 'https://prodstate.table.core.windows.net'])).toBe(`orderlake stats: --state is for an Azure lake (--lake https://<account>.dfs.core.windows.net); the lake ${local} is a folder, with its state in ${local}/_state\n`);
  }, E2E_MS);
});

describe('withCloudLake on a state account without orderlake\'s tables', () => {
  let bare: CloudLake;
  beforeAll(async () => {
    bare = await startCloudLake({ tables: false });
  }, 120_000);
  afterAll(async () => {
    await bare?.stop();
  });

  it('refuses it, naming the missing table', async () => {
    expect(await orderlakeAsync(['stats', ...bare.args], { env: bare.env })).toEqual({
      code: 1,
      stdout: '',
      stderr: `orderlake stats: the state account ${bare.azurite.tableUrl} has no table orderlakecommits: is it the deployment's STATE_TABLE_URL? (the deployment creates orderlake's tables in its state account)\n`,
    });
  }, E2E_MS);
});
