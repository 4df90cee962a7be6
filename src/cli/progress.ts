// Progress on stderr, stage by stage (generating, run, gold, replay, ...).
// On a terminal the current stage's line is redrawn in place and a finished stage leaves its
// final line; any other message first clears the line, so nothing stale stays on screen.
// In a log (not a terminal) a stage prints a line every few seconds while it runs and always a
// final line when it ends, so a log shows every stage, not only the first ticks.
import type { Io } from './args';
import { seconds } from './format';

export type StatusText = (elapsedS: number) => string;

export interface ProgressOptions {
  quiet: boolean;
  /** Milliseconds between lines: redraws on a terminal, printed lines in a log. */
  everyMs?: { tty: number; log: number };
  now?: () => number;
}

export interface UpdateOptions {
  /** Show this update now, whatever the interval (a caller that already ticks on its own timer). */
  force?: boolean;
  /** The stage's final line (default: its last status). */
  final?: StatusText;
}

const CLEAR_LINE = '\r\x1b[2K';

export class Progress {
  private stage: string | undefined;
  private started = 0;
  private status: StatusText = () => '';
  private final: StatusText | undefined;
  /** When the current stage last showed a line. */
  private shownAt = 0;
  /** Terminal: the text on the screen's last line, not yet ended by a newline. */
  private drawn: string | undefined;
  /** Log: the last line printed, so a final line equal to it is not printed again. */
  private printed: string | undefined;
  /** When the next stage began: when the last one ended, or when this reporter was made. */
  private mark: number;
  private readonly now: () => number;
  private readonly every: number;

  constructor(private readonly io: Io, private readonly opts: ProgressOptions) {
    this.now = opts.now ?? Date.now;
    this.mark = this.now();
    const every = opts.everyMs ?? { tty: 200, log: 5000 };
    this.every = io.isTTY ? every.tty : every.log;
  }

  /** The status of `stage`; a new stage first ends the previous one with its final line. */
  update(stage: string, status: StatusText, opts: UpdateOptions = {}): void {
    if (this.opts.quiet) return;
    const now = this.now();
    if (stage !== this.stage) {
      this.done();
      this.stage = stage;
      // A stage's first report comes after its first piece of work: its time started before.
      this.started = this.mark;
      // A terminal shows a new stage at once; a log waits for the interval (or the final line).
      this.shownAt = this.io.isTTY ? -Infinity : this.started;
      this.printed = undefined;
      this.final = undefined;
    }
    this.status = status;
    if (opts.final) this.final = opts.final;
    if (!opts.force && now - this.shownAt < this.every) return;
    this.shownAt = now;
    this.show(status((now - this.started) / 1000));
  }

  /** A message on a line of its own (a warning, "stopping..."): printed even when quiet, never leaving a stale line. */
  message(text: string): void {
    if (this.io.isTTY && this.drawn !== undefined) {
      this.io.err(`${CLEAR_LINE}${text}\n${this.drawn}`);
      return;
    }
    this.io.err(`${text}\n`);
  }

  /** Terminal: takes the progress line off the screen before other output (it comes back at the next update). */
  clear(): void {
    if (this.io.isTTY && this.drawn !== undefined) {
      this.io.err(CLEAR_LINE);
      this.drawn = undefined;
    }
  }

  /** Ends the current stage with its final line (`final`, else the stage's own final text, else its last status). */
  done(final?: StatusText): void {
    if (this.opts.quiet || this.stage === undefined) return;
    const now = this.now();
    this.mark = now;
    const elapsed = (now - this.started) / 1000;
    const line = (final ?? this.final ?? this.status)(elapsed);
    if (this.io.isTTY) this.io.err(`${CLEAR_LINE}${line}\n`);
    else if (line !== this.printed) this.io.err(`${line}\n`);
    this.stage = undefined;
    this.drawn = undefined;
    this.printed = undefined;
  }

  /** The stage on screen, if any. */
  get current(): string | undefined {
    return this.stage;
  }

  private show(line: string): void {
    if (this.io.isTTY) {
      this.io.err(`${CLEAR_LINE}${line}`);
      this.drawn = line;
    } else if (line !== this.printed) {
      this.io.err(`${line}\n`);
      this.printed = line;
    }
  }
}

export function progressReporter(io: Io, quiet: boolean): Progress {
  return new Progress(io, { quiet });
}

/** The final line of a gold stage. */
export const goldDone: StatusText = (s) => `gold: up to date in ${seconds(s)}`;
