// A memory size as the user writes it (256MB, 1GB), checked before it reaches DuckDB, whose
// own error would not say which setting or option held it.

/** The smallest size accepted: below it DuckDB spills almost every operator of a gold run. */
export const MIN_MEMORY_MB = 64;

/** `raw` as DuckDB's memory_limit (whole MB or GB, at least MIN_MEMORY_MB); throws naming `what` otherwise. */
export function memorySize(raw: string, what: string): string {
  const m = /^\s*(\d+)\s*(MB|GB)\s*$/i.exec(raw);
  // DuckDB counts 1GB as 1000MB (10^9 bytes).
  const mb = m ? Number(m[1]) * (m[2]!.toUpperCase() === 'GB' ? 1000 : 1) : NaN;
  if (!m || !Number.isSafeInteger(mb) || mb < MIN_MEMORY_MB) {
    throw new Error(`expected ${what} to be a whole number of MB or GB, at least ${MIN_MEMORY_MB}MB, such as 256MB or 1GB, got ${JSON.stringify(raw)}`);
  }
  return `${Number(m[1])}${m[2]!.toUpperCase()}`;
}
