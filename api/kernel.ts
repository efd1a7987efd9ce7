/**
 * `wake-sim/kernel`: deterministic simulation for any asynchronous TypeScript system, with no agents vocabulary.
 * One {@link ChoiceSource} answers every nondeterministic decision; a {@link Scheduler} runs tasks over virtual time
 * and asks it which of the tasks due at the same instant runs; {@link runLoop} drains the microtask queue between
 * steps so promise ordering depends on the answers alone; a {@link Trace} records what happened and hashes it. Around
 * that: search strategies and {@link sweep} to look for a failing run, {@link shrinkChoices} to shrink its answers,
 * replay tokens to carry it, and hermetic globals that make the process's timers, clocks and randomness the run's.
 * examples/kernel-bank/ uses nothing else.
 *
 * Nothing here imports the simulated world, the properties or the scenarios (test/package/entryPoints.test.ts checks).
 *
 * @packageDocumentation
 */

export { choosePercent, chooseInRange, type ChoiceHint, type ChoiceSource } from '../sim/choice/ChoiceSource.ts';
export { RandomChoiceSource } from '../sim/choice/RandomChoiceSource.ts';
export { RecordedChoiceSource } from '../sim/choice/RecordedChoiceSource.ts';
export { RecordingChoiceSource } from '../sim/choice/RecordingChoiceSource.ts';
export { choiceSequence, type ChoiceSequenceOptions } from '../sim/choice/choiceSequenceArbitrary.ts';
export { Scheduler } from '../sim/scheduler/Scheduler.ts';
export type { Task, TaskHandle } from '../sim/scheduler/Task.ts';
export { drainMicrotasks } from '../sim/scheduler/drainMicrotasks.ts';
export { runLoop, type LoopEnd, type RunBudget, type TraceWatch } from '../sim/run/runLoop.ts';
export { DEFAULT_MAX_TRACE_EVENTS } from '../sim/run/traceBudget.ts';
export type { SimContext } from '../sim/run/SimContext.ts';
export { MAX_EVENTS_PER_STEP, MicrotaskSpinError, type StepSpin } from '../sim/trace/stepSpin.ts';
export { serializeEvent, Trace, type TraceClock, type TraceEvent, type TraceOptions, type TraceValue } from '../sim/trace/Trace.ts';
export { runAsActor, currentActor, runOutsideActors } from '../sim/actors/actorContext.ts';
export { sweep, type SweepOptions, type SweepOutcome } from '../sim/explore/sweep.ts';
export { runSeed } from '../sim/explore/runSeed.ts';
export { shrinkChoices, type ShrinkOptions, type ShrinkOutcome, type ShrinkProbe } from '../sim/shrink/shrinkChoices.ts';
export { decodeReplayToken, encodeReplayToken, ReplayTokenError, TOKEN_FORMAT_VERSION, type ReplayPayload } from '../sim/replay/replayToken.ts';
export { createStrategy, type StrategyOptions } from '../sim/strategies/createStrategy.ts';
export { STRATEGY_NAMES, type SearchStrategy, type StrategyFigures, type StrategyName } from '../sim/strategies/SearchStrategy.ts';
export { DEFAULT_EXHAUSTIVE_BOUNDS, type ExhaustiveBounds } from '../sim/strategies/ExhaustiveStrategy.ts';
export { DEFAULT_PCT_DEPTH } from '../sim/strategies/PctStrategy.ts';
export { HermeticGlobals, installedHermeticGlobals } from '../sim/hermetic/VirtualGlobals.ts';
export { HERMETIC_MODES, VIRTUAL_EPOCH_MS, type HermeticMode, type HermeticOptions } from '../sim/hermetic/HermeticOptions.ts';
export { HermeticLeakError, leakMessage, leakOfEvent, recordLeak, type Leak, type LeakKind } from '../sim/hermetic/LeakReport.ts';
