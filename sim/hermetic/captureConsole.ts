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
    target[level] = (...args: unknown[]) => record(level, format(...args.map(withoutStack)));
  }
  return () => CAPTURED_LEVELS.forEach((level, index) => (target[level] = saved[index]!));
}

function withoutStack(value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
