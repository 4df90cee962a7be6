// Silver's file writers side by side, on this machine: the JSON lines writer that silver uses
// today, orderlake's own Parquet writer, DuckDB (appender + COPY, and read_json + COPY) and, when
// a scratch install is given with --hyparquet, hyparquet-writer. Batches of 1,000 generated
// events decided by the silver stage just before they are written, as the runner makes them;
// CPU time per row (the machine is shared: wall time is printed too, and JSON.parse of the same
// bodies as a yardstick of the load), median of repeated passes, and bytes per row.
//
//   npm run build && node --expose-gc dist/bench/silver-parquet.js [--batches 20] [--repeats 7] [--hyparquet /tmp/pq/node_modules/hyparquet-writer]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateEvents, DEFAULT_STREAM } from '../producer/generator';
import { decide } from '../src/silver/refine';
import { silverEventJson, silverLineJson, type SilverOrderEvent, type SilverOrderLine } from '../src/silver/rows';
import { Utf8Writer } from '../src/util/utf8-writer';
import { silverEventsParquet, silverLinesParquet } from '../src/silver/parquet/tables';

const { values: args } = parseArgs({
  options: {
    batches: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '7' },
    hyparquet: { type: 'string' },
  },
});

interface Batch { events: SilverOrderEvent[]; lines: SilverOrderLine[] }
const gc = (globalThis as { gc?: (opts: { type: 'minor' | 'major' }) => void }).gc;
/** One table's writer: rows in, file bytes out (a promise for the DuckDB ones). */
type Writer<R> = (rows: R[]) => Uint8Array | Promise<Uint8Array>;
interface Candidate { name: string; note: string; events: Writer<SilverOrderEvent>; lines: Writer<SilverOrderLine>; close?: () => void }

/** The generated bodies of `count` batches of 1,000 events. */
function bodies(count: number): string[][] {
  const all = [...generateEvents({ ...DEFAULT_STREAM, seed: 1, events: count * 1000, days: 180, end: new Date('2026-11-01T00:00:00Z') })];
  return Array.from({ length: count }, (_, b) => all.slice(b * 1000, (b + 1) * 1000));
}

/**
 * One batch's silver rows, decided just now as the silver stage does right before writing:
 * rows made long before (all batches up front) sit out of cache and cost a writer several
 * times more per row than in the pipeline.
 */
function decided(batch: string[], first: number): Batch {
  const out: Batch = { events: [], lines: [] };
  batch.forEach((body, j) => {
    const d = decide({ partition: '0', offset: String(first + j), sequenceNumber: first + j, enqueuedTime: '2026-11-21T10:00:00.000Z', body }, 'bronze/ingest_date=2026-11-21/partition=0/p0-000000000000-000000000999.jsonl');
    if (d.kind === 'silver') {
      out.events.push(d.row);
      out.lines.push(...d.lines);
    }
  });
  return out;
}

function jsonLines<R>(line: (r: R) => string): (rows: R[]) => Uint8Array {
  return (rows) => {
    const w = new Utf8Writer();
    for (const r of rows) w.write(line(r) + '\n');
    return w.bytes();
  };
}

const EVENT_SQL_TYPES = `event_id VARCHAR, order_id VARCHAR, schema_version INTEGER, status VARCHAR, status_rank INTEGER, event_time TIMESTAMPTZ,
  order_time TIMESTAMPTZ, order_date DATE, order_year INTEGER, order_month INTEGER, order_dayofweek INTEGER, customer_id VARCHAR,
  customer_email_sha256 VARCHAR, region VARCHAR, country VARCHAR, city VARCHAR, channel VARCHAR, payment_method VARCHAR, currency VARCHAR,
  item_count BIGINT, line_count INTEGER, shipping_cost DOUBLE, discount DOUBLE, total_amount DOUBLE, order_total_usd DOUBLE,
  is_high_value_order BOOLEAN, dq_warnings VARCHAR[], _rescued VARCHAR, ingestion_time TIMESTAMPTZ, source_partition VARCHAR,
  source_offset VARCHAR, source_sequence_number BIGINT, bronze_file VARCHAR`;
const LINE_SQL_TYPES = `event_id VARCHAR, order_id VARCHAR, line_number INTEGER, product_id VARCHAR, product_name VARCHAR, category VARCHAR,
  quantity INTEGER, unit_price DOUBLE, currency VARCHAR, line_total_usd DOUBLE, order_date DATE`;

/** DuckDB candidates: rows go in (appender, or JSON text read by read_json), COPY writes sorted Parquet to a temp file. */
async function duckCandidates(dir: string): Promise<Candidate[]> {
  const duck = await import('@duckdb/node-api');
  const instance = await duck.DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(`CREATE TABLE ev (${EVENT_SQL_TYPES})`);
  await conn.run(`CREATE TABLE ln (${LINE_SQL_TYPES})`);
  const out = path.join(dir, 'duck.parquet');
  const copy = async (from: string): Promise<Uint8Array> => {
    await conn.run(`COPY (SELECT * FROM ${from} ORDER BY order_date) TO '${out}' (FORMAT parquet, COMPRESSION snappy)`);
    return readFileSync(out);
  };
  const ts = (s: string) => new duck.DuckDBTimestampTZValue(BigInt(Date.parse(s)) * 1000n);
  const day = (s: string) => new duck.DuckDBDateValue(Date.parse(s) / 86_400_000);
  const listType = duck.LIST(duck.VARCHAR);
  type Appender = Awaited<ReturnType<typeof conn.createAppender>>;
  const text = (a: Appender, v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
  const appendEvents = async (rows: SilverOrderEvent[]) => {
    const a = await conn.createAppender('ev');
    for (const r of rows) {
      a.appendVarchar(r.event_id); a.appendVarchar(r.order_id); a.appendInteger(r.schema_version); a.appendVarchar(r.status);
      a.appendInteger(r.status_rank); a.appendTimestampTZ(ts(r.event_time)); a.appendTimestampTZ(ts(r.order_time)); a.appendDate(day(r.order_date));
      a.appendInteger(r.order_year); a.appendInteger(r.order_month); a.appendInteger(r.order_dayofweek); a.appendVarchar(r.customer_id);
      text(a, r.customer_email_sha256); a.appendVarchar(r.region); text(a, r.country); text(a, r.city); text(a, r.channel); text(a, r.payment_method);
      a.appendVarchar(r.currency); a.appendBigInt(BigInt(r.item_count)); a.appendInteger(r.line_count); a.appendDouble(r.shipping_cost);
      a.appendDouble(r.discount); a.appendDouble(r.total_amount); a.appendDouble(r.order_total_usd); a.appendBoolean(r.is_high_value_order);
      a.appendList(r.dq_warnings, listType); text(a, r._rescued); a.appendTimestampTZ(ts(r.ingestion_time)); a.appendVarchar(r.source_partition);
      a.appendVarchar(r.source_offset); a.appendBigInt(BigInt(r.source_sequence_number)); a.appendVarchar(r.bronze_file);
      a.endRow();
    }
    a.closeSync();
    const bytes = await copy('ev');
    await conn.run('DELETE FROM ev');
    return bytes;
  };
  const appendLines = async (rows: SilverOrderLine[]) => {
    const a = await conn.createAppender('ln');
    for (const l of rows) {
      a.appendVarchar(l.event_id); a.appendVarchar(l.order_id); a.appendInteger(l.line_number); a.appendVarchar(l.product_id);
      a.appendVarchar(l.product_name); a.appendVarchar(l.category); a.appendInteger(l.quantity); a.appendDouble(l.unit_price);
      a.appendVarchar(l.currency); a.appendDouble(l.line_total_usd); a.appendDate(day(l.order_date));
      a.endRow();
    }
    a.closeSync();
    const bytes = await copy('ln');
    await conn.run('DELETE FROM ln');
    return bytes;
  };
  const jsonIn = path.join(dir, 'in.jsonl');
  const viaJson = <R>(line: (r: R) => string, types: string): Writer<R> => async (rows) => {
    writeFileSync(jsonIn, jsonLines(line)(rows));
    const columns = `{${types.split(',').map((c) => c.trim().split(/\s+/)).map(([n, t]) => `${n}: '${t}'`).join(', ')}}`;
    return copy(`read_json('${jsonIn}', format = 'newline_delimited', columns = ${columns})`);
  };
  const close = () => {
    conn.closeSync();
    instance.closeSync();
  };
  return [
    { name: 'DuckDB appender + COPY', note: 'snappy, V1 pages; one native call per value', events: appendEvents, lines: appendLines },
    { name: 'DuckDB read_json + COPY', note: 'snappy; the JSON text is written first, then parsed by DuckDB', events: viaJson(silverEventJson, EVENT_SQL_TYPES), lines: viaJson(silverLineJson, LINE_SQL_TYPES), close },
  ];
}

/** hyparquet-writer from a scratch install (it is not a dependency): columns built from the rows, as it takes them. */
function hyparquetCandidate(dir: string): Candidate {
  const hyp = require(dir) as { parquetWriteBuffer: (o: unknown) => ArrayBuffer };
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  type Spec = Array<[string, string]>;
  const columnsOf = (rows: object[], spec: Spec) => spec.map(([name, type]) => ({
    name, type, data: rows.map((r) => {
      const v = (r as Record<string, unknown>)[name];
      return type === 'TIMESTAMP' ? new Date(v as string) : type === 'INT64' ? BigInt(v as number) : type === 'JSON' ? JSON.stringify(v) : v;
    }),
  }));
  const eventSpec: Spec = EVENT_SQL_TYPES.split(',').map((c) => c.trim().split(/\s+/) as [string, string]).map(([n, t]) => [n,
    t === 'TIMESTAMPTZ' ? 'TIMESTAMP' : t === 'BIGINT' ? 'INT64' : t === 'INTEGER' ? 'INT32' : t === 'DOUBLE' ? 'DOUBLE' : t === 'BOOLEAN' ? 'BOOLEAN' : t === 'VARCHAR[]' ? 'JSON' : 'STRING']);
  const lineSpec: Spec = LINE_SQL_TYPES.split(',').map((c) => c.trim().split(/\s+/) as [string, string]).map(([n, t]) => [n,
    t === 'INTEGER' ? 'INT32' : t === 'DOUBLE' ? 'DOUBLE' : 'STRING']);
  const write = (spec: Spec) => (rows: object[]) => new Uint8Array(hyp.parquetWriteBuffer({ columnData: columnsOf(rows, spec), codec: 'SNAPPY', rowGroupSize: 1e9 }));
  return { name: `hyparquet-writer ${version}`, note: 'snappy (its default); DATA_PAGE_V2 only; dates as text, dq_warnings as JSON text here', events: write(eventSpec), lines: write(lineSpec) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/**
 * CPU µs per event of JSON.parse of the raw bodies: a yardstick for how loaded the machine is
 * (docs/benchmarks.md has it from a quiet run as the ceiling of figure 1).
 */
function parseYardstick(input: string[][], repeats: number): number {
  const cpu: number[] = [];
  for (let pass = 0; pass <= repeats; pass++) {
    let us = 0;
    let n = 0;
    for (const batch of input) {
      const c0 = process.cpuUsage();
      for (const body of batch) {
        try {
          JSON.parse(body);
        } catch {
          // malformed lines are part of the generated dirt
        }
      }
      const c = process.cpuUsage(c0);
      us += c.user + c.system;
      n += batch.length;
    }
    if (pass) cpu.push(us / n);
  }
  return median(cpu);
}

interface Measured { cpuUs: number; wallUs: number; bytes: number }

/** Per row, for events and lines: median over passes of CPU and wall time, and the bytes of the first pass. */
async function measure(c: Candidate, input: string[][], repeats: number): Promise<{ events: Measured; lines: Measured }> {
  const times = { events: { cpu: [] as number[], wall: [] as number[], bytes: 0 }, lines: { cpu: [] as number[], wall: [] as number[], bytes: 0 } };
  for (let pass = 0; pass <= repeats; pass++) {
    const sums = { events: { cpu: 0, wall: 0, rows: 0 }, lines: { cpu: 0, wall: 0, rows: 0 } };
    for (let b = 0; b < input.length; b++) {
      const batch = decided(input[b]!, b * 1000);
      // With --expose-gc: the garbage of deciding is collected before the clock starts, so a
      // writer is not charged for a collection that deciding made due.
      gc?.({ type: 'minor' });
      for (const table of ['events', 'lines'] as const) {
        const rows = batch[table];
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const bytes = await (c[table] as Writer<unknown>)(rows);
        const cpu = process.cpuUsage(c0);
        sums[table].wall += Number(process.hrtime.bigint() - t0) / 1000;
        sums[table].cpu += cpu.user + cpu.system;
        sums[table].rows += rows.length;
        if (pass === 1) times[table].bytes += bytes.length;
      }
    }
    // Pass 0 warms the code up and is not counted.
    if (pass === 0) continue;
    for (const table of ['events', 'lines'] as const) {
      times[table].cpu.push(sums[table].cpu / sums[table].rows);
      times[table].wall.push(sums[table].wall / sums[table].rows);
      if (pass === 1) times[table].bytes /= sums[table].rows;
    }
  }
  const result = (t: typeof times.events): Measured => ({ cpuUs: median(t.cpu), wallUs: median(t.wall), bytes: t.bytes });
  return { events: result(times.events), lines: result(times.lines) };
}

async function main(): Promise<void> {
  const count = Number(args.batches);
  const repeats = Number(args.repeats);
  const input = bodies(count);
  const sample = input.map((b, i) => decided(b, i * 1000));
  const eventCount = sample.reduce((n, b) => n + b.events.length, 0);
  const lineCount = sample.reduce((n, b) => n + b.lines.length, 0);
  const linesPerEvent = lineCount / eventCount;
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'silver-parquet-bench-'));
  const candidates: Candidate[] = [
    { name: 'JSON lines (today)', note: 'silverEventJson / silverLineJson into a Utf8Writer', events: jsonLines(silverEventJson), lines: jsonLines(silverLineJson) },
    { name: 'orderlake Parquet writer', note: 'uncompressed, V1 pages, PLAIN + dictionary, sorted, with Delta stats', events: (r) => silverEventsParquet(r).bytes, lines: (r) => silverLinesParquet(r).bytes },
    ...(await duckCandidates(dir)),
    ...(args.hyparquet ? [hyparquetCandidate(path.resolve(args.hyparquet))] : []),
  ];
  const cpus = os.cpus();
  console.log(`${count} batches of 1,000 generated events (${eventCount} silver events, ${lineCount} lines: ${linesPerEvent.toFixed(2)} per event); each batch decided just before it is written, as in the pipeline; median of ${repeats} passes; ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('');
  console.log('| writer | µs/row events (CPU) | µs/row lines (CPU) | µs per event, events + lines (CPU) | wall µs per event | bytes/row events | bytes/row lines | notes |');
  console.log('|---|---|---|---|---|---|---|---|');
  const yardstick = parseYardstick(input, repeats);
  try {
    for (const c of candidates) {
      const { events: e, lines: l } = await measure(c, input, repeats);
      const f = (n: number) => n.toFixed(2);
      console.log(`| ${c.name} | ${f(e.cpuUs)} | ${f(l.cpuUs)} | **${f(e.cpuUs + l.cpuUs * linesPerEvent)}** | ${f(e.wallUs + l.wallUs * linesPerEvent)} | ${e.bytes.toFixed(0)} | ${l.bytes.toFixed(0)} | ${c.note} |`);
    }
    console.log('');
    console.log(`Yardstick: JSON.parse of the same bodies took ${yardstick.toFixed(2)} CPU µs per event in this run (1e6 / the ceiling of docs/benchmarks.md figure 1 on a quiet machine: 2.72). Divide the figures above by ${(yardstick / 2.72).toFixed(2)} for a quiet machine.`);
  } finally {
    for (const c of candidates) c.close?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
