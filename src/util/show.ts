// How a value appears in an error message: JSON-like, cut so that a hostile megabyte
// string or a 100,000-deep array becomes a short message, built without serialising more
// than is shown (see jsonPreview).
import { jsonPreview } from './json-text';

const LIMIT = 120;

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const { text, cut } = jsonPreview(value, LIMIT);
  if (!cut) return text;
  return typeof value === 'string' ? `${text}…(${value.length} chars)` : `${text}…(cut)`;
}
