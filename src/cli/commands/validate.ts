import { createReadStream, promises as fs } from 'node:fs';
import { BATCH_RULES } from '../../silver/rules';
import { QUIET_OPTION, UsageError, type Command } from '../args';
import { landingLines, MAX_LINE_BYTES, type LineBlock } from '../../adapters/local/landing-lines';
import { validateLines, type Finding, type ValidateSummary } from '../validate-events';
import { count, rate } from '../format';
import { progressReporter } from '../progress';

const OUTCOME_WORDS: Record<Finding['outcome'], string> = {
  quarantine: 'quarantined',
  drop: 'dropped',
  duplicate: 'duplicate (dropped and counted, not quarantined)',
  warn: 'kept in silver with warnings',
};

export const validateCommand: Command = {
  name: 'validate',
  summary: "check a landing file against the contract with silver's own rules: each line's codes and a summary; no lake needed",
  usage: 'orderlake validate <file.jsonl | -> [--json] [--ingested-at <timestamp>]',
  options: {
    json: { type: 'boolean', description: 'JSON lines: one per line with a code ({"line", "outcome", "codes", "errors"}), then {"summary": ...}' },
    'ingested-at': { type: 'string', value: 'time', description: 'the ingestion time that future_event_time compares with, ISO-8601 (default: now)' },
    quiet: QUIET_OPTION,
  },
  examples: ['orderlake validate landing/orders.jsonl', 'my-producer | orderlake validate - --json | tail -1'],
  async run(values, positionals, io) {
    const file = positionals[0];
    if (file === undefined) throw new UsageError("missing the file to check (or - for standard input) (see 'orderlake validate --help')");
    const at = values['ingested-at'] as string | undefined;
    if (at !== undefined && (Number.isNaN(Date.parse(at)) || !/^\d{4}-\d{2}-\d{2}/.test(at))) throw new UsageError(`expected --ingested-at to be an ISO-8601 timestamp, got ${JSON.stringify(at)}`);
    const ingestedAt = new Date(at ?? Date.now()).toISOString();
    const json = Boolean(values['json']);
    const progress = progressReporter(io, Boolean(values['quiet']));
    let out: string[] = [];
    const flush = () => {
      if (!out.length) return;
      progress.clear(); // a finding starts on a clean line, never after a progress line
      io.out(out.join(''));
      out = [];
    };
    if (file !== '-' && (await fs.stat(file).catch(() => undefined))?.isDirectory()) {
      throw new UsageError(`${file} is a folder: validate takes one file (or - for standard input)`);
    }
    const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
    const lines = landingLines(input);
    // A line too long to be an event goes on cut (silver's code quarantines it); say so plainly.
    async function* sayCut(): AsyncGenerator<LineBlock> {
      for await (const block of lines) {
        for (const l of block.lines) if (l.cut) io.err(`warning: line ${l.number} is ${count(l.bytes)} bytes, over the ${count(MAX_LINE_BYTES)} an event may hold: its first ${count(MAX_LINE_BYTES)} bytes are checked, as a run would quarantine them\n`);
        yield block;
      }
    }
    const summary = await validateLines(sayCut(), {
      file: file === '-' ? '<stdin>' : file,
      ingestedAt,
      onFinding: (f) => out.push(json ? `${JSON.stringify(f)}\n` : findingText(f)),
      onBlock: (s) => {
        flush();
        progress.update('validate', (t) => `validate: ${count(s.received)} events (${rate(s.received, t)}), ${count(s.quarantined)} would be quarantined`);
      },
    });
    flush();
    progress.done();
    io.out(json ? `${JSON.stringify({ summary: summaryJson(file, summary) })}\n` : summaryText(file, summary));
    return summary.quarantined ? 1 : 0;
  },
};

function findingText(f: Finding): string {
  return `line ${f.line}: ${OUTCOME_WORDS[f.outcome]}\n${f.errors.map((e) => `  ${e.code}: ${e.message}\n`).join('')}`;
}

function summaryJson(file: string, s: ValidateSummary) {
  return {
    file, events: s.received, ok: s.written - s.warned, warned: s.warned, quarantined: s.quarantined,
    dropped: s.dropped, duplicates: s.duplicates, malformed: s.malformed, blank_lines: s.blank, codes: sortedCodes(s.codes),
  };
}

function sortedCodes(codes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(codes).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

function summaryText(file: string, s: ValidateSummary): string {
  const row = (name: string, n: number, note: string) => `  ${name.padEnd(12)}${count(n).padStart(10)}  ${note}\n`;
  let text = `${file}: ${count(s.received)} events${s.blank ? ` (${count(s.blank)} blank line(s) skipped)` : ''}\n`;
  text += row('ok', s.written - s.warned, 'would go to silver');
  text += row('warned', s.warned, 'would go to silver, with their codes in dq_warnings');
  text += row('quarantined', s.quarantined, `would go to quarantine (${count(s.malformed)} malformed JSON)`);
  text += row('dropped', s.dropped, 'would be dropped and counted (test traffic)');
  text += row('duplicates', s.duplicates, 'repeat an event_id seen earlier in the file: dropped and counted, not quarantined');
  const codes = Object.entries(sortedCodes(s.codes));
  if (codes.length) text += `by code:\n${codes.map(([c, n]) => `  ${c.padEnd(28)}${count(n).padStart(10)}\n`).join('')}`;
  for (const rule of BATCH_RULES) {
    const m = rule.check({ records: s.received, quarantined: s.quarantined });
    if (m) text += `note: taken as one batch, this file would stop at the ${rule.action} rule ${m}; a run applies it to each batch (one partition, up to --batch-size events)\n`;
  }
  text += s.quarantined ? `${count(s.quarantined)} of ${count(s.received)} events would be quarantined\n` : 'no event would be quarantined\n';
  return text;
}
