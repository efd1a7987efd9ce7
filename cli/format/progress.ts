/**
 * The progress line of long `explore`, `matrix` and `start` runs: the phase (exploring: runs done of the budget, runs
 * per second, findings so far; shrinking: candidate runs tried of the budget, the best story so far), what is being
 * searched (the matrix cell, say) and the time left at most, redrawn in place on stderr. The command line is outside
 * the simulation, so it may read the real clock; it reads it only between runs, never inside one.
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
  /** Set while a finding is shrunk: the line then shows the shrink instead of the runs. */
  readonly shrinking?: ShrinkSnapshot;
}

/** A shrink in progress: candidate runs tried of the budget, and the smallest failing story so far. */
export interface ShrinkSnapshot {
  readonly tried: number;
  readonly budget: number;
  readonly bestChoices: number;
  readonly bestSteps: number;
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

/**
 * The parts of one line, most important first: `label`, the phase with its counts, the rate or the best story, and
 * the time left at most (`phaseElapsedMs` is the real time since the phase began). Shrinking: steps 0 means not
 * known yet (no smaller failing story so far).
 */
export function progressParts(snapshot: ProgressSnapshot, phaseElapsedMs: number): string[] {
  const label = snapshot.label ? [snapshot.label] : [];
  const { shrinking } = snapshot;
  if (shrinking) {
    return [
      ...label,
      `shrinking: ${shrinking.tried}/${shrinking.budget} tried`,
      `best so far: ${shrinking.bestChoices} choices${shrinking.bestSteps > 0 ? `, ${shrinking.bestSteps} steps` : ''}`,
      ...timeLeft(shrinking.tried, shrinking.budget, phaseElapsedMs),
    ];
  }
  const rate = phaseElapsedMs > 0 ? (snapshot.runsDone * 1000) / phaseElapsedMs : 0;
  return [
    ...label,
    `exploring: ${snapshot.runsDone}/${snapshot.budget} runs`,
    `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} runs/s`,
    `${snapshot.findings} finding${snapshot.findings === 1 ? '' : 's'}`,
    ...timeLeft(snapshot.runsDone, snapshot.budget, phaseElapsedMs),
    ...(snapshot.detail ? [snapshot.detail] : []),
  ];
}

/** `≤ 1:05 left` (the work may end sooner), from the pace so far; nothing before the first unit of work is done. */
function timeLeft(done: number, budget: number, elapsedMs: number): string[] {
  if (done <= 0 || elapsedMs <= 0 || done >= budget) return [];
  const seconds = Math.ceil(((budget - done) * elapsedMs) / done / 1000);
  return [`≤ ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} left`];
}

/**
 * One line of at most `width` columns: whole parts, separated by two spaces, as many as fit; a first part too long
 * on its own is cut after a whole word, with `…`. Never wider than `width`, never cut inside a word.
 */
export function fitProgress(parts: readonly string[], width: number): string {
  let line = '';
  for (const part of parts) {
    const next = line === '' ? part : `${line}  ${part}`;
    if ([...next].length <= width) {
      line = next;
      continue;
    }
    if (line === '') line = cutAtWord(part, width);
    break;
  }
  return line;
}

function cutAtWord(text: string, width: number): string {
  const words = text.split(' ');
  let kept = '';
  for (const word of words) {
    const next = kept === '' ? word : `${kept} ${word}`;
    if ([...next].length + 1 > width) break;
    kept = next;
  }
  return `${kept}…`;
}

/** One line: `label  exploring: 123/500 runs  41.2 runs/s  1 finding  ≤ 0:09 left`. */
export function formatProgress(snapshot: ProgressSnapshot, phaseElapsedMs: number, width = Number.POSITIVE_INFINITY): string {
  return fitProgress(progressParts(snapshot, phaseElapsedMs), width);
}

/**
 * A progress line on `stream`, throttled to one redraw per `intervalMs` of `clock` (the first update of a phase draws
 * at once), fitted to the terminal's width by whole parts so it never wraps (a wrapped line cannot be redrawn in
 * place) and never ends inside a word.
 */
export class ProgressLine implements ProgressDisplay {
  private phaseStartedMs: number;
  private phase: string | undefined;
  private lastDrawMs: number | undefined;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = realClock,
    private readonly intervalMs: number = PROGRESS_REDRAW_INTERVAL_MS,
  ) {
    this.phaseStartedMs = clock();
  }

  update(snapshot: ProgressSnapshot): void {
    const now = this.clock();
    // Rates and the time left are per phase: a shrink's pace says nothing about the search's.
    const phase = `${snapshot.label ?? ''}|${snapshot.shrinking ? 'shrinking' : 'exploring'}`;
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseStartedMs = now;
    } else if (this.lastDrawMs !== undefined && now - this.lastDrawMs < this.intervalMs) return;
    this.lastDrawMs = now;
    const width = Math.max(10, (this.stream.columns || DEFAULT_COLUMNS) - 1);
    this.stream.write(`${CLEAR_LINE}${formatProgress(snapshot, now - this.phaseStartedMs, width)}`);
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
