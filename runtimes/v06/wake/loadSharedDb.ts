import { V06_TIMING } from '../config/timing.ts';
import { errorLine } from '../http/ServiceError.ts';
import type { SharedDbHandle } from '../shared-state/SharedDbHandle.ts';
import type { SharedRowWriter } from '../shared-state/rowChanges.ts';
import { SharedStateDb } from '../shared-state/SharedStateDb.ts';
import { waitUnlessStopped } from './WakeAbandoned.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';

/**
 * Creates the shared-state DB of `handle`, preloads it and wires the handle to it (createSharedStateDb + preload +
 * wireDb upstream). With `wiring=swallow` or `reject` a failed preload rejects at once — the two differ only in how the
 * wiring chain treats the rejection. With `wiring=retry` every attempt takes a fresh DB (preload() again on a DB whose
 * preload failed never settles) after a backoff of 100 ms doubling to 2 s, until wired or until a stop abandons it
 * (then it rejects with `WakeAbandoned`).
 */
export async function loadSharedDb(env: WakeEnvironment, entity: string, wakeId: string, handle: SharedDbHandle, writer: SharedRowWriter): Promise<void> {
  const where = { entity, wakeId, sharedId: handle.id, restored: handle.restored };
  let backoffMs: number = V06_TIMING.wiringRetryFirstBackoffMs;
  for (let attempt = 1; ; attempt += 1) {
    const db = new SharedStateDb(env.fetch, env.streamsBaseUrl, handle.id, writer);
    try {
      await db.preload();
      handle.wire(db);
      env.annotate('handle-wired', { ...where, attempt, empty: false, controlEvents: db.controlEventsSeen });
      return;
    } catch (error) {
      db.close();
      env.annotate('preload-failed', { ...where, attempt, error: errorLine(error), handling: env.wiring === 'retry' ? 'retry' : 'propagate' });
      if (env.wiring !== 'retry') throw error;
    }
    await waitUnlessStopped(backoffMs, env.stopSignal, `wiring of shared DB "${handle.id}"`);
    backoffMs = Math.min(backoffMs * 2, V06_TIMING.wiringRetryMaxBackoffMs);
  }
}
