import type { SwitchDefinition } from '../switches/SwitchDefinition.ts';
import type { AnnotationVocabulary } from './AnnotationVocabulary.ts';
import type { HostContext } from './HostContext.ts';
import type { LeaseRenewalPromise } from './LeaseRenewalPromise.ts';

/** A started host process, as the platform sees it. */
export interface RunningHost {
  /**
   * Settles when a graceful stop the {@link HostContext.signal} asked for has finished; the platform then ends the
   * process (and kills it anyway when its stop grace period runs out first). Never settling is allowed until asked.
   * Rejecting, at any time, is the runtime's main failing: the process dies of an unhandled rejection
   * (`uncaught-error`), as a Node program would.
   */
  readonly stopped: Promise<void>;
}

/**
 * An agents runtime that can run inside the simulated world: how to start one host process of it, and the switches
 * it offers (defective behaviours and their fixes, selectable per run). Register one with `registerRuntime` to make
 * it available to `explore`, `matrix` and `replay --runtime NAME`.
 */
export interface RuntimeUnderTest {
  /** Unique, short, used on the command line and in replay tokens, e.g. `v0.4`. */
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly summary: string;
  /** Switches of this runtime; every run gives each a value (its default unless chosen). */
  readonly switches: readonly SwitchDefinition[];
  /**
   * The annotation vocabularies the runtime records about itself (see {@link AnnotationVocabulary}): the models of
   * those internals check it too. Absent or empty: only the system models judge it, from the world's observations.
   * Declare a vocabulary only when every annotation of it is recorded as specified: a model refuses a run that
   * leaves out or reorders one.
   */
  readonly annotations?: readonly AnnotationVocabulary[];
  /**
   * The lease-renewal schedule the runtime promises under a run's switch values (every switch of the run, by name),
   * which the `protocol` property then holds it to; undefined where it promises none (it does not renew, or a renewal
   * may wait without bound). Absent: no promise under any configuration.
   */
  leaseRenewal?(config: Readonly<Record<string, string>>): LeaseRenewalPromise | undefined;
  /**
   * Starts one host process. Called with the process's globals installed and inside its context, at the moment the
   * platform starts the process; a fresh call per process, with nothing kept from earlier processes (a cold start).
   */
  startHost(host: HostContext): RunningHost;
}
