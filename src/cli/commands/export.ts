import { exportTable, type ExportFormat } from '../../gold/export';
import { GOLD_TABLES } from '../../gold/tables';
import { UsageError, type Command } from '../args';
import { ANY_LAKE_OPTION, STATE_OPTION, withLake } from '../lake-handle';

export const exportCommand: Command = {
  name: 'export',
  summary: 'print a gold table, one row per line (JSON lines or CSV)',
  usage: `orderlake export <table> [--lake <dir|url>] [--format jsonl|csv]\n\nTables: ${GOLD_TABLES.map((t) => t.name).join(', ')}`,
  options: {
    lake: ANY_LAKE_OPTION,
    state: { ...STATE_OPTION, description: `${STATE_OPTION.description}; export reads only the lake, so it is accepted and not used` },
    format: { type: 'string', short: 'f', value: 'jsonl|csv', description: 'output format', default: 'jsonl' },
  },
  examples: ['orderlake export monthly_revenue --lake ./lake', 'orderlake export product_sales --format csv > product_sales.csv', 'orderlake export monthly_revenue --lake "$LAKE_DFS_URL"   # Azure (azd env get-values)'],
  async run(values, positionals, io) {
    const table = positionals[0];
    if (!table) throw new UsageError(`missing the table name; tables: ${GOLD_TABLES.map((t) => t.name).join(', ')}`);
    if (!GOLD_TABLES.some((t) => t.name === table)) throw new UsageError(`unknown table ${JSON.stringify(table)}; tables: ${GOLD_TABLES.map((t) => t.name).join(', ')}`);
    const format = values['format'] as string;
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`expected --format jsonl or csv, got ${JSON.stringify(format)}`);
    return withLake(values, 'export', { state: false, writes: false }, async ({ lake }) => {
      let buf: string[] = [];
      for await (const line of exportTable(lake, table, format as ExportFormat)) {
        buf.push(line);
        if (buf.length >= 2000) {
          io.out(buf.join('\n') + '\n');
          buf = [];
        }
      }
      if (buf.length) io.out(buf.join('\n') + '\n');
      return 0;
    });
  },
};
