import type { TraceEvent, TraceValue } from '../../sim/trace/Trace.ts';
import type { PropertyName, Violation } from '../../properties/index.ts';
import { isStoryEvent } from './story.ts';
import { storyMarks, type StoryMark } from './storyMarks.ts';
import { formatVirtualTime, reportText } from '../../scenarios/reportNotation.ts';
import { handleCell, postsCell, runnerCell, statesAlong, wakeCell, type StoryState } from './storyState.ts';
import { virtualTimeLegend } from './time.ts';

/** Width the text timeline keeps to. */
export const TIMELINE_WIDTH = 120;

/** One event of a timeline with the state after it and its marks. */
export interface TimelineRow {
  /** Index of the event in the run's events. */
  readonly index: number;
  readonly event: TraceEvent;
  readonly state: StoryState;
  readonly marks: readonly StoryMark[];
}

/**
 * The rows of a run's timeline: the story events (every event with `all`) and every marked one, each with the state
 * after it (statesAlong) and its marks (storyMarks; with `focus`, the causes of that property's violations only).
 */
export function timelineRows(events: readonly TraceEvent[], violations: readonly Violation[], all = false, focus?: PropertyName): TimelineRow[] {
  const states = statesAlong(events);
  const marks = storyMarks(events, violations, focus);
  const rows: TimelineRow[] = [];
  events.forEach((event, index) => {
    if (!all && !isStoryEvent(event) && !marks.has(index)) return;
    rows.push({ index, event, state: states[index]!, marks: marks.get(index) ?? [] });
  });
  return rows;
}

/** Identity keys left out of the details when they have one value across the whole run (shown once, above the table). */
const IDENTITY_KEYS = ['entity', 'subscription', 'sharedId', 'schedule', 'runner', 'runnerId'] as const;

/** The identity keys with one value across the run, with that value (`entity=digest-1`, ...). */
export function constantDetails(events: readonly TraceEvent[]): Map<string, string> {
  const constant = new Map<string, string>();
  for (const key of IDENTITY_KEYS) {
    const values = new Set(events.filter((event) => key in event.detail).map((event) => formatValue(key, event.detail[key]!)));
    if (values.size === 1) constant.set(key, [...values][0]!);
  }
  return constant;
}

/**
 * The details worth printing for a row: every detail but the constant identity keys and what the state columns
 * already show (the offset a runner read, the wake id of the wake in progress). Offsets lose their zero padding.
 */
export function detailText(row: TimelineRow, constantKeys: ReadonlyMap<string, string>): string {
  return detailParts(row, constantKeys).join(' ');
}

/** {@link detailText} as `key=value` parts. */
export function detailParts(row: TimelineRow, constantKeys: ReadonlyMap<string, string>): string[] {
  const { event, state } = row;
  return Object.entries(event.detail)
    .filter(([key]) => !constantKeys.has(key))
    .filter(([key]) => !(key === 'offset' && (event.kind === 'wake-read' || event.kind === 'runner-state')))
    .filter(([key, value]) => !(key === 'wakeId' && state.wake?.wakeId === value))
    .map(([key, value]) => `${key}=${formatValue(key, value)}`);
}

/**
 * A detail value as reports print it: offsets (in any key or text) in the short notation, virtual times (`...AtMs`
 * keys, the `kind@ms` entries of a fault plan) as {@link formatVirtualTime} writes them.
 */
function formatValue(key: string, value: TraceValue): string {
  if (/AtMs$/.test(key) && typeof value === 'number') return formatVirtualTime(value);
  if (/AtMs$/.test(key) && Array.isArray(value) && value.every((item) => typeof item === 'number')) return `[${value.map((item) => formatVirtualTime(item as number)).join(',')}]`;
  // JSON has no `undefined`: a runtime we did not write may still put one in an event's detail.
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return reportText(key === 'faults' ? text.replace(/@(\d+)/g, (_, ms: string) => `@${formatVirtualTime(Number(ms))}`) : text);
}

/** Short actor names for narrow columns: `durable-streams` reads `streams`, `agents-server` reads `agents`. */
export function actorLabel(actor: string): string {
  if (actor === 'durable-streams') return 'streams';
  if (actor === 'agents-server') return 'agents';
  return actor;
}

/** The text of a mark at the end of a line: `<== duplicate-action` for a violation, `<-- first post` for a cause. */
export function markText(marks: readonly StoryMark[]): string {
  const violations = marks.filter((mark) => mark.kind === 'violation').map((mark) => mark.label);
  const causes = marks.filter((mark) => mark.kind === 'cause').map((mark) => mark.label);
  return [violations.length > 0 ? `<== ${violations.join(', ')}` : '', causes.length > 0 ? `<-- ${causes.join(', ')}` : ''].filter(Boolean).join('  ');
}

/**
 * What the state columns mean, in every view of a timeline. Each says where its value comes from: the servers'
 * observations first (any runtime gets them), the runtime's own annotations only where the servers saw nothing — and
 * the handle column, which no server sees, says it is the runtime's and the handler's word.
 */
export const STATE_COLUMN_LEGEND: readonly string[] = [
  "runner @read: its wake-stream offset as the Durable Streams service served it: after the last wake served, else where its first read started (before any read: where the runtime says it starts); -1 = from the beginning",
  'wake: the wake whose claim the agents server granted, until it accepts the done or the claim ends · ✗ its handler threw (or the runtime says it failed)',
  "handle: the wake's shared-state handle, as the runtime and its handler report it (no server sees it) · posts: chat posts so far",
];

/** What the columns of a timeline of a run of `scenario` mean, printed above it. */
export const timelineLegend = (scenario: string): string[] => [
  ...wrap(virtualTimeLegend(scenario), TIMELINE_WIDTH - 4),
  ...STATE_COLUMN_LEGEND.flatMap((line) => wrap(line, TIMELINE_WIDTH - 4)),
  'offsets: segment_position without the zero padding (0_116: segment 0, position 116), the same in every view',
  'gutter: ! the event that shows a violation (<==), * a step that led to it (<--)',
];

const TIME_HEADERS = ['time', 'step'] as const;
const STATE_HEADERS = ['runner @read', 'wake', 'handle', 'posts'] as const;

/**
 * The timeline as text lines of at most `maxWidth` columns: one line per row — virtual time and step; the state after
 * the event (the runner's wake-stream offset, the wake in progress, its shared-state handle, posts so far); the actor,
 * the event, its details and its marks. A left gutter shows `!` for a violating event and `*` for a causal step.
 * Details that do not fit go on continuation lines under the event.
 */
export function formatTimeline(rows: readonly TimelineRow[], events: readonly TraceEvent[], maxWidth = TIMELINE_WIDTH, violations: readonly Violation[] = []): string[] {
  const constants = constantDetails(events);
  // A violation judged at the end of the run (a missed action, a stuck claim) has no event of its own: a row of the
  // judge closes the timeline at the step and time it was judged, as in the HTML report.
  const endOfRun = violations.filter((violation) => violation.eventIndex === undefined);
  const timeCells = [...rows.map((row) => [formatVirtualTime(row.event.atMs), `#${row.event.step}`]), ...endOfRun.map((violation) => [formatVirtualTime(violation.atMs), `#${violation.step}`])];
  const stateCells = rows.map((row) => [runnerCell(row.state.runner), wakeCell(row.state.wake), handleCell(row.state.wake), postsCell(row.state.posts)]);
  const actors = rows.map((row) => actorLabel(row.event.actor));
  // A loop, not Math.max(...cells): a run that spins to its step budget has more rows than a call has arguments.
  const widest = (first: number, lengths: Iterable<number>): number => {
    let width = first;
    for (const length of lengths) width = Math.max(width, length);
    return width;
  };
  const widthsOf = (headers: readonly string[], cells: readonly (readonly string[])[]): number[] =>
    headers.map((header, column) => widest(header.length, cells.map((cell) => cell[column]!.length)));
  const timeWidths = widthsOf(TIME_HEADERS, timeCells);
  const stateWidths = widthsOf(STATE_HEADERS, stateCells);
  const actorWidth = widest('actor'.length, actors.map((actor) => actor.length));
  const pad = (values: readonly string[], widths: readonly number[]): string => values.map((value, column) => value.padEnd(widths[column]!)).join(' ');
  // Times right-aligned, so +9:59.999 and +10:00.000 line up.
  const padTime = (values: readonly string[]): string => [values[0]!.padStart(timeWidths[0]!), values[1]!.padEnd(timeWidths[1]!)].join(' ');
  const gutter = (marks: readonly StoryMark[]): string => (marks.some((mark) => mark.kind === 'violation') ? '! ' : marks.length > 0 ? '* ' : '  ');
  const prefix = (mark: string, time: readonly string[], state: readonly string[], actor: string): string =>
    `${mark}${padTime(time)} │ ${pad(state, stateWidths)} │ ${actor.padEnd(actorWidth)} `;

  const lines: string[] = [];
  if (constants.size > 0) {
    const same = `same throughout: ${[...constants].map(([key, value]) => `${key}=${value}`).join(' ')}`;
    lines.push(...wrap(same, maxWidth - 2).map((part) => `  ${part}`));
  }
  lines.push(prefix('  ', TIME_HEADERS, STATE_HEADERS, 'actor') + 'event');
  // Continuation lines keep the column rules and start under the actor.
  const blank = prefix('  ', ['', ''], ['', '', '', ''], '').slice(0, -(actorWidth + 1));
  const hidden = alikeRowsHidden(rows, (row) => `${row.event.actor} ${row.event.kind} ${detailText(row, constants)}`);
  rows.forEach((row, position) => {
    const skipped = hidden.get(position);
    if (skipped === 0) return;
    if (skipped !== undefined) {
      lines.push(`${blank}  ⋮ ${skipped} more rows alike (${actors[position]!} ${row.event.kind}, the same details)`);
      return;
    }
    const head = prefix(gutter(row.marks), timeCells[position]!, stateCells[position]!, actors[position]!);
    const parts = detailParts(row, constants);
    const details = parts.join(' ');
    const mark = markText(row.marks);
    const oneLine = [`${head}${row.event.kind}`, details, mark].filter(Boolean).join('  ');
    if (width(oneLine) <= maxWidth || details === '') {
      lines.push(oneLine);
      return;
    }
    // The first line takes the whole `key=value` parts that fit before the mark; the rest continue under the actor.
    const reserved = mark === '' ? 0 : width(mark) + 2;
    let first = `${head}${row.event.kind}`;
    let taken = 0;
    while (taken < parts.length && width(first) + 2 + width(parts.slice(0, taken + 1).join(' ')) + reserved <= maxWidth) taken += 1;
    if (taken > 0) first += `  ${parts.slice(0, taken).join(' ')}`;
    lines.push(mark === '' ? first : `${first}  ${mark}`);
    const rest = parts.slice(taken).join(' ');
    if (rest !== '') lines.push(...wrap(rest, maxWidth - width(blank) - 2).map((part) => `${blank}  ${part}`));
  });
  endOfRun.forEach((violation, position) => {
    lines.push(`${prefix('! ', timeCells[rows.length + position]!, ['', '', '', ''], 'judge')}end of run  ${markText([{ kind: 'violation', label: violation.property }])}`);
  });
  return lines;
}

/** A run of alike rows longer than this is shown by its first {@link ALIKE_ROWS_KEPT} rows, a count, and its last row. */
const ALIKE_ROWS_SHOWN_MAX = 8;
const ALIKE_ROWS_KEPT = 3;

/**
 * Which rows a run of alike, unmarked rows (the same `keyOf`: a loop that records the same event thousands of times)
 * hides: by position, the count where the run's hidden part begins and 0 for the rest of it. A marked row is never
 * hidden and ends a run, so every violation and cause stays in the timeline.
 */
function alikeRowsHidden(rows: readonly TimelineRow[], keyOf: (row: TimelineRow) => string): Map<number, number> {
  const hidden = new Map<number, number>();
  let start = 0;
  while (start < rows.length) {
    const key = rows[start]!.marks.length > 0 ? undefined : keyOf(rows[start]!);
    let end = start + 1;
    while (key !== undefined && end < rows.length && rows[end]!.marks.length === 0 && keyOf(rows[end]!) === key) end += 1;
    if (end - start > ALIKE_ROWS_SHOWN_MAX) {
      const from = start + ALIKE_ROWS_KEPT;
      const to = end - 1; // the last row of the run stays
      hidden.set(from, to - from);
      for (let position = from + 1; position < to; position += 1) hidden.set(position, 0);
    }
    start = end;
  }
  return hidden;
}

/** Columns a line takes (code points: `│` and `✗` are one column each). */
function width(text: string): number {
  return [...text].length;
}

/** Splits text at spaces into lines of at most `maxWidth` characters; a longer word is cut into pieces. */
export function wrap(text: string, maxWidth: number): string[] {
  const limit = Math.max(maxWidth, 8);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const pieces: string[] = [];
    const chars = [...word];
    for (let start = 0; start < chars.length || start === 0; start += limit) pieces.push(chars.slice(start, start + limit).join(''));
    for (const piece of pieces) {
      if (current === '') current = piece;
      else if (width(current) + 1 + width(piece) <= limit) current += ` ${piece}`;
      else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** A timeline row for `--json`: the event, the state columns as objects, and the marks. */
export function timelineRowJson(row: TimelineRow): Record<string, unknown> {
  const { runner, wake, wakesInProgress, posts } = row.state;
  return {
    index: row.index,
    time: formatVirtualTime(row.event.atMs),
    atMs: row.event.atMs,
    step: row.event.step,
    actor: row.event.actor,
    kind: row.event.kind,
    detail: row.event.detail,
    state: {
      runner,
      wake,
      wakesInProgress,
      posts,
    },
    marks: row.marks,
  };
}
