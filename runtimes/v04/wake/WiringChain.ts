import type { WiringMode } from '../config.ts';
import { AbortedError, describeError } from '../errors.ts';
import type { SharedStateHandle } from '../shared-state/SharedStateHandle.ts';
import { createSharedStateDb } from '../shared-state/createSharedStateDb.ts';
import type { SharedStateWriter } from '../shared-state/stateEvents.ts';
import { sleep, sleepUntilAborted } from '../time.ts';
import { RUNTIME_TIMING } from '../timing.ts';
import type { V04Environment } from '../V04Environment.ts';

/** What each wiring mode does with a failed preload, as the `preload-failed` event reports it. */
const HANDLING: Readonly<Record<WiringMode, string>> = {
  swallow: 'propagate',
  reject: 'propagate',
  retry: 'retry',
  empty: 'treat-as-empty',
  'retry-same-db': 'retry-same-db',
};

/** What the chain does on behalf of its wake, with the wake's write token. */
export interface WakeSharedState {
  /** The writer of one shared DB's changes (through the agents server). */
  writerFor(sharedId: string): SharedStateWriter;
  /** Headers of a preload's reads: the wake's token, naming the entity whose link authorises the read. */
  readonly readHeaders: Readonly<Record<string, string>>;
  /** Creates a shared state through the agents server (`mkdb`); creating an existing one is no error. */
  create(sharedId: string): Promise<void>;
}

/**
 * The per-wake promise chain that wires shared-state handles created by `observe`, with the `wiring` switch
 * deciding what a failed preload does:
 * - `swallow` (0.4.x): the chain step ends in `.catch(failBackgroundWake)`, so `observe` resolves unwired;
 * - `reject` (fix a): `observe` awaits the step before its catch, so it rejects;
 * - `retry` (fix b): each attempt uses a fresh DB, with bounded backoff, until wired; `observe` resolves only wired;
 * - `empty`: the error is treated as an empty stream and the handle is wired to an empty DB;
 * - `retry-same-db` (the obvious fix, and a trap): after a backoff, `preload()` again on the same DB, whose consumer
 *   already started; the second preload never settles and the wake hangs.
 * A `create`-mode handle (`mkdb`) that a first observe made is created through the agents server first, within the
 * same attempt as its preload (a failed create is handled as a failed preload); once wired, the rows it staged are
 * written.
 */
export class WiringChain {
  private tail: Promise<void> = Promise.resolve();
  private readonly unwired: SharedStateHandle[] = [];
  private firstError: unknown;
  private hasError = false;

  private readonly mode: WiringMode;

  constructor(
    private readonly env: V04Environment,
    private readonly entity: string,
    /** The wake the chain belongs to: every annotation names it, so a wake lingering beside the next stays apart. */
    private readonly wakeId: string,
    private readonly aborted: () => boolean,
    /** Writes, reads and creates shared states on behalf of the wake, with its token. */
    private readonly shared: WakeSharedState,
    /** Aborts a preload in flight when the wake loses its claim (a renewal refused, or `lease-fence=deadline`). */
    private readonly signal?: AbortSignal,
  ) {
    this.mode = env.config.wiring;
  }

  /** The first wiring error of the wake (`liveProcessError` upstream), if any. */
  get error(): { readonly value: unknown } | undefined {
    return this.hasError ? { value: this.firstError } : undefined;
  }

  /** Queues a handle for wiring; handles are wired in the order they were added. */
  add(handle: SharedStateHandle): void {
    this.unwired.push(handle);
  }

  /** Appends a "wire pending shared states" step and waits for it as `observe` does in the chosen mode. */
  async wirePendingAndWait(): Promise<void> {
    const step = this.tail.then(() => this.wirePending());
    this.tail = step.catch((error: unknown) => this.failBackgroundWake(error));
    // `reject` must see the error; `retry` only fails when a stop abandons it, and then it must not resolve either.
    await (this.mode === 'swallow' || this.mode === 'empty' ? this.tail : step);
  }

  /** Waits for every queued step (step 4 of processWake); never rejects. */
  settled(): Promise<void> {
    return this.tail;
  }

  /**
   * Wires a handle restored from the manifest directly, before the handler runs. Its error is not caught here: a
   * failure fails the wake (fail-closed) in every mode; `retry` and `empty` still apply inside {@link wire}.
   */
  wireRestored(handle: SharedStateHandle): Promise<void> {
    return this.wire(handle);
  }

  private async wirePending(): Promise<void> {
    // The first rejection aborts the walk; the failed handle stays first in line for the next pass.
    while (this.unwired.length > 0) {
      await this.wire(this.unwired[0]!);
      this.unwired.shift();
    }
  }

  /**
   * createSharedStateDb + preload + wireDb. The `retry` and `empty` fixes wrap the preload here, so they cover
   * restored and first-observed handles alike; `swallow` and `reject` let the error through (they differ only in how
   * the chain treats it).
   */
  private async wire(handle: SharedStateHandle): Promise<void> {
    const where = { entity: this.entity, wakeId: this.wakeId, sharedId: handle.id, restored: handle.restored };
    let backoffMs: number = RUNTIME_TIMING.wiringRetryInitialBackoffMs;
    const access = { write: this.shared.writerFor(handle.id), readHeaders: this.shared.readHeaders, ...(this.signal ? { signal: this.signal } : {}) };
    const openDb = () => createSharedStateDb(this.env, handle.id, access);
    let db = openDb();
    for (let attempt = 1; ; attempt += 1) {
      // `retry` takes a fresh DB per attempt: preload() again on a DB whose preload failed never settles, which is
      // exactly what `retry-same-db` does.
      if (attempt > 1 && this.mode === 'retry') db = openDb();
      try {
        if (handle.mode === 'create' && !handle.restored && !handle.created) {
          await this.shared.create(handle.id);
          handle.created = true;
          this.env.annotate('mkdb-created', where);
        }
        await db.preload();
        handle.wireDb(db);
        this.env.annotate('handle-wired', { ...where, empty: false });
        await this.flushStaged(handle, where);
        return;
      } catch (error) {
        const handling = HANDLING[this.mode];
        this.env.annotate('preload-failed', { ...where, attempt, error: describeError(error), handling });
        if (this.mode === 'swallow' || this.mode === 'reject') throw error;
        if (this.mode === 'empty') {
          handle.wireDb(openDb());
          this.env.annotate('handle-wired', { ...where, empty: true });
          await this.flushStaged(handle, where);
          return;
        }
      }
      await this.backoff(backoffMs);
      if (this.aborted()) throw new AbortedError(`wiring of ${handle.id} abandoned by stop`);
      backoffMs = Math.min(backoffMs * 2, RUNTIME_TIMING.wiringRetryMaxBackoffMs);
    }
  }

  /**
   * The wait between two attempts. With `lease-fence=deadline` a lost claim ends it at once, so that the wake is
   * abandoned before the service can grant the entity's next wake; otherwise (0.4.x) the wait runs its course.
   */
  private backoff(delayMs: number): Promise<void> {
    return this.env.config.leaseFence === 'deadline' && this.signal ? sleepUntilAborted(delayMs, this.signal) : sleep(delayMs);
  }

  /** Writes what a create-mode handle staged before it was wired (a failed write fails the wiring, rows stay staged). */
  private async flushStaged(handle: SharedStateHandle, where: { readonly [key: string]: string | boolean }): Promise<void> {
    const written = await handle.flushStaged();
    if (written > 0) this.env.annotate('staged-flushed', { ...where, rows: written });
  }

  private failBackgroundWake(error: unknown): void {
    this.env.annotate('wiring-failed', { entity: this.entity, wakeId: this.wakeId, error: describeError(error), code: 'SHARED_STATE_WIRING_FAILED' });
    if (this.hasError) return;
    this.hasError = true;
    this.firstError = error;
  }
}
