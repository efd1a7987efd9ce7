import type { ModelConfig } from '../modelConfig.ts';
import type { MachineName } from '../modelLayers.ts';

/**
 * The properties model checking looks for: the three the models judge with violation states; `missed-action`, judged
 * on quiescent states (no work pending, no wake running, a due occurrence never posted); and `hang`, a wake that no
 * event of its own can move on.
 */
export const CHECKED_PROPERTIES = ['unwired-resolve', 'duplicate-action', 'wake-replay', 'missed-action', 'hang'] as const;
export type CheckedProperty = (typeof CHECKED_PROPERTIES)[number];

/** The two traversals model checking makes. */
export type SliceName = 'runner' | 'wake';

/** One part of the composed model that a traversal explores, and what it answers. */
export interface CheckSlice {
  readonly name: SliceName;
  /** The machines whose states the slice's events move (the others only see events they accept as they are). */
  readonly machines: readonly MachineName[];
  readonly properties: readonly CheckedProperty[];
  /**
   * Every switch whose value changes what the slice can reach. Configurations that agree on them share one traversal,
   * so a switch left out here would be a switch the answer silently ignores (test/models/checkSlices.test.ts holds
   * this list to the switches its machines read).
   */
  readonly switches: ReadonlyArray<keyof ModelConfig>;
  /** Why the slice may leave the rest of the model out and still never call reachable behaviour unreachable. */
  readonly soundness: string;
}

/** The switch each machine's behaviour depends on. */
export const SWITCH_OF_MACHINE: Readonly<Record<MachineName, keyof ModelConfig>> = {
  serverRunner: 'offset',
  wakeStream: 'offset',
  runnerLifecycle: 'offset',
  wiringChain: 'wiring',
  digestEntity: 'idempotency',
};

export const CHECK_SLICES: Readonly<Record<SliceName, CheckSlice>> = {
  runner: {
    name: 'runner',
    machines: ['serverRunner', 'wakeStream'],
    properties: ['wake-replay'],
    switches: ['offset'],
    soundness:
      'Processes start, register, read their wake stream, claim, heartbeat, stop and crash; whether and when a granted ' +
      'wake ends (done, or a lease that expires) is left free: that is all the wiring and the entity decide about it. ' +
      'It also answers whether a wake event can be lost for good (no runner will ever claim it), which the wake slice uses.',
  },
  wake: {
    name: 'wake',
    machines: ['digestEntity', 'wiringChain', 'wakeStream'],
    properties: ['unwired-resolve', 'duplicate-action', 'missed-action', 'hang'],
    switches: ['wiring', 'idempotency', 'offset'],
    soundness:
      'Work arrives; a wake takes it, restores or wires the shared DB, runs the handler, and ends. Delivery is left ' +
      'free: any pending work may be granted to the live process, and, where the runner slice finds that the offset ' +
      'switch can lose a wake event, it may be lost instead. That is all the runners and the wake stream decide about it.',
  },
};

/** The slice that answers a property. */
export function sliceOf(property: CheckedProperty): CheckSlice {
  return property === 'wake-replay' ? CHECK_SLICES.runner : CHECK_SLICES.wake;
}
