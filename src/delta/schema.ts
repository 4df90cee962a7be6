// The table schema: PROTOCOL.md §Schema Serialization Format, and the Delta type of each
// DuckDB column type as DuckDB writes it to Parquet (the data file types must match the schema,
// P §Consistency Between Table Metadata and Data Files).

export interface DeltaArrayType {
  type: 'array';
  elementType: DeltaType;
  containsNull: boolean;
}

export interface DeltaMapType {
  type: 'map';
  keyType: DeltaType;
  valueType: DeltaType;
  valueContainsNull: boolean;
}

export interface DeltaStructType {
  type: 'struct';
  fields: DeltaField[];
}

/** A primitive type name (string, long, integer, short, byte, double, float, boolean, date, timestamp, binary, decimal(p,s)) or a nested type. */
export type DeltaType = string | DeltaArrayType | DeltaMapType | DeltaStructType;

export interface DeltaField {
  name: string;
  type: DeltaType;
  /** Default true: `false` is a promise every writer must keep. */
  nullable?: boolean;
  metadata?: Record<string, unknown>;
}

const PRIMITIVES = new Set(['string', 'long', 'integer', 'short', 'byte', 'double', 'float', 'boolean', 'date', 'timestamp', 'binary']);

/** `array<elementType>`, e.g. arrayOf('string') for array<string>. */
export function arrayOf(elementType: DeltaType, containsNull = true): DeltaArrayType {
  return { type: 'array', elementType, containsNull };
}

/** Precision and scale of a decimal(p,s) type; undefined for other types. */
export function decimalType(t: DeltaType): { precision: number; scale: number } | undefined {
  const m = typeof t === 'string' ? /^decimal\((\d+),(\d+)\)$/.exec(t) : null;
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

function checkType(t: DeltaType, where: string): void {
  if (typeof t === 'string') {
    const dec = decimalType(t);
    if (dec) {
      if (dec.precision < 1 || dec.precision > 38 || dec.scale > dec.precision) throw new Error(`${where}: expected decimal(p,s) with 1 <= p <= 38 and s <= p, got ${t}`);
    } else if (!PRIMITIVES.has(t)) {
      throw new Error(`${where}: expected a Delta type (${[...PRIMITIVES].join(', ')}, decimal(p,s), array, map, struct), got ${JSON.stringify(t)}`);
    }
    return;
  }
  if (t.type === 'array') return checkType(t.elementType, `${where}[]`);
  if (t.type === 'map') {
    checkType(t.keyType, `${where}.key`);
    return checkType(t.valueType, `${where}.value`);
  }
  if (t.type === 'struct') return checkFields(t.fields, where);
  throw new Error(`${where}: expected a Delta type, got ${JSON.stringify(t)}`);
}

function checkFields(fields: readonly DeltaField[], where: string): void {
  const seen = new Set<string>();
  for (const f of fields) {
    if (typeof f.name !== 'string' || f.name === '') throw new Error(`${where}: expected a non-empty field name, got ${JSON.stringify(f.name)}`);
    const lower = f.name.toLowerCase();
    if (seen.has(lower)) throw new Error(`${where}: expected column names unique ignoring case, got ${JSON.stringify(f.name)} twice`);
    seen.add(lower);
    checkType(f.type, where ? `${where}.${f.name}` : f.name);
  }
}

/** Throws when fields are not a valid Delta schema (unknown types, names equal ignoring case). */
export function validateSchema(fields: readonly DeltaField[]): void {
  checkFields(fields, '');
}

function typeJson(t: DeltaType): unknown {
  if (typeof t === 'string') return t;
  if (t.type === 'array') return { type: 'array', elementType: typeJson(t.elementType), containsNull: t.containsNull };
  if (t.type === 'map') return { type: 'map', keyType: typeJson(t.keyType), valueType: typeJson(t.valueType), valueContainsNull: t.valueContainsNull };
  return { type: 'struct', fields: t.fields.map(fieldJson) };
}

function fieldJson(f: DeltaField): unknown {
  return { name: f.name, type: typeJson(f.type), nullable: f.nullable ?? true, metadata: f.metadata ?? {} };
}

/** metaData.schemaString of a list of fields. */
export function schemaString(fields: readonly DeltaField[]): string {
  validateSchema(fields);
  return JSON.stringify({ type: 'struct', fields: fields.map(fieldJson) });
}

function parseType(t: unknown, where: string): DeltaType {
  if (typeof t === 'string') return t;
  const o = t as Record<string, unknown> | null;
  if (o && o['type'] === 'array') return { type: 'array', elementType: parseType(o['elementType'], `${where}[]`), containsNull: o['containsNull'] !== false };
  if (o && o['type'] === 'map') {
    return { type: 'map', keyType: parseType(o['keyType'], `${where}.key`), valueType: parseType(o['valueType'], `${where}.value`), valueContainsNull: o['valueContainsNull'] !== false };
  }
  if (o && o['type'] === 'struct' && Array.isArray(o['fields'])) return { type: 'struct', fields: parseFields(o['fields'], where) };
  throw new Error(`${where}: expected a Delta type, got ${JSON.stringify(t)}`);
}

function parseFields(fields: unknown[], where: string): DeltaField[] {
  return fields.map((raw) => {
    const f = raw as Record<string, unknown>;
    if (typeof f['name'] !== 'string') throw new Error(`${where}: expected a field with a name, got ${JSON.stringify(raw)}`);
    return { name: f['name'], type: parseType(f['type'], `${where}.${f['name']}`), nullable: f['nullable'] !== false, metadata: (f['metadata'] as Record<string, unknown> | undefined) ?? {} };
  });
}

/** The fields of a metaData.schemaString. */
export function parseSchemaString(text: string, where = 'schemaString'): DeltaField[] {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: expected JSON, got ${JSON.stringify(text.slice(0, 80))} (${(e as Error).message})`);
  }
  const root = o as Record<string, unknown> | null;
  if (!root || root['type'] !== 'struct' || !Array.isArray(root['fields'])) throw new Error(`${where}: expected {"type":"struct","fields":[...]}, got ${text.slice(0, 80)}`);
  return parseFields(root['fields'], where);
}

/** Splits "a, b(c, d), e" at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

// DuckDB types whose Parquet encoding has no Delta equivalent at reader 1 / writer 2, with the
// cast that fixes each (what DuckDB 1.5 writes, checked with parquet_schema).
const UNWRITABLE: Record<string, string> = {
  HUGEINT: 'is written as a Parquet DOUBLE; cast it to BIGINT or DECIMAL(38,0)',
  UHUGEINT: 'is written as a Parquet DOUBLE; cast it to BIGINT or DECIMAL(38,0)',
  UBIGINT: 'is written as an unsigned INT64; cast it to BIGINT or DECIMAL(20,0)',
  UINTEGER: 'is written as an unsigned INT32; cast it to BIGINT',
  USMALLINT: 'is written as an unsigned INT32; cast it to INTEGER',
  UTINYINT: 'is written as an unsigned INT32; cast it to SMALLINT',
  TIMESTAMP: 'is written with isAdjustedToUTC=false (timestamp_ntz, a reader 3 / writer 7 feature); cast it to TIMESTAMPTZ',
  TIMESTAMP_S: 'is a timestamp without time zone; cast it to TIMESTAMPTZ',
  TIMESTAMP_MS: 'is a timestamp without time zone; cast it to TIMESTAMPTZ',
  TIMESTAMP_NS: 'is a timestamp without time zone; cast it to TIMESTAMPTZ',
  UUID: 'is written as a FIXED_LEN_BYTE_ARRAY UUID; cast it to VARCHAR',
  TIME: 'has no Delta type; cast it to VARCHAR',
  INTERVAL: 'has no Delta type; cast it to VARCHAR or a number',
};

const SIMPLE: Record<string, string> = {
  BIGINT: 'long',
  INT8: 'long',
  LONG: 'long',
  INTEGER: 'integer',
  INT4: 'integer',
  INT: 'integer',
  SMALLINT: 'short',
  INT2: 'short',
  TINYINT: 'byte',
  INT1: 'byte',
  DOUBLE: 'double',
  FLOAT8: 'double',
  FLOAT: 'float',
  FLOAT4: 'float',
  REAL: 'float',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  VARCHAR: 'string',
  TEXT: 'string',
  STRING: 'string',
  DATE: 'date',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  TIMESTAMPTZ: 'timestamp',
  BLOB: 'binary',
  BYTEA: 'binary',
};

/**
 * The Delta type of a DuckDB column type (as DESCRIBE prints it) that matches the Parquet type
 * DuckDB writes for it: SMALLINT is INT32/INT_16 (short), FLOAT is FLOAT (float), not wider.
 * Throws for the types DuckDB writes as something Delta cannot declare (HUGEINT, unsigned, plain
 * TIMESTAMP, UUID ...), naming the cast to use before COPY.
 */
export function deltaTypeOfDuckDb(duckType: string): DeltaType {
  const t = duckType.trim();
  const upper = t.toUpperCase();
  if (upper.endsWith('[]')) return arrayOf(deltaTypeOfDuckDb(t.slice(0, -2)));
  if (/^[A-Z0-9_ ]+\[\d+\]$/.test(upper)) throw new Error(`expected a DuckDB type with a Delta equivalent, got ${duckType} (a fixed-size ARRAY; cast it to a LIST, e.g. VARCHAR[])`);
  const simple = SIMPLE[upper];
  if (simple) return simple;
  const dec = /^(?:DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)$/.exec(upper);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  if (upper === 'DECIMAL' || upper === 'NUMERIC') return 'decimal(18,3)'; // DuckDB's default width
  const struct = /^STRUCT\((.*)\)$/s.exec(t);
  if (struct) {
    return {
      type: 'struct',
      fields: splitTopLevel(struct[1]!).map((part) => {
        const m = /^("(?:[^"]|"")*"|\S+)\s+(.+)$/s.exec(part);
        if (!m) throw new Error(`expected a DuckDB STRUCT field "<name> <type>", got ${JSON.stringify(part)} in ${duckType}`);
        const name = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!;
        return { name, type: deltaTypeOfDuckDb(m[2]!), nullable: true, metadata: {} };
      }),
    };
  }
  const map = /^MAP\((.*)\)$/s.exec(t);
  if (map) {
    const [k, v, ...rest] = splitTopLevel(map[1]!);
    if (!k || !v || rest.length) throw new Error(`expected MAP(<key>, <value>), got ${duckType}`);
    return { type: 'map', keyType: deltaTypeOfDuckDb(k), valueType: deltaTypeOfDuckDb(v), valueContainsNull: true };
  }
  const why = UNWRITABLE[upper];
  throw new Error(`expected a DuckDB type with a Delta equivalent, got ${duckType}${why ? ` (it ${why})` : ''}`);
}
