import type { Leak } from './LeakReport.ts';

/**
 * What a hermetic run does when code under simulation reaches for a process-wide source of time or randomness (the
 * global timers, `Date`, `performance.now`, `process.hrtime`, `AbortSignal.timeout`, `Math.random`, the Web Crypto
 * random functions):
 *
 * - `forbid`: the call is a leak. It is recorded (and fails the run, see `properties/hermetic.ts`) and then served
 *   from the simulation anyway, so the run still finishes, deterministically. The fast tier's runtime (runtime/)
 *   must see the world only through its ports, so this is what `runScenario` uses by default.
 * - `virtualise`: the call is served from the simulation and is no leak: timers become tasks on the run's scheduler,
 *   clocks read virtual time, randomness comes from a seeded generator.
 * - `actors`: served from the simulation everywhere, and a leak only outside every actor (sim/actors/): code under
 *   simulation, which runs as a simulated process, may use the process's globals as a real program does, while the
 *   simulator's own code (kernel, world services, scenario setup) must use the scheduler. What `runScenario` uses.
 *
 * Real network access (a socket connecting, the global `fetch` outside a process that has a simulated network) is a
 * leak in every mode.
 */
export type HermeticMode = 'forbid' | 'virtualise' | 'actors';

/** The modes, for validation and help texts. */
export const HERMETIC_MODES: readonly HermeticMode[] = ['forbid', 'virtualise', 'actors'];

/** Options of a {@link HermeticGlobals} (sim/hermetic/VirtualGlobals.ts). */
export interface HermeticOptions {
  /** See {@link HermeticMode}. Can be changed later with `setMode` (a scenario's `setUp` opting in). */
  readonly mode: HermeticMode;
  /** Told once per distinct leak (same kind of call from the same place), when it happens. */
  readonly onLeak?: (leak: Leak) => void;
  /**
   * Seed of the generator behind the virtual `Math.random` and crypto randomness. Fixed by default: it is no choice,
   * so the run's recorded choices (and so replay tokens and trace hashes) do not depend on whether anything draws.
   */
  readonly randomSeed?: number;
  /** Actor of the scheduler tasks that virtual timers become. */
  readonly timerActor?: string;
}

/** The wall-clock instant virtual time 0 stands for: 2026-01-01T00:00:00Z, in milliseconds since the Unix epoch. */
export const VIRTUAL_EPOCH_MS = Date.UTC(2026, 0, 1);

/** Seed of the virtual randomness when the options name none. */
export const DEFAULT_RANDOM_SEED = 0x5eed;

/** Actor of virtual timer tasks when the options name none. */
export const DEFAULT_TIMER_ACTOR = 'timers';
