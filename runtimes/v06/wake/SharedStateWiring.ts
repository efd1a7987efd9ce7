import { errorLine } from '../http/ServiceError.ts';
import type { SharedDbHandle } from '../shared-state/SharedDbHandle.ts';
import type { SharedRowWriter } from '../shared-state/rowChanges.ts';
import { loadSharedDb } from './loadSharedDb.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';

/**
 * How one wake wires its shared-state handles (semantics.md §1, steps 2–4).
 *
 * Handles restored from the manifest are wired one by one before the handler runs, and a failure fails the wake
 * (fail-closed). Handles a first `observe` creates join a queue; every `observe` then adds a pass to the wake's promise
 * chain. A pass wires the queued handles in creation order and stops at the first failure, which stays first in the
 * queue for the next pass. The chain links passes with `.then(pass).catch(recordFailure)`, so a failed pass never
 * breaks the chain: the failure is recorded (the wake's first one is kept, `liveProcessError` upstream) and the next
 * pass runs. What `observe` waits for is where the `wiring` switch acts:
 * - `swallow` (0.6.3): the chain's link, which the catch has already settled — `observe` resolves, wired or not;
 * - `reject`: the pass — `observe` rejects with the wiring error;
 * - `retry`: the pass, which retries until wired — `observe` resolves wired, or rejects when a stop abandons it.
 */
export class SharedStateWiring {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued: SharedDbHandle[] = [];
  private liveProcessError: { readonly error: unknown } | undefined;

  constructor(
    private readonly env: WakeEnvironment,
    private readonly entity: string,
    /** Named in every annotation, so that a wake lingering beside the next one is told apart. */
    private readonly wakeId: string,
    private readonly writerFor: (sharedId: string) => SharedRowWriter,
  ) {}

  /** Step 2 for one restored handle: wired now, its failure thrown to the caller. */
  wireRestored(handle: SharedDbHandle): Promise<void> {
    return this.load(handle);
  }

  /** A first `observe` created `handle`: it waits for the next pass. */
  enqueue(handle: SharedDbHandle): void {
    this.queued.push(handle);
  }

  /** What `observe` awaits after creating or finding its handle (see the class comment). */
  passForObserve(): Promise<void> {
    const pass = this.chain.then(() => this.wireQueued());
    const link = pass.catch((error: unknown) => this.recordFailure(error));
    this.chain = link;
    return this.env.wiring === 'swallow' ? link : pass;
  }

  /** Step 4: waits until every pass added so far has run. Never rejects. */
  drained(): Promise<void> {
    return this.chain;
  }

  /** Throws the first failure a pass recorded, if any (step 4, after a handler that returned normally). */
  throwRecordedFailure(): void {
    if (this.liveProcessError) throw this.liveProcessError.error;
  }

  private async wireQueued(): Promise<void> {
    for (let head = this.queued[0]; head !== undefined; head = this.queued[0]) {
      await this.load(head);
      this.queued.shift();
    }
  }

  private load(handle: SharedDbHandle): Promise<void> {
    return loadSharedDb(this.env, this.entity, this.wakeId, handle, this.writerFor(handle.id));
  }

  /** `failBackgroundWake(err, 'SHARED_STATE_WIRING_FAILED')`: note the error; the running handler goes on. */
  private recordFailure(error: unknown): void {
    this.env.annotate('wiring-failed', { entity: this.entity, wakeId: this.wakeId, code: 'SHARED_STATE_WIRING_FAILED', error: errorLine(error) });
    if (this.liveProcessError === undefined) this.liveProcessError = { error };
  }
}
