import { readFileSync } from 'node:fs';
import {
  silverEventsParquet, silverLinesParquet, quarantineParquet, silverParquetFiles, deltaSchema,
  SILVER_EVENT_COLUMNS, SILVER_LINE_COLUMNS, QUARANTINE_COLUMNS,
} from '../../../src/silver/parquet/tables';
import type { QuarantineRecord, SilverOrderEvent, SilverOrderLine } from '../../../src/silver/rows';
import type { Decision } from '../../../src/silver/refine';
import { closeDuck, decidedBatch, pageHeaders, query, readBack, saved } from '../../helpers/parquet';
import { tempDirs } from '../../helpers/tmp';

// DuckDB reads every file back: an independent reader, exact rows and types.
jest.setTimeout(120_000);
const tmp = tempDirs();
afterAll(closeDuck);

const batch = decidedBatch(1000);
const events = batch.flatMap((d) => (d.kind === 'silver' ? [d.row] : []));
const lines = batch.flatMap((d) => (d.kind === 'silver' ? d.lines : []));
const quarantined = batch.flatMap((d) => (d.kind === 'quarantine' ? [d.record] : []));

/** Stable sort by a text key: the order the writer promises. */
function sortedBy<R>(rows: readonly R[], key: (r: R) => string): R[] {
  return rows.map((r, i) => ({ r, i })).sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.i - b.i)).map((x) => x.r);
}

/** A row as DuckDB gives it back: every column of the table, an absent one (body_base64) as null. */
function expected(columns: readonly { name: string }[]): (row: object) => Record<string, unknown> {
  return (row) => Object.fromEntries(columns.map((c) => [c.name, (row as Record<string, unknown>)[c.name] ?? null]));
}
const expectedEvent = expected(SILVER_EVENT_COLUMNS);

const EVENT_TYPES: Array<[string, string]> = [
  ['event_id', 'VARCHAR'], ['order_id', 'VARCHAR'], ['schema_version', 'INTEGER'], ['status', 'VARCHAR'], ['status_rank', 'INTEGER'],
  ['event_time', 'TIMESTAMP WITH TIME ZONE'], ['order_time', 'TIMESTAMP WITH TIME ZONE'], ['order_date', 'DATE'], ['order_year', 'INTEGER'],
  ['order_month', 'INTEGER'], ['order_dayofweek', 'INTEGER'], ['customer_id', 'VARCHAR'], ['customer_email_sha256', 'VARCHAR'], ['region', 'VARCHAR'],
  ['country', 'VARCHAR'], ['city', 'VARCHAR'], ['channel', 'VARCHAR'], ['payment_method', 'VARCHAR'], ['currency', 'VARCHAR'], ['item_count', 'BIGINT'],
  ['line_count', 'INTEGER'], ['shipping_cost', 'DOUBLE'], ['discount', 'DOUBLE'], ['total_amount', 'DOUBLE'], ['order_total_usd', 'DOUBLE'],
  ['is_high_value_order', 'BOOLEAN'], ['dq_warnings', 'VARCHAR[]'], ['_rescued', 'VARCHAR'], ['ingestion_time', 'TIMESTAMP WITH TIME ZONE'],
  ['source_partition', 'VARCHAR'], ['source_offset', 'VARCHAR'], ['source_sequence_number', 'BIGINT'], ['bronze_file', 'VARCHAR'],
];

/** Rows no producer should send but silver must keep exactly: the hostile cases of the brief. */
function hostileEvents(): SilverOrderEvent[] {
  const base = events[0]!;
  const megabyte = 'é"\\\u0000\u001f😀'.repeat(200_000);
  return [
    { ...base, event_id: 'ffffffff-0000-4000-8000-000000000001', order_date: '2026-12-31', order_time: '2026-12-31T23:59:59.999Z',
      _rescued: `{"big":"${'x'.repeat(20 << 20)}😀"}`, city: 'Quote " backslash \\ tab \t nul \u0000 bell \u0007 😀 中文',
      shipping_cost: -0, discount: 1e-300, total_amount: 1e300, order_total_usd: Number.MAX_VALUE, customer_id: megabyte,
      dq_warnings: ['invalid_email', 'total_mismatch', 'emoji_😀'] },
    { ...base, event_id: 'ffffffff-0000-4000-8000-000000000002', order_date: '1970-01-01', order_time: '1970-01-01T00:00:00.000Z',
      event_time: '1969-12-31T23:59:59.999Z', customer_email_sha256: null, country: null, city: null, channel: null, payment_method: null,
      _rescued: null, total_amount: -Number.MAX_VALUE, order_total_usd: -0, shipping_cost: Number.MIN_VALUE, dq_warnings: [] },
  ];
}

describe('silverEventsParquet', () => {
  it('writes a realistic batch that DuckDB reads back row for row, sorted by order_date, with the contract columns and types', async () => {
    const file = silverEventsParquet(events);
    const back = await readBack(saved(tmp(), 'events.parquet', file.bytes));
    expect(back.types).toEqual(EVENT_TYPES);
    expect(back.rows).toEqual(sortedBy(events, (r) => r.order_date).map(expectedEvent));
    expect(file.stats.numRecords).toBe(events.length);
  });

  it('keeps hostile values exactly: 20 MB and megabyte strings, control characters, emoji, -0, 1e300, the largest double, nulls', async () => {
    const rows = hostileEvents();
    const back = await readBack(saved(tmp(), 'hostile.parquet', silverEventsParquet(rows).bytes));
    // Sorted: 1970-01-01 first.
    expect(back.rows).toEqual([expectedEvent(rows[1]!), expectedEvent(rows[0]!)]);
    expect(Object.is(back.rows[1]!['shipping_cost'], -0)).toBe(true);
    expect(Object.is(back.rows[0]!['order_total_usd'], -0)).toBe(true);
    expect((back.rows[1]!['_rescued'] as string).length).toBe(rows[0]!._rescued!.length);
  });

  it('gives Delta statistics equal to what DuckDB computes from the file: numRecords, min and max, nullCount per column', async () => {
    const rows = [...events, ...hostileEvents()];
    const file = silverEventsParquet(rows);
    const src = `read_parquet('${saved(tmp(), 'stats.parquet', file.bytes)}')`;
    const [truth] = await query(`SELECT count(*)::INTEGER AS n,
      strftime(min(order_date), '%Y-%m-%d') AS min_date, strftime(max(order_date), '%Y-%m-%d') AS max_date,
      strftime(min(event_time), '%Y-%m-%dT%H:%M:%S.%gZ') AS min_event, strftime(max(event_time), '%Y-%m-%dT%H:%M:%S.%gZ') AS max_event,
      strftime(min(ingestion_time), '%Y-%m-%dT%H:%M:%S.%gZ') AS min_ingest,
      min(source_sequence_number)::DOUBLE AS min_seq, max(source_sequence_number)::DOUBLE AS max_seq,
      min(order_id) AS min_order, max(order_id) AS max_order, min(total_amount) AS min_total, max(total_amount) AS max_total,
      count(*) FILTER (WHERE city IS NULL)::INTEGER AS null_city, count(*) FILTER (WHERE _rescued IS NULL)::INTEGER AS null_rescued
      FROM ${src}`);
    const s = file.stats;
    expect(s.numRecords).toBe(truth!['n']);
    expect([s.minValues['order_date'], s.maxValues['order_date']]).toEqual([truth!['min_date'], truth!['max_date']]);
    expect([s.minValues['event_time'], s.maxValues['event_time']]).toEqual([truth!['min_event'], truth!['max_event']]);
    expect(s.minValues['ingestion_time']).toBe(truth!['min_ingest']);
    expect([s.minValues['source_sequence_number'], s.maxValues['source_sequence_number']]).toEqual([truth!['min_seq'], truth!['max_seq']]);
    expect([s.minValues['order_id'], s.maxValues['order_id']]).toEqual([truth!['min_order'], truth!['max_order']]);
    expect([s.minValues['total_amount'], s.maxValues['total_amount']]).toEqual([truth!['min_total'], truth!['max_total']]);
    expect([s.nullCount['city'], s.nullCount['_rescued']]).toEqual([truth!['null_city'], truth!['null_rescued']]);
    // Every top-level column has a nullCount; booleans and lists have no min/max (as Spark writes them).
    expect(Object.keys(s.nullCount)).toEqual(EVENT_TYPES.map(([name]) => name));
    expect(Object.keys(s.minValues)).not.toContain('dq_warnings');
    expect(Object.keys(s.minValues)).not.toContain('is_high_value_order');
    // Strings are cut to 32 characters; a cut max gets a tie-breaker so it still bounds every value.
    const ids = rows.map((r) => r.event_id).sort();
    expect(s.minValues['event_id']).toBe(ids[0]!.slice(0, 32));
    expect(s.maxValues['event_id']).toBe(`${ids[ids.length - 1]!.slice(0, 32)}\u007f`);
    expect((s.maxValues['_rescued'] as string).length).toBeLessThanOrEqual(33);
  });

  it('writes what a Delta reader expects of the file: one row group, V1 data pages, PLAIN or dictionary values, statistics on every column', async () => {
    const bytes = silverEventsParquet(events).bytes;
    const file = saved(tmp(), 'meta.parquet', bytes);
    const [fileMeta] = await query(`SELECT num_row_groups::INTEGER AS groups, format_version::INTEGER AS version, created_by FROM parquet_file_metadata('${file}')`);
    expect(fileMeta).toEqual({ groups: 1, version: 1, created_by: 'orderlake version 1 (silver parquet writer)' });
    const chunks = await query(`SELECT path_in_schema, compression, encodings, stats_null_count, stats_min_value, stats_max_value,
      data_page_offset::INTEGER AS data_at, dictionary_page_offset::INTEGER AS dict_at, total_compressed_size::INTEGER AS bytes FROM parquet_metadata('${file}')`);
    expect(chunks.length).toBe(33);
    const onDisk = readFileSync(file);
    for (const c of chunks) {
      expect(c['compression']).toBe('UNCOMPRESSED');
      expect(['PLAIN, RLE', 'PLAIN, RLE, RLE_DICTIONARY']).toContain(c['encodings']);
      expect(c['stats_null_count']).not.toBeNull();
      expect(c['stats_min_value']).not.toBeNull();
      // Pages: a dictionary page first when there is one, then V1 data pages (type 0; V2 would be 3).
      const start = (c['dict_at'] ?? c['data_at']) as number;
      const pages = pageHeaders(onDisk, start, c['bytes'] as number);
      expect(pages.map((p) => p.type)).toEqual(c['dict_at'] === null ? [0] : [2, 0]);
      expect(pages[pages.length - 1]!.values).toBe(events.length);
    }
    expect(chunks.find((c) => c['path_in_schema'] === 'status')!['encodings']).toBe('PLAIN, RLE, RLE_DICTIONARY');
  });

  it('splits a column of more than a megabyte into pages at row boundaries', async () => {
    const big = events.slice(0, 40).map((r, i) => ({ ...r, _rescued: `{"n":${i},"pad":"${'ü'.repeat(100_000)}"}` }));
    const file = saved(tmp(), 'pages.parquet', silverEventsParquet(big).bytes);
    const back = await readBack(file);
    expect(back.rows.map((r) => r['_rescued'])).toEqual(sortedBy(big, (r) => r.order_date).map((r) => r._rescued));
    const [rescued] = await query(`SELECT data_page_offset::INTEGER AS at, total_compressed_size::INTEGER AS bytes FROM parquet_metadata('${file}') WHERE path_in_schema = '_rescued'`);
    const pages = pageHeaders(readFileSync(file), rescued!['at'] as number, rescued!['bytes'] as number);
    // 40 values of 200 KB: pages of at least 1 MiB, each ending where a row ends.
    expect(pages.map((p) => p.values)).toEqual([6, 6, 6, 6, 6, 6, 4]);
    expect(pages.every((p) => p.type === 0)).toBe(true);
  });

  it('refuses a value of the wrong type, naming the column', () => {
    expect(() => silverEventsParquet([{ ...events[0]!, order_date: '2026-02-30' }])).toThrow('column order_date expects a date YYYY-MM-DD, got "2026-02-30"');
    expect(() => silverEventsParquet([{ ...events[0]!, line_count: 1.5 }])).toThrow('column line_count expects a 32-bit integer or null, got number 1.5');
  });
});

describe('silverLinesParquet', () => {
  it('writes a realistic batch that DuckDB reads back row for row, sorted by order_date, with exact types', async () => {
    const back = await readBack(saved(tmp(), 'lines.parquet', silverLinesParquet(lines).bytes));
    expect(back.types).toEqual([
      ['event_id', 'VARCHAR'], ['order_id', 'VARCHAR'], ['line_number', 'INTEGER'], ['product_id', 'VARCHAR'], ['product_name', 'VARCHAR'],
      ['category', 'VARCHAR'], ['quantity', 'INTEGER'], ['unit_price', 'DOUBLE'], ['currency', 'VARCHAR'], ['line_total_usd', 'DOUBLE'], ['order_date', 'DATE'],
      ['bronze_file', 'VARCHAR'],
    ]);
    expect(back.rows).toEqual(sortedBy(lines, (l) => l.order_date).map(expected(SILVER_LINE_COLUMNS)));
  });

  it('gives order_date bounds and nullCount per column', () => {
    const dates = lines.map((l) => l.order_date).sort();
    const { stats } = silverLinesParquet(lines);
    expect([stats.minValues['order_date'], stats.maxValues['order_date']]).toEqual([dates[0], dates[dates.length - 1]]);
    expect(stats.nullCount).toEqual(Object.fromEntries(SILVER_LINE_COLUMNS.map((c) => [c.name, 0])));
  });
});

describe('quarantineParquet', () => {
  it('writes quarantine records with lists of codes and of {code, message}, sorted by ingest_date, megabyte bodies included', async () => {
    const hostile: QuarantineRecord[] = [
      { ...quarantined[0]!, ingest_date: '2026-11-20', ingestion_time: '2026-11-20T23:59:59.999Z', event_id: null, order_id: null,
        codes: ['malformed_json', 'missing_field'], errors: [{ code: 'malformed_json', message: 'quote " and \\ and \u0000 and 😀' }, { code: 'missing_field', message: '' }],
        body: `{"broken": "${'😀'.repeat(1 << 20)}`, sequence_number: 2 ** 40 },
      { ...quarantined[0]!, body: null, body_base64: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), codes: [], errors: [] },
    ];
    const rows = [...quarantined, ...hostile];
    const back = await readBack(saved(tmp(), 'quarantine.parquet', quarantineParquet(rows).bytes));
    expect(back.types).toEqual([
      ['codes', 'VARCHAR[]'], ['errors', 'STRUCT(code VARCHAR, message VARCHAR)[]'], ['event_id', 'VARCHAR'], ['order_id', 'VARCHAR'],
      ['ingest_date', 'DATE'], ['ingestion_time', 'TIMESTAMP WITH TIME ZONE'], ['partition', 'VARCHAR'], ['offset', 'VARCHAR'],
      ['sequence_number', 'BIGINT'], ['bronze_file', 'VARCHAR'], ['body', 'VARCHAR'], ['body_base64', 'VARCHAR'],
    ]);
    expect(back.rows).toEqual(sortedBy(rows, (q) => q.ingest_date).map(expected(QUARANTINE_COLUMNS)));
    expect(quarantined.length).toBeGreaterThan(10);
  });
});

describe('silverParquetFiles', () => {
  it('makes at most one file per table from a batch of decisions, the same files as the writers of each table', () => {
    const files = silverParquetFiles(batch);
    expect(files.events!.stats.numRecords).toBe(events.length);
    expect(files.lines!.stats.numRecords).toBe(lines.length);
    expect(files.quarantine!.stats.numRecords).toBe(quarantined.length);
    // Lines are ordered through their events here: byte for byte what sorting the lines gives.
    expect(Buffer.from(files.events!.bytes).equals(Buffer.from(silverEventsParquet(events).bytes))).toBe(true);
    expect(Buffer.from(files.lines!.bytes).equals(Buffer.from(silverLinesParquet(lines).bytes))).toBe(true);
    expect(Buffer.from(files.quarantine!.bytes).equals(Buffer.from(quarantineParquet(quarantined).bytes))).toBe(true);
  });

  it('makes no file for a table without rows', () => {
    const onlyQuarantine = batch.filter((d): d is Extract<Decision, { kind: 'quarantine' }> => d.kind === 'quarantine');
    expect(Object.keys(silverParquetFiles(onlyQuarantine))).toEqual(['quarantine']);
    expect(silverParquetFiles([])).toEqual({});
  });
});

describe('deltaSchema', () => {
  it('names every column of the JSON rows, in their order, with Delta types', () => {
    const fields = deltaSchema(SILVER_EVENT_COLUMNS).fields;
    expect(fields.map((f) => f.name)).toEqual(Object.keys(events[0]!));
    expect(deltaSchema(SILVER_LINE_COLUMNS).fields.map((f) => f.name)).toEqual(Object.keys(lines[0] as SilverOrderLine));
    expect(deltaSchema(QUARANTINE_COLUMNS).fields.map((f) => f.name)).toEqual([...Object.keys(quarantined[0]!), 'body_base64']);
    const byName = new Map(fields.map((f) => [f.name, f.type]));
    expect([byName.get('order_date'), byName.get('event_time'), byName.get('item_count'), byName.get('status_rank'), byName.get('order_total_usd'), byName.get('is_high_value_order')])
      .toEqual(['date', 'timestamp', 'long', 'integer', 'double', 'boolean']);
    expect(byName.get('dq_warnings')).toEqual({ type: 'array', elementType: 'string', containsNull: true });
    expect(deltaSchema(QUARANTINE_COLUMNS).fields[1]).toEqual({
      name: 'errors', nullable: true, metadata: {},
      type: { type: 'array', containsNull: true, elementType: { type: 'struct', fields: [
        { name: 'code', type: 'string', nullable: true, metadata: {} }, { name: 'message', type: 'string', nullable: true, metadata: {} },
      ] } },
    });
  });
});
