// The lines of a file's bytes, each decoded alone: a file read back whole (a bronze batch of
// large bodies) may hold more text than one JavaScript string can (2^29 - 24 characters in V8),
// while each of its lines fits.

/** Each line of `bytes` (split at LF) as text, with its 1-based number; empty lines are skipped. */
export function* utf8Lines(bytes: Buffer): Generator<{ text: string; line: number }> {
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    let nl = bytes.indexOf(10, start);
    if (nl < 0) nl = bytes.length;
    line++;
    if (nl > start) yield { text: bytes.toString('utf8', start, nl), line };
    start = nl + 1;
  }
}
