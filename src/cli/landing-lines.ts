// The lines of a landing file, read as `orderlake run` reads them, streamed (any size): a line
// ends at LF, a CR before it is not part of the body, a line of only spaces, tabs and CRs is
// blank (not an event), bytes that are not UTF-8 are kept as base64 (silver calls them
// malformed_json), and a last line without its newline is read. Line numbers count every line.
import { isUtf8 } from 'node:buffer';

export interface LandingLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  number: number;
  /** Byte offset of the line's start in the file. */
  offset: number;
  /** The body as text; undefined when the bytes are not UTF-8. */
  body: string | undefined;
  base64?: string;
}

export interface LineBlock {
  lines: LandingLine[];
  /** Blank lines in this block (skipped). */
  blank: number;
}

function isBlank(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Blocks of lines from a stream of bytes, one block per chunk read. */
export async function* landingLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<LineBlock> {
  let number = 0;
  let offset = 0;
  /** Bytes of an unfinished line, kept as a list so that a very long line is joined once, not once per chunk. */
  let pending: Buffer[] = [];
  const split = (data: Buffer, last: boolean): LineBlock => {
    const block: LineBlock = { lines: [], blank: 0 };
    const valid = isUtf8(data);
    let start = 0;
    while (start < data.length) {
      let nl = data.indexOf(10, start);
      if (nl < 0) {
        if (!last) break;
        nl = data.length;
      }
      const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      number++;
      if (isBlank(data, start, end)) block.blank++;
      else if (valid || isUtf8(data.subarray(start, end))) block.lines.push({ number, offset: offset + start, body: data.toString('utf8', start, end) });
      else block.lines.push({ number, offset: offset + start, body: undefined, base64: data.toString('base64', start, end) });
      start = nl + 1;
    }
    offset += data.length;
    return block;
  };
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const lastNl = bytes.lastIndexOf(10);
    if (lastNl < 0) {
      pending.push(Buffer.from(bytes));
      continue;
    }
    const head = bytes.subarray(0, lastNl + 1);
    const data = pending.length ? Buffer.concat([...pending, head]) : head;
    pending = lastNl + 1 < bytes.length ? [Buffer.from(bytes.subarray(lastNl + 1))] : [];
    yield split(data, false);
  }
  if (pending.length) yield split(Buffer.concat(pending), true);
}
