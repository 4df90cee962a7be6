import type { Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';
import { count } from '../format';

export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: "bring a lake's state written by an earlier orderlake to this version's layout (run once after deploying a new version; safe to run again)",
  usage: 'orderlake upgrade [--lake <dir|url>] [--state <url>] [--json]',
  options: {
    lake: ANY_LAKE_OPTION,
    state: STATE_OPTION,
    json: { type: 'boolean', description: 'print what was done as JSON' },
  },
  examples: ['orderlake upgrade --lake "$LAKE_DFS_URL"'],
  async run(values, _pos, io) {
    return withLake(values, 'upgrade', { state: true, writes: true }, async (h) => {
      const { ledger } = await h.upgrade();
      if (values['json']) {
        io.out(JSON.stringify({ ledger }) + '\n');
        return 0;
      }
      if (!ledger) {
        io.out('nothing to do: a local lake upgrades its state itself when it is opened\n');
        return 0;
      }
      io.out(`dedup ledger: ${count(ledger.read)} claim(s) of the earlier layout read, ${count(ledger.copied)} in this version's partitions\n`);
      // An id resent after the new version took traffic and before this copy: both positions hold it in silver.
      for (const c of ledger.conflicting) io.err(`warning: event_id ${c.eventId} is in silver twice: at position ${c.legacyOwner} (before the upgrade) and ${c.owner} (resent before this copy ran); run 'orderlake upgrade' before the new version takes traffic to avoid this\n`);
      return 0;
    });
  },
};
