// The lines of a landing file, as `orderlake run` and `orderlake validate` both read them,
// streamed (any size): a line ends at LF, a CR before it is not part of the body, a line of
// only spaces, tabs and CRs is blank (not an event), bytes that are not UTF-8 are kept as
// base64 (silver calls them malformed_json), and a UTF-8 byte order mark at the file's start
// is not part of the first body. Line numbers count every line.
import { isUtf8 } from 'node:buffer';

/**
 * The bytes a landing line may hold as an event: Event Hubs carries 1 MB (20 MB on Premium),
 * and one JavaScript string holds 2^29 - 24 characters, which bronze's escaped copy of a
 * longer body could pass. A longer line goes on cut to its first bytes (`cut`): silver
 * quarantines it as malformed_json, so it is seen, and the run goes on.
 */
export const MAX_LINE_BYTES = 64 << 20;

export interface LandingLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  number: number;
  /** Byte offset of the line's start in the file. */
  offset: number;
  /** Byte offset just past its newline (or the file's end): where reading goes on. */
  end: number;
  /** Bytes of the body (without CR, LF or a byte order mark), also when it was cut. */
  bytes: number;
  /** A line of only spaces, tabs and CRs: not an event. */
  blank: boolean;
  /** The body as text; undefined when the bytes are not UTF-8 (or the line is blank). */
  body: string | undefined;
  base64?: string;
  /** Set when the line was longer than the limit: its body is the first `maxLineBytes` bytes. */
  cut?: true;
}

export interface LineBlock {
  /** Every line read, blank ones included (flagged). */
  lines: LandingLine[];
  /** Blank lines in this block. */
  blank: number;
}

export interface LineOptions {
  /** Byte offset of the first chunk in the file (0: the file's start, where a byte order mark is dropped). */
  from?: number;
  /** Read a last line without its newline (false while a writer may still be writing it). */
  last?: boolean;
  maxLineBytes?: number;
}

function isBlank(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

const hasBom = (data: Buffer, at: number) => data[at] === 0xef && data[at + 1] === 0xbb && data[at + 2] === 0xbf;

/** Blocks of lines from a stream of bytes, one block per chunk that ends a line. */
export async function* landingLines(chunks: AsyncIterable<Buffer | string>, opts: LineOptions = {}): AsyncGenerator<LineBlock> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const takeLast = opts.last ?? true;
  let number = 0;
  let offset = opts.from ?? 0;
  // An unfinished line: its first bytes (room for `max` and a CRLF), kept as a list so a long
  // line is joined once, not once per chunk; how many bytes it has in all, and its last byte.
  const room = max + 2;
  let pending: Buffer[] = [];
  let kept = 0;
  let pendingBytes = 0;
  let lastByte = -1;

  // Most chunks are valid UTF-8 as a whole: one check per chunk, not one per line.
  let chunkValid = false;
  const lineOf = (data: Buffer, start: number, nl: number, lineBytes: number): LandingLine => {
    const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
    const from = Math.min(end, start + (offset === 0 && start === 0 && hasBom(data, 0) ? 3 : 0));
    const line: LandingLine = { number: ++number, offset, end: offset + lineBytes, bytes: end - from, blank: isBlank(data, from, end), body: undefined };
    if (!line.blank) {
      const text = data.subarray(from, end);
      if (chunkValid || isUtf8(text)) line.body = text.toString('utf8');
      else line.base64 = text.toString('base64');
    }
    return line;
  };
  const push = (block: LineBlock, l: LandingLine): void => {
    block.lines.push(l);
    if (l.blank) block.blank++;
    offset = l.end;
  };
  /** The pending line, ended by `tail` (its bytes up to and with the newline; empty at the end of input). */
  const finishPending = (tail: Buffer, block: LineBlock): void => {
    chunkValid = false;
    const total = pendingBytes + tail.length;
    const data = Buffer.concat([...pending, tail.subarray(0, Math.max(0, room - kept))]);
    const hasNl = tail.length > 0 && tail[tail.length - 1] === 10;
    const cr = hasNl && (tail.length > 1 ? tail[tail.length - 2] : lastByte) === 13;
    const body = total - (hasNl ? 1 : 0) - (cr ? 1 : 0);
    if (body <= max) push(block, lineOf(data, 0, hasNl ? data.length - 1 : data.length, total));
    else {
      // Cut to its first `max` bytes; its length and end stay the line's own. Never blank: its
      // bytes past the cut are unknown here.
      const l = lineOf(data.subarray(0, max), 0, max, total);
      if (l.blank) Object.assign(l, { blank: false, body: data.toString('utf8', 0, max) });
      push(block, { ...l, bytes: body - (offset === 0 && hasBom(data, 0) ? 3 : 0), cut: true });
    }
    pending = [];
    kept = 0;
    pendingBytes = 0;
    lastByte = -1;
  };
  const hold = (bytes: Buffer): void => {
    if (!bytes.length) return;
    if (kept < room) {
      const part = Buffer.from(bytes.subarray(0, room - kept));
      pending.push(part);
      kept += part.length;
    }
    pendingBytes += bytes.length;
    lastByte = bytes[bytes.length - 1]!;
  };

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const firstNl = bytes.indexOf(10);
    if (firstNl < 0) {
      hold(bytes);
      continue;
    }
    const block: LineBlock = { lines: [], blank: 0 };
    let start = 0;
    if (pendingBytes) {
      finishPending(bytes.subarray(0, firstNl + 1), block);
      start = firstNl + 1;
    }
    let nl = bytes.indexOf(10, start);
    chunkValid = isUtf8(bytes);
    while (nl >= 0) {
      if ((nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl) - start > max) {
        hold(bytes.subarray(start, nl));
        finishPending(bytes.subarray(nl, nl + 1), block);
      } else push(block, lineOf(bytes, start, nl, nl + 1 - start));
      start = nl + 1;
      nl = bytes.indexOf(10, start);
    }
    if (start < bytes.length) hold(bytes.subarray(start));
    yield block;
  }
  if (pendingBytes && takeLast) {
    const block: LineBlock = { lines: [], blank: 0 };
    finishPending(Buffer.alloc(0), block);
    yield block;
  }
}
