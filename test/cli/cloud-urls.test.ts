import { isLakeUrl, queueEndpoint, sameService, storageEndpoint } from '../../src/cli/cloud-urls';
import { UsageError } from '../../src/cli/args';

describe('isLakeUrl', () => {
  it('tells endpoints from folders', () => {
    expect(['https://lake.dfs.core.windows.net', 'abfss://gold@lake.dfs.core.windows.net/', 'http://127.0.0.1:10000/devstoreaccount1'].map(isLakeUrl)).toEqual([true, true, true]);
    expect(['./lake', '/srv/lake', 'C:\\data\\lake', 'lake:2026', 'https'].map(isLakeUrl)).toEqual([false, false, false, false, false]);
  });
});

describe('storageEndpoint', () => {
  it('takes an account endpoint, with or without the trailing slash, in any Azure cloud', () => {
    expect(storageEndpoint('https://prodlake.dfs.core.windows.net/', '--lake', 'dfs', false)).toEqual({ url: 'https://prodlake.dfs.core.windows.net', account: 'prodlake' });
    expect(storageEndpoint('https://state01.table.core.chinacloudapi.cn', '--state', 'table', false)).toEqual({ url: 'https://state01.table.core.chinacloudapi.cn', account: 'state01' });
  });

  it('takes emulator endpoints only with the emulator key', () => {
    expect(storageEndpoint('http://127.0.0.1:10002/devstoreaccount1/', '--state', 'table', true)).toEqual({ url: 'http://127.0.0.1:10002/devstoreaccount1', account: 'devstoreaccount1' });
    expect(() => storageEndpoint('http://127.0.0.1:10002/devstoreaccount1', '--state', 'table', false)).toThrow(new UsageError('expected --state to be https://<account>.table.core.windows.net, got "http://127.0.0.1:10002/devstoreaccount1": http:// is for local emulators only (with ORDERLAKE_EMULATOR_KEY set); Azure storage endpoints are https://'));
    expect(() => storageEndpoint('http://127.0.0.1:10002/', '--state', 'table', true)).toThrow(new UsageError('expected --state to be http://127.0.0.1:10002/<account> for an emulator, got "http://127.0.0.1:10002/"'));
  });

  it('says what is wrong with anything else, and what to give instead', () => {
    const wrong = (text: string) => {
      try {
        storageEndpoint(text, '--lake', 'dfs', false);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message.replace('expected --lake to be https://<account>.dfs.core.windows.net, got ', '');
      }
      throw new Error(`accepted ${text}`);
    };
    expect(wrong('abfss://silver@prodlake.dfs.core.windows.net/orders')).toBe('"abfss://silver@prodlake.dfs.core.windows.net/orders": the lake is the whole account (bronze, silver, quarantine and gold are its filesystems), so give --lake https://prodlake.dfs.core.windows.net');
    expect(wrong('https://prodlake.dfs.core.windows.net/gold')).toBe('"https://prodlake.dfs.core.windows.net/gold": give the account without a path (the lake is the whole account; bronze, silver, quarantine and gold are its filesystems)');
    expect(wrong('https://prodlake.table.core.windows.net')).toBe('"https://prodlake.table.core.windows.net": that is the table endpoint of account prodlake; give --lake https://prodlake.dfs.core.windows.net');
    expect(wrong('https://prodlake.dfs.core.windows.net/?sv=2024&sig=x')).toBe('"https://prodlake.dfs.core.windows.net/?sv=2024&sig=x": no query, fragment or user name (orderlake signs in with DefaultAzureCredential, not SAS tokens or keys)');
    expect(wrong('https://Prod_Lake.dfs.core.windows.net')).toBe('"https://Prod_Lake.dfs.core.windows.net": a storage account name is 3 to 24 lowercase letters and digits');
    expect(wrong('https://example.com')).toBe('"https://example.com"');
    expect(wrong('ftp://prodlake.dfs.core.windows.net')).toBe('"ftp://prodlake.dfs.core.windows.net"');
    expect(wrong('https://')).toBe('"https://"');
  });
});

describe('queueEndpoint', () => {
  const state = { url: 'https://prodstate.table.core.windows.net', account: 'prodstate' };

  it('is the state account\'s queue endpoint, or the setting azd prints', () => {
    expect(queueEndpoint(state, {}, false)).toEqual({ url: 'https://prodstate.queue.core.windows.net', account: 'prodstate' });
    expect(queueEndpoint(state, { StateStorage__queueServiceUri: 'https://otherstate.queue.core.windows.net/' }, false)).toEqual({ url: 'https://otherstate.queue.core.windows.net', account: 'otherstate' });
  });

  it('needs the setting for an emulator, whose endpoints differ by port', () => {
    const emulated = { url: 'http://127.0.0.1:10002/devstoreaccount1', account: 'devstoreaccount1' };
    expect(() => queueEndpoint(emulated, {}, true)).toThrow(new UsageError("expected StateStorage__queueServiceUri (the emulator's queue endpoint, http://127.0.0.1:<port>/<account>): an emulator's Table endpoint does not name its queue endpoint"));
    expect(queueEndpoint(emulated, { StateStorage__queueServiceUri: 'http://127.0.0.1:10001/devstoreaccount1' }, true)).toEqual({ url: 'http://127.0.0.1:10001/devstoreaccount1', account: 'devstoreaccount1' });
  });
});

describe('sameService', () => {
  it('matches a request to the endpoint it went to; the lake\'s blob and DFS endpoints are one', () => {
    const lake = { url: 'https://prodlake.dfs.core.windows.net', account: 'prodlake' };
    const state = { url: 'https://prodstate.table.core.windows.net', account: 'prodstate' };
    expect(['https://prodlake.blob.core.windows.net/?comp=list', 'https://prodlake.dfs.core.windows.net/gold/x', 'https://prodstate.table.core.windows.net/t()', 'not a url'].map((u) => sameService(u, lake))).toEqual([true, true, false, false]);
    expect(['https://prodstate.table.core.windows.net/t()', 'https://prodstate.queue.core.windows.net/q'].map((u) => sameService(u, state))).toEqual([true, false]);
    const emulated = { url: 'http://127.0.0.1:10002/devstoreaccount1', account: 'devstoreaccount1' };
    expect(['http://127.0.0.1:10002/devstoreaccount1/t()', 'http://127.0.0.1:10001/devstoreaccount1/q'].map((u) => sameService(u, emulated))).toEqual([true, false]);
  });
});
