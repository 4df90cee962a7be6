// `orderlake validate`'s core: each line of a landing file through silver's own decision
// (decide, the same code a run uses), plus dedup across the file's lines, counted as silver
// counts them. No lake, no state: nothing is written.
import { decide, resolveDuplicates, countDecisions, addCounts, emptyCounts, DUPLICATE_CODE, type BatchCounts, type Decision } from '../silver/refine';
import { inspect } from '../silver/inspect';
import { RECORD_RULES } from '../silver/rules';
import { UuidOwnerIndex } from '../adapters/local/uuid-owner-index';
import type { SourceEvent } from '../pipeline/types';
import type { LineBlock } from '../adapters/local/landing-lines';

/** What would happen to a line, when it is not "silver as it is". */
export type Outcome = 'quarantine' | 'drop' | 'duplicate' | 'warn';

export interface Finding {
  line: number;
  outcome: Outcome;
  codes: string[];
  errors: Array<{ code: string; message: string }>;
  /** For a duplicate: the line that holds the first event with this event_id. */
  first_line?: number;
}

export interface ValidateSummary extends BatchCounts {
  /** Blank lines (not events, as in a run). */
  blank: number;
}

/** The one partition of a file: a position is `file:<line number>`, so an owner names its line. */
const PARTITION = 'file';

export interface ValidateOptions {
  /** The file's name, for the records' bronze_file (nothing is written). */
  file: string;
  /** The ingestion time the time rules compare with (future_event_time), ISO-8601. */
  ingestedAt: string;
  onFinding: (f: Finding) => void;
  onBlock?: (summary: ValidateSummary) => void;
}

export async function validateLines(blocks: AsyncIterable<LineBlock>, opts: ValidateOptions): Promise<ValidateSummary> {
  const summary: ValidateSummary = { ...emptyCounts(), blank: 0 };
  // event_id -> the position that would hold it in silver: compact, for files of millions of lines.
  const firstSeen = new UuidOwnerIndex(1 << 12);
  const ingestionMs = Date.parse(opts.ingestedAt);
  for await (const block of blocks) {
    summary.blank += block.blank;
    for (const l of block.lines) {
      if (l.blank) continue;
      const event: SourceEvent = { partition: PARTITION, offset: String(l.offset), sequenceNumber: l.number, enqueuedTime: opts.ingestedAt, body: l.body };
      if (l.base64 !== undefined) event.bodyBase64 = l.base64;
      let d: Decision = decide(event, opts.file);
      if (d.kind === 'silver') {
        let owner = firstSeen.get(d.eventId);
        if (owner === undefined) firstSeen.set(d.eventId, (owner = d.position));
        d = resolveDuplicates([d], new Map([[d.eventId, owner]]))[0]!;
      }
      addCounts(summary, countDecisions([d]));
      const finding = findingOf(d, l.number, l.body, ingestionMs);
      if (finding) opts.onFinding(finding);
    }
    opts.onBlock?.(summary);
  }
  return summary;
}

function findingOf(d: Decision, line: number, body: string | undefined, ingestionMs: number): Finding | undefined {
  switch (d.kind) {
    case 'quarantine':
      return { line, outcome: 'quarantine', codes: d.codes, errors: d.record.errors };
    case 'duplicate': {
      const first = Number(d.ownedBy.slice(PARTITION.length + 1));
      return {
        line, outcome: 'duplicate', codes: d.codes, first_line: first,
        errors: [{ code: DUPLICATE_CODE, message: `event_id ${d.eventId} was first seen on line ${first}; a duplicate is dropped and counted, not quarantined` }],
      };
    }
    case 'drop':
      return { line, outcome: 'drop', codes: d.codes, errors: messages(body, ingestionMs, d.codes) };
    case 'silver':
      return d.codes.length ? { line, outcome: 'warn', codes: d.codes, errors: messages(body, ingestionMs, d.codes) } : undefined;
  }
}

/** Messages of the codes a decision names (silver keeps them only for quarantine): the same rules, run again on the same body. */
function messages(body: string | undefined, ingestionMs: number, codes: readonly string[]): Array<{ code: string; message: string }> {
  const r = inspect(body, ingestionMs);
  return RECORD_RULES.filter((rule) => codes.includes(rule.code)).map((rule) => ({ code: rule.code, message: rule.check(r) ?? '' }));
}
