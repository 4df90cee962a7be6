// How a value appears in an error message: JSON-like, cut so that a hostile megabyte
// string or a 100,000-deep array becomes a short message, built without serialising more
// than is shown (see jsonPreview).
import { jsonPreview } from './json-text';

const LIMIT = 120;

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const { text, cut } = jsonPreview(value, LIMIT);
  if (!cut) return escapeControls(text);
  return escapeControls(typeof value === 'string' ? `${text}…(${value.length} chars)` : `${text}…(cut)`);
}

// Characters a terminal acts on or that reorder or break the text around them: C0 and C1
// controls (ESC starts a sequence that can clear the screen; U+009B is an 8-bit CSI), DEL,
// bidirectional overrides and isolates, and line and paragraph separators.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character as a \uXXXX escape: safe to print to a terminal or a log line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
