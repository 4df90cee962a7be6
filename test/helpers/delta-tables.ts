// Small building blocks for the Delta module's tests: a settable clock, a lake that counts what
// it reads, a file to add, and a parquet data file written with DuckDB.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Lake, LakeEntry } from '../../src/pipeline/ports';
import type { DeltaField, NewFile } from '../../src/delta';

export const T0 = Date.parse('2026-01-10T00:00:00.000Z');
export const DAY = 86_400_000;

/** A clock tests move by hand. */
export class TestClock {
  constructor(public ms = T0) {}
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const ORDERS_SCHEMA: DeltaField[] = [
  { name: 'order_id', type: 'string' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'order_date', type: 'date' },
];

/** A file of the orders table in the partition of `date`. */
export function orderFile(name: string, date: string, size = 100, numRecords = 1): NewFile {
  return { key: `order_date=${date}/${name}.parquet`, partitionValues: { order_date: date }, size, modificationTime: T0, stats: JSON.stringify({ numRecords }) };
}

/** Wraps a lake, counting files and bytes read and listings made (the cost of a snapshot read). */
export class CountingLake implements Lake {
  reads: string[] = [];
  bytes = 0;
  lists = 0;
  /** The prefixes scanned, and the entries the scans yielded (what a paged listing pays for). */
  scans: string[] = [];
  scanned: string[] = [];
  constructor(private readonly inner: Lake) {}
  reset(): void {
    this.reads = [];
    this.bytes = 0;
    this.lists = 0;
    this.scans = [];
    this.scanned = [];
  }
  async *scanEntries(prefix: string): AsyncIterable<LakeEntry> {
    this.scans.push(prefix);
    for await (const e of this.inner.scanEntries!(prefix)) {
      this.scanned.push(e.path);
      yield e;
    }
  }
  writeFile(p: string, d: string | Uint8Array) {
    return this.inner.writeFile(p, d);
  }
  async readFile(p: string) {
    this.reads.push(p);
    const b = await this.inner.readFile(p);
    this.bytes += b.length;
    return b;
  }
  list(p: string) {
    this.lists++;
    return this.inner.list(p);
  }
  listEntries(p: string): Promise<LakeEntry[]> {
    this.lists++;
    return this.inner.listEntries!(p);
  }
  deleteFile(p: string) {
    return this.inner.deleteFile(p);
  }
  writeFileIfAbsent(p: string, d: string | Uint8Array) {
    return this.inner.writeFileIfAbsent(p, d);
  }
  sweepTemporary(before: Date) {
    return this.inner.sweepTemporary(before);
  }
}

/** Runs SQL with a throwaway DuckDB (to write test data files). */
export async function duckRun(sql: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run(sql);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Writes a Parquet file at `file` from a SELECT, creating its folder. */
export async function writeParquet(file: string, select: string): Promise<Buffer> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await duckRun(`COPY (${select}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, PARQUET_VERSION V1, COMPRESSION snappy)`);
  return fs.readFile(file);
}
