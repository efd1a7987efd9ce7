import { expect } from 'vitest';
import { HttpError } from '../../world/network/HttpError.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import type { SimContext } from '../../sim/run/SimContext.ts';
import { Scheduler } from '../../sim/scheduler/Scheduler.ts';
import { Trace } from '../../sim/trace/Trace.ts';

/** A fresh simulated context; an empty script answers every choice with 0 (the ordinary run). */
export function makeSim(script: readonly number[] = []): SimContext {
  const choices = new RecordedChoiceSource(script);
  const scheduler = new Scheduler(choices);
  const trace = new Trace(scheduler);
  return { scheduler, choices, trace };
}

/** One macrotask hop: every queued promise continuation has run afterwards. */
export const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled, without awaiting it. */
export function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** Asserts that `fn` throws an HttpError with this status and code; returns it for further checks. */
export function expectHttpError(fn: () => unknown, status: number, code: string): HttpError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HttpError);
  const error = caught as HttpError;
  expect({ status: error.status, code: error.code }).toEqual({ status, code });
  return error;
}
