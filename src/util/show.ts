// How a value appears in an error message: JSON-quoted, and cut so that a hostile
// megabyte string does not become a megabyte message.
const LIMIT = 120;

export function show(value: unknown): string {
  let text: string;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > LIMIT ? `${text.slice(0, LIMIT)}…(${text.length} chars)` : text;
}
