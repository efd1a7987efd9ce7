import { fileURLToPath } from 'node:url';

/** This folder: frames in it are the hermetic machinery itself, never the caller. */
const HERMETIC_DIR = fileURLToPath(new URL('.', import.meta.url));
/** The project root (two levels up), which caller paths are made relative to, so they read the same on every machine. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Frames looked at, at most: enough to get past the trap, a `new Promise` executor and a library's helpers. */
const STACK_FRAMES_MAX = 30;
/**
 * The file and line of a frame: `at fn (/path/x.ts:12:5)`, `at /path/x.ts:12:5`, `at async fn (file:///path/x.ts:12:5)`.
 * Frames of Node's own modules (`node:internal/...`) and native ones (`<anonymous>`) do not match.
 */
const FRAME_LOCATION = /(?:^at (?:async )?|\()((?:file:\/\/)?\/[^()]*):(\d+):\d+\)?$/;

/**
 * A path that reads the same on every machine, since it goes into the trace hash: relative to the project root;
 * from `node_modules/` on for a package installed elsewhere (hoisted, linked); else only the file's name.
 */
function portablePath(path: string): string {
  if (path.startsWith(PROJECT_ROOT)) return path.slice(PROJECT_ROOT.length);
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  return `…/${path.slice(path.lastIndexOf('/') + 1)}`;
}

/** Returned when no frame names a file (a native callback, say). */
export const UNKNOWN_CALLER = 'unknown caller';

/**
 * Where the current call into the hermetic globals came from: the first stack frame outside sim/hermetic, as
 * `path:line` relative to the project root (a library reads `node_modules/...`). Costs one stack capture; only
 * leaks pay it.
 */
export function callerOf(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_FRAMES_MAX;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME_LOCATION.exec(line.trim());
    if (!match) continue;
    const path = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (path.startsWith(HERMETIC_DIR)) continue;
    return `${portablePath(path)}:${match[2]}`;
  }
  return UNKNOWN_CALLER;
}
