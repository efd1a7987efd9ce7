/**
 * The switch values the models are parameterised by. The models are an executable spec of the wake path of
 * semantics.md §4; they name the modes they model themselves, and read them from a run's switch values.
 */
export type WiringMode = 'swallow' | 'reject' | 'retry' | 'empty' | 'retry-same-db';
export type OffsetMode = 'minus-one' | 'durable' | 'durable-raw' | 'tail' | 'server-seek';
export type IdempotencyCheck = 'raw-collection' | 'public-read' | 'wired-gate';
/** Which due occurrences the digest entity checks on a wake (the scenario's `catch-up` switch). */
export type CatchUpMode = 'newest' | 'every-due';

export const MODEL_WIRING_MODES: readonly WiringMode[] = ['swallow', 'reject', 'retry', 'empty', 'retry-same-db'];
export const MODEL_OFFSET_MODES: readonly OffsetMode[] = ['minus-one', 'durable', 'durable-raw', 'tail', 'server-seek'];
export const MODEL_IDEMPOTENCY_CHECKS: readonly IdempotencyCheck[] = ['raw-collection', 'public-read', 'wired-gate'];

/** The values the models read. */
export interface ModelConfig {
  readonly wiring: WiringMode;
  readonly offset: OffsetMode;
  readonly idempotency: IdempotencyCheck;
}

/** The model's view of a run's switch values (absent switches take the shipped behaviour). */
export function modelConfigOf(values: Readonly<Record<string, string>>): ModelConfig {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T =>
    (allowed as readonly string[]).includes(values[name] ?? '') ? (values[name] as T) : fallback;
  return {
    wiring: pick('wiring', MODEL_WIRING_MODES, 'swallow'),
    offset: pick('offset', MODEL_OFFSET_MODES, 'minus-one'),
    idempotency: pick('idempotency', MODEL_IDEMPOTENCY_CHECKS, 'raw-collection'),
  };
}

/** Where the agents server's registration takes the resume offset it returns (the world's `resume-offset` switch). */
export type ResumeSource = 'none' | 'reported' | 'acked-seek' | 'claimed-seek';

const RESUME_SOURCES: readonly ResumeSource[] = ['none', 'reported', 'acked-seek', 'claimed-seek'];

/** The resume source each runner offset mode needs, as semantics.md §4 describes the modes. */
const RESUME_SOURCE_FOR: Readonly<Record<OffsetMode, ResumeSource>> = {
  'minus-one': 'none',
  durable: 'reported',
  'durable-raw': 'reported',
  tail: 'none',
  'server-seek': 'acked-seek',
};

/**
 * The server's resume source in a run: the `resume-offset` switch when the run gives one, else what its `offset` mode
 * needs (a run spec always gives one; model checking, which varies only the three model switches, does not).
 */
export function resumeSourceOf(values: Readonly<Record<string, string>>): ResumeSource {
  const given = values['resume-offset'];
  return (RESUME_SOURCES as readonly string[]).includes(given ?? '') ? (given as ResumeSource) : RESUME_SOURCE_FOR[modelConfigOf(values).offset];
}
