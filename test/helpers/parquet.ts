// Reading Parquet back with an independent reader (DuckDB's read_parquet), and realistic silver
// rows to write: the producer's stream through the silver stage's own decisions.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { generateEvents, DEFAULT_STREAM } from '../../producer/generator';
import { decide, type Decision } from '../../src/silver/refine';

export interface ReadBack {
  /** Column name and DuckDB type, in file order. */
  types: Array<[string, string]>;
  /** Rows as the writer was given them: dates 'YYYY-MM-DD', timestamps ISO with ms and Z, BIGINT as numbers. */
  rows: Array<Record<string, unknown>>;
}

let connection: Promise<DuckDBConnection> | undefined;

/** One in-memory DuckDB for the test file, in UTC. */
export function duck(): Promise<DuckDBConnection> {
  connection ??= (async () => {
    const c = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
    await c.run(`SET TimeZone = 'UTC'`);
    return c;
  })();
  return connection;
}

export async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await (await duck()).runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function saved(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Every row and the column types of a Parquet file, read by DuckDB in file order. */
export async function readBack(file: string): Promise<ReadBack> {
  const src = `read_parquet('${file.replace(/'/g, "''")}')`;
  const types = (await query(`DESCRIBE SELECT * FROM ${src}`)).map((r) => [String(r['column_name']), String(r['column_type'])] as [string, string]);
  const kinds = new Map(types);
  const rows = (await query(`SELECT * FROM ${src}`)).map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) out[k] = plain(v, kinds.get(k) ?? '');
    return out;
  });
  return { types, rows };
}

function plain(v: unknown, type: string): unknown {
  if (v instanceof Date) return type === 'DATE' ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => plain(x, ''));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, '')]));
  return v;
}

/** `events` generated events (seed 1, 180 days of orders), decided as the silver stage decides them. */
export function decidedBatch(events: number, seed = 1): Decision[] {
  const bodies = [...generateEvents({ ...DEFAULT_STREAM, seed, events, days: 180, end: new Date('2026-11-01T00:00:00Z') })];
  return bodies.map((body, i) => decide(
    { partition: '3', offset: String(1000 + i), sequenceNumber: 500 + i, enqueuedTime: '2026-11-21T10:00:00.000Z', body },
    'bronze/ingest_date=2026-11-21/partition=3/p3-000000000500-000000001499.jsonl',
  ));
}

/** Closes the test file's DuckDB (call in afterAll). */
export async function closeDuck(): Promise<void> {
  if (connection) (await connection).closeSync();
  connection = undefined;
}

/**
 * The page headers of one column chunk (type, value count, compressed size), read with a small
 * Thrift compact decoder: DuckDB does not show pages. Types: 0 DATA_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2.
 */
export function pageHeaders(file: Uint8Array, chunkStart: number, chunkBytes: number): Array<{ type: number; values: number; bytes: number }> {
  const pages: Array<{ type: number; values: number; bytes: number }> = [];
  let at = chunkStart;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = file[at++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  const zigzag = (): number => {
    const v = varint();
    return v % 2 ? -(v + 1) / 2 : v / 2;
  };
  // Reads a struct's fields; `found` gets the i32 fields of this struct and, by id, of nested ones.
  const struct = (found: Map<string, number>, prefix: string): void => {
    let id = 0;
    for (;;) {
      const head = file[at++]!;
      if (head === 0) return;
      const type = head & 0x0f;
      id = head >> 4 ? id + (head >> 4) : zigzag();
      value(type, found, `${prefix}${id}`);
    }
  };
  const value = (type: number, found: Map<string, number>, key: string): void => {
    if (type === 1 || type === 2) return;
    if (type === 3) at++;
    else if (type === 4 || type === 5 || type === 6) found.set(key, zigzag());
    else if (type === 7) at += 8;
    else if (type === 8) at += varint();
    else if (type === 9 || type === 10) {
      const head = file[at++]!;
      const size = head >> 4 === 15 ? varint() : head >> 4;
      for (let i = 0; i < size; i++) value(head & 0x0f, new Map(), '');
    } else if (type === 12) struct(found, `${key}.`);
    else throw new Error(`thrift: unexpected type ${type} at byte ${at}`);
  };
  while (at < chunkStart + chunkBytes) {
    const found = new Map<string, number>();
    struct(found, '');
    const bytes = found.get('3')!;
    pages.push({ type: found.get('1')!, values: found.get('5.1') ?? found.get('7.1')!, bytes });
    at += bytes;
  }
  return pages;
}
