/**
 * The progress line of long `explore` and `matrix` runs: runs done of the budget, runs per second, findings so far
 * (and for the matrix the cell being scanned), redrawn in place on stderr. The command line is outside the
 * simulation, so it may read the real clock; it reads it only between runs, never inside one.
 */

/** What a progress line shows. */
export interface ProgressSnapshot {
  readonly runsDone: number;
  /** Runs at most (the search may stop earlier, at a finding). */
  readonly budget: number;
  readonly findings: number;
  /** What is being searched right now, e.g. the matrix cell. */
  readonly label?: string;
  /** Figures of the search shown at the end of the line, e.g. its coverage. */
  readonly detail?: string;
}

/** The stream the line is drawn on (stderr); `columns` bounds its width. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Redraws at most this often, in real milliseconds. */
export const PROGRESS_REDRAW_INTERVAL_MS = 100;
/** Width assumed when the terminal does not say (or says 0, as a bare pseudo-terminal does). */
const DEFAULT_COLUMNS = 80;
/** Carriage return, then erase to the end of the line. */
const CLEAR_LINE = '\r\x1b[K';

/** Draws nothing: what a command gets when progress is off. */
export interface ProgressDisplay {
  update(snapshot: ProgressSnapshot): void;
  /** Erases the line (if anything was drawn). */
  finish(): void;
}

const SILENT: ProgressDisplay = { update: () => {}, finish: () => {} };

/**
 * Whether to draw progress: only on a terminal, never with `--json` or `--no-progress`, and never in CI (`CI` set),
 * where a log would fill with carriage returns.
 */
export function progressWanted(options: { readonly json: boolean; readonly noProgress: boolean; readonly stream: ProgressStream; readonly env: NodeJS.ProcessEnv }): boolean {
  const ci = options.env['CI'];
  return options.stream.isTTY === true && !options.json && !options.noProgress && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

/** One line: `label  123/500 runs  41.2 runs/s  1 finding`. */
export function formatProgress(snapshot: ProgressSnapshot, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (snapshot.runsDone * 1000) / elapsedMs : 0;
  const parts = [
    ...(snapshot.label ? [snapshot.label] : []),
    `${snapshot.runsDone}/${snapshot.budget} runs`,
    `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} runs/s`,
    `${snapshot.findings} finding${snapshot.findings === 1 ? '' : 's'}`,
    ...(snapshot.detail ? [snapshot.detail] : []),
  ];
  return parts.join('  ');
}

/**
 * A progress line on `stream`, throttled to one redraw per `intervalMs` of `clock` (the first update draws at once),
 * cut to the terminal's width so it never wraps (a wrapped line cannot be redrawn in place).
 */
export class ProgressLine implements ProgressDisplay {
  private readonly startedMs: number;
  private lastDrawMs: number | undefined;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = realClock,
    private readonly intervalMs: number = PROGRESS_REDRAW_INTERVAL_MS,
  ) {
    this.startedMs = clock();
  }

  update(snapshot: ProgressSnapshot): void {
    const now = this.clock();
    if (this.lastDrawMs !== undefined && now - this.lastDrawMs < this.intervalMs) return;
    this.lastDrawMs = now;
    const width = Math.max(10, (this.stream.columns || DEFAULT_COLUMNS) - 1);
    this.stream.write(`${CLEAR_LINE}${formatProgress(snapshot, now - this.startedMs).slice(0, width)}`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write(CLEAR_LINE);
    this.drawn = false;
  }
}

/** A progress line when {@link progressWanted}, else a display that draws nothing. */
export function openProgress(options: { readonly json: boolean; readonly noProgress: boolean; readonly stream?: ProgressStream; readonly env?: NodeJS.ProcessEnv }): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  return progressWanted({ json: options.json, noProgress: options.noProgress, stream, env: options.env ?? process.env }) ? new ProgressLine(stream) : SILENT;
}

// Captured when the CLI loads, before any simulated run could stand in for the global clock.
const realPerformance = performance;
const realNow = realPerformance.now.bind(realPerformance);
function realClock(): number {
  return realNow();
}
