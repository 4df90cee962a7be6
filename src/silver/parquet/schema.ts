// A table's columns as the writer sees them: name, type, and how to read the value from a row.
// Types cover what silver needs: text, integers, doubles, booleans, dates, UTC timestamps, a
// list of text and a list of records of text. Every column is OPTIONAL in Parquet (nullable in
// Delta), as Spark and DuckDB write them, so files of both writers share one table schema.

/** A scalar type: its Parquet form (physical type and annotation) and its Delta type follow from it. */
export type ScalarType = 'string' | 'integer' | 'long' | 'double' | 'boolean' | 'date' | 'timestamp';

export interface ScalarColumn<R> {
  name: string;
  type: ScalarType;
  /**
   * The value: a JS string for string; a number for integer, long and double; a boolean;
   * 'YYYY-MM-DD' for date; ISO-8601 text with an offset or Z for timestamp (microseconds).
   */
  get: (row: R) => string | number | boolean | null;
  /** Dictionary-encode (few distinct values: status, region, bronze_file...); falls back to PLAIN when not worth it. */
  dictionary?: boolean;
}

/** A list of text: Parquet LIST, Delta array<string>. */
export interface StringListColumn<R> {
  name: string;
  type: 'list<string>';
  get: (row: R) => readonly (string | null)[] | null;
}

/** A list of records whose fields are all text: Parquet LIST of a group, Delta array<struct<...>>. */
export interface RecordListColumn<R> {
  name: string;
  type: 'list<record>';
  fields: readonly string[];
  get: (row: R) => readonly (Readonly<Record<string, string | null>> | null)[] | null;
}

export type Column<R> = ScalarColumn<R> | StringListColumn<R> | RecordListColumn<R>;

/** The Delta Lake schema field of a column (schemaString in the table's metaData). */
export function deltaField(c: Column<never>): { name: string; type: unknown; nullable: true; metadata: Record<string, never> } {
  if (c.type === 'list<string>') return { name: c.name, type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true, metadata: {} };
  if (c.type === 'list<record>') {
    const elementType = { type: 'struct', fields: c.fields.map((f) => ({ name: f, type: 'string', nullable: true, metadata: {} })) };
    return { name: c.name, type: { type: 'array', elementType, containsNull: true }, nullable: true, metadata: {} };
  }
  return { name: c.name, type: c.type, nullable: true, metadata: {} };
}
