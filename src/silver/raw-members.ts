// The raw text of the members of a JSON object, as the producer wrote it. `_rescued` keeps
// unknown fields as sent: a value passed through JSON.parse and back loses what a double cannot
// hold (9007199254740993, 1e400) and reorders integer-like keys. The text has already parsed
// as JSON, so this only finds where values start and end; it is iterative, for any depth.

/** A value's text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipWs(text: string, i: number): number {
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

/** From an opening quote to just after its closing quote. */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++; // a backslash escapes the next character
    else if (c === 0x22) return i + 1;
  }
  throw new Error(`expected a closing quote in the JSON text, got its end at ${i}`);
}

/** From a value's first character to just after it. */
export function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    while (i < text.length && !isWs(text.charCodeAt(i)) && !',}]'.includes(text[i]!)) i++;
    return i;
  }
  const start = i;
  let depth = 0;
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 0x22) i = skipString(text, i) - 1;
    else if (d === 0x7b || d === 0x5b) depth++;
    else if (d === 0x7d || d === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`expected the end of a JSON ${c === 0x7b ? 'object' : 'array'} that starts at ${start}, got the end of the text`);
}

/** The members of the object whose `{` is at `start` (after whitespace), in the order written; a repeated key keeps its last value, as JSON.parse does. */
export function objectMembers(text: string, start: number): Map<string, Span> {
  const out = new Map<string, Span>();
  let i = skipWs(text, start);
  if (text[i] !== '{') return out;
  i = skipWs(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd) + 1; // the colon
    const valueStart = skipWs(text, i);
    const valueEnd = skipValue(text, valueStart);
    out.set(key, { start: valueStart, end: valueEnd });
    i = skipWs(text, valueEnd);
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return out;
}

/** The elements of the array whose `[` is at `start` (after whitespace). */
export function arrayElements(text: string, start: number): Span[] {
  const out: Span[] = [];
  let i = skipWs(text, start);
  if (text[i] !== '[') return out;
  i = skipWs(text, i + 1);
  while (i < text.length && text[i] !== ']') {
    const end = skipValue(text, i);
    out.push({ start: i, end });
    i = skipWs(text, end);
    if (text[i] === ',') i = skipWs(text, i + 1);
  }
  return out;
}

/** Every object key of a JSON text, at any depth, in order: in JSON a string followed by a colon is a key. */
export function* jsonKeys(text: string): Generator<string> {
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i)) {
    const end = skipString(text, i);
    if (text[skipWs(text, end)] === ':') yield JSON.parse(text.slice(i, end)) as string;
    i = end;
  }
}
