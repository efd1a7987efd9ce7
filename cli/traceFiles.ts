import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReplayTokenError } from '../sim/replay/replayToken.ts';
import { hashOfEvents, type TraceEvent } from '../sim/trace/Trace.ts';
import { describeConfig } from '../scenarios/config/describeConfig.ts';
import type { PropertyName } from '../properties/index.ts';
import type { RunResult } from '../scenarios/runScenario.ts';
import { makeDirectories } from './outputPaths.ts';

/** Tag of a trace file, so a random JSON file is refused rather than misread. */
const TRACE_FILE_FORMAT = 'wake-sim-trace';
/** Version of the trace file layout this build writes and reads. */
export const TRACE_FILE_VERSION = 1;

/**
 * A finding on disk: the replay token (the part that reproduces the run) plus what the run showed when it was
 * written (trace hash, violations, every event), so a reader can inspect it without re-running and a replay can
 * say whether this build still tells the same story.
 */
export interface TraceFile {
  readonly format: typeof TRACE_FILE_FORMAT;
  readonly version: typeof TRACE_FILE_VERSION;
  readonly token: string;
  readonly property: PropertyName | null;
  readonly scenario: string;
  readonly config: string;
  readonly faults: readonly string[];
  readonly traceHash: string;
  readonly steps: number;
  readonly violations: readonly { readonly property: string; readonly message: string; readonly step: number; readonly atMs: number }[];
  readonly events: readonly TraceEvent[];
}

/** Builds the file contents for a run and the token that replays it. */
export function traceFileFor(result: RunResult, token: string, property: PropertyName | undefined): TraceFile {
  return {
    format: TRACE_FILE_FORMAT,
    version: TRACE_FILE_VERSION,
    token,
    property: property ?? null,
    scenario: result.spec.scenario,
    config: describeConfig(result.spec.config),
    faults: [...result.spec.faults],
    traceHash: result.traceHash,
    steps: result.steps,
    violations: result.violations.map(({ property: name, message, step, atMs }) => ({ property: name, message, step, atMs })),
    events: result.events,
  };
}

/**
 * Writes `file` as `<dir>/<name>.trace.json` (creating `dir`), one event per line so diffs of two traces read well.
 * Returns the path written.
 */
export function writeTraceFile(dir: string, name: string, file: TraceFile): string {
  makeDirectories(dir);
  const path = join(dir, `${name}.trace.json`);
  const { events, ...head } = file;
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const eventLines = events.map((event) => `    ${JSON.stringify(event)}`).join(',\n');
  writeFileSync(path, `${headJson},\n  "events": [\n${eventLines}\n  ]\n}\n`);
  return path;
}

/** True when a `replay` argument names a trace file rather than being a token. */
export function looksLikeTraceFilePath(argument: string): boolean {
  return argument.endsWith('.json') || argument.includes('/') || argument.includes('\\');
}

/**
 * Reads a trace file; every problem (missing, not JSON, not a trace file, another layout version) is a
 * {@link ReplayTokenError} with a one-line message.
 */
export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReplayTokenError(`cannot read trace file ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReplayTokenError(`${path} is not a trace file: not valid JSON`);
  }
  const file = parsed as Partial<TraceFile> | null;
  if (typeof file !== 'object' || file === null || file.format !== TRACE_FILE_FORMAT) {
    throw new ReplayTokenError(`${path} is not a trace file written by wake-sim (no "format": "${TRACE_FILE_FORMAT}")`);
  }
  if (file.version !== TRACE_FILE_VERSION) {
    throw new ReplayTokenError(
      `${path} is trace file version ${String(file.version)}; this build reads version ${TRACE_FILE_VERSION} (replay it with the version that wrote it)`,
    );
  }
  if (typeof file.token !== 'string' || typeof file.traceHash !== 'string' || !Array.isArray(file.events)) {
    throw new ReplayTokenError(`${path} is not a complete trace file: it has no token, trace hash or events`);
  }
  // The recorded story is compared with the replay by its hash; events edited by hand would otherwise pass unseen.
  if (hashOfEvents(file.events) !== file.traceHash) {
    throw new ReplayTokenError(`${path}: its events do not give its recorded trace hash (was the file edited?)`);
  }
  return file as TraceFile;
}
