import type { SwitchDefinition } from '../../../protocol/switches/SwitchDefinition.ts';

/**
 * The switches of the 0.6-shaped runtime. Defects A and B are still present in agents-runtime 0.6.3, so `wiring` and
 * `offset` default to the shipped behaviour and offer the proposed fixes; `deferral` is the open defect O1 of the
 * same-stream claim guard (#4616) and its proposed fix.
 */

/** Defect B: what `ctx.observe(db(...))` does when wiring a first-observed shared-state DB fails. */
export const WIRING_VALUES = ['swallow', 'reject', 'retry'] as const;
/** Defect A: where a freshly started runner begins reading its wake stream. */
export const OFFSET_VALUES = ['minus-one', 'durable', 'tail'] as const;
/** O1: what the same-stream claim guard keeps of the wake events it defers while a stream is busy. */
export const DEFERRAL_VALUES = ['one-slot', 'fifo'] as const;

export type WiringValue = (typeof WIRING_VALUES)[number];
export type OffsetValue = (typeof OFFSET_VALUES)[number];
export type DeferralValue = (typeof DEFERRAL_VALUES)[number];

/**
 * The agents server's `resume-offset` behaviour each runner offset needs: only `durable` reads back what the runner
 * reported; the others start where they start whatever the server would return.
 */
const RESUME_OFFSET_NEEDED: Readonly<Record<OffsetValue, string>> = {
  'minus-one': 'none',
  durable: 'reported',
  tail: 'none',
};

/** The switch definitions, in the order `--help` lists them. */
export const V06_SWITCHES: readonly SwitchDefinition[] = [
  {
    name: 'wiring',
    values: WIRING_VALUES,
    defaultValue: 'swallow',
    summary: 'defect B: what observe(db(...)) does when wiring a shared-state DB fails',
    meanings: {
      swallow: "0.6.3 as shipped: the wiring chain's catch records the error and observe resolves unwired",
      reject: 'fix (a): observe rejects with the wiring error; the wake fails closed',
      retry: 'fix (b): preload again on a fresh StreamDB with bounded backoff; observe resolves only once wired',
    },
  },
  {
    name: 'offset',
    values: OFFSET_VALUES,
    defaultValue: 'minus-one',
    summary: 'defect A: where a new runner starts reading its wake stream',
    meanings: {
      'minus-one': '0.6.3 as shipped: every new runner reads its wake stream from -1',
      durable: 'heartbeats report a settled low-water mark; registration hands it back and the runner resumes there',
      tail: 'a new runner starts at the tail (now)',
    },
    implies: (value) => ({ 'resume-offset': RESUME_OFFSET_NEEDED[value as OffsetValue] ?? 'none' }),
  },
  {
    name: 'deferral',
    values: DEFERRAL_VALUES,
    defaultValue: 'one-slot',
    summary: 'O1: what the same-stream claim guard keeps of wake events deferred while their stream is busy',
    meanings: {
      'one-slot': '#4616 as shipped: one pending event per stream, a later one overwrites it',
      fifo: 'the proposed fix: every deferred event is kept, in arrival order',
    },
  },
];

/** One value of every switch, as one host process of the runtime reads them. */
export interface V06Settings {
  readonly wiring: WiringValue;
  readonly offset: OffsetValue;
  readonly deferral: DeferralValue;
}

/**
 * Reads the switch values the host hands over. The simulator validates them; an absent or unknown value still falls
 * back to the shipped behaviour, so a host started by hand with an empty configuration runs 0.6.3 as released.
 */
export function v06SettingsFrom(values: Readonly<Record<string, string>>): V06Settings {
  const choose = <T extends string>(name: string, allowed: readonly T[], shipped: T): T => {
    const value = values[name];
    return allowed.find((candidate) => candidate === value) ?? shipped;
  };
  return {
    wiring: choose('wiring', WIRING_VALUES, 'swallow'),
    offset: choose('offset', OFFSET_VALUES, 'minus-one'),
    deferral: choose('deferral', DEFERRAL_VALUES, 'one-slot'),
  };
}
