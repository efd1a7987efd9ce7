import type { EntityHandler } from '../entity/EntityHandler.ts';
import type { DirectTransport } from './DirectTransport.ts';
import type { FetchFunction } from './FetchFunction.ts';

/** A value a runtime annotation may carry: plain JSON, so a trace serialises the same everywhere. */
export type AnnotationValue = string | number | boolean | null | readonly AnnotationValue[] | { readonly [key: string]: AnnotationValue };

/** Where the simulated services answer, as base URLs without a trailing slash. */
export interface ServiceUrls {
  /** The Durable Streams service; stream paths start with `/v1/stream/`. */
  readonly durableStreams: string;
  /** The agents server; its routes start with `/_electric/`. */
  readonly agentsServer: string;
}

/**
 * Everything one host process of the runtime under test gets from the simulated world. The runtime reaches the world
 * only through these and the process's globals: while a simulated run executes, the global timers, clocks,
 * `Math.random`, the Web Crypto randomness and the global `fetch` of the process are the simulation's (virtual time,
 * a seeded generator, this process's network), so a runtime that uses them unchanged runs inside the simulation.
 *
 * What the runtime must do with it: start (register, read its wake stream, claim and process wakes); when
 * {@link signal} aborts (SIGTERM, a graceful stop), stop and settle `RunningHost.stopped`; on a crash, nothing at all
 * — the process simply never runs again, its timers never fire and its requests never answer.
 */
export interface HostContext {
  /** Unique within the run, e.g. `host#2`: the actor of everything the process does. */
  readonly processName: string;
  /** This process's `fetch` on the simulated network (the global `fetch` is the same function while it runs). */
  readonly fetch: FetchFunction;
  /** The same network without WHATWG objects, for runtimes written for the simulator (see {@link DirectTransport}). */
  readonly transport: DirectTransport;
  readonly urls: ServiceUrls;
  /**
   * The process environment: `RUNNER_ID`, `RUNNER_LABEL` and the runtime's switch values as `WAKE_SIM_<NAME>`
   * (upper case, `-` as `_`), e.g. `WAKE_SIM_WIRING=retry`. {@link config} holds the switch values by name.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The runtime's switch values for this run, by switch name (every switch the runtime declares has a value). */
  readonly config: Readonly<Record<string, string>>;
  /** Aborted when the platform asks the process to stop gracefully (SIGTERM). */
  readonly signal: AbortSignal;
  /** The entity code of the scenario, by entity type: the handler to run for each wake of an entity of that type. */
  readonly handlers: ReadonlyMap<string, EntityHandler>;
  /**
   * Records an annotation: what the runtime says about itself (`wake-read`, `handle-wired`, ...). Annotations are
   * shown in timelines and feed the models of a runtime's internals; no property of the system depends on them, and
   * a run can drop them all. Optional to call.
   */
  annotate(kind: string, detail?: { readonly [key: string]: AnnotationValue }): void;
}
