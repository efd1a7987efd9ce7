import { format } from 'node:util';

/** The console methods a run captures. */
const CAPTURED_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
export type ConsoleLevel = (typeof CAPTURED_LEVELS)[number];

/**
 * Routes console output to `record` until the returned function is called. Libraries in the loop report some errors
 * only on the console (a StreamDB logs `[StreamDB] Error processing batch: …`); in a simulated run that belongs in the
 * trace, next to the step that caused it, not on the terminal. Errors are written as `Name: message` without their
 * stack: a stack holds machine paths, and the trace must hash the same on every machine.
 */
export function captureConsole(record: (level: ConsoleLevel, text: string) => void): () => void {
  const target = console as unknown as Record<ConsoleLevel, (...args: unknown[]) => void>;
  const saved = CAPTURED_LEVELS.map((level) => target[level]);
  for (const level of CAPTURED_LEVELS) {
    target[level] = (...args: unknown[]) => record(level, format(...args.map((arg) => withoutStack(arg))));
  }
  return () => CAPTURED_LEVELS.forEach((level, index) => (target[level] = saved[index]!));
}

/** Nesting followed when replacing errors inside logged objects; deeper values are logged as they are. */
const MAX_DEPTH = 4;

/** `value` with every Error in it, also inside plain objects and arrays, replaced by `Name: message`. */
function withoutStack(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => withoutStack(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutStack(item, depth + 1)]));
}
