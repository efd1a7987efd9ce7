import type { StreamAck, WakeNotification } from '../../../protocol/agents/agentsRoutes.ts';
import { errorLine } from '../http/ServiceError.ts';
import { readWakeInputs } from './readWakeInputs.ts';
import { WakeAbandoned } from './WakeAbandoned.ts';
import type { WakeEnvironment } from './WakeEnvironment.ts';
import { WakePass } from './WakePass.ts';

/**
 * How a wake ended: `completed`; `failed` (still acked: a failed wake is not retried, the next wake is the retry);
 * `abandoned` (a stop gave up on a wait of the wake; its claim is released without consuming anything).
 */
export type WakeEnd = 'completed' | 'failed' | 'abandoned';

/**
 * Runs one claimed wake, in the order of semantics.md §1 (see {@link WakePass} for each step): restore and wire the
 * manifest's handles; read the wake's inputs (the new items of each claimed stream with pending work); run the
 * handler; finish the pass (chain, staged rows, manifest commit, recorded wiring failure) or roll it back. Then `done`
 * goes out whatever happened — also while the runner stops (the fix of B6) — acking exactly what the wake read; an
 * abandoned wake acks nothing and only gives its claim back.
 */
export async function processWake(env: WakeEnvironment, wake: WakeNotification): Promise<WakeEnd> {
  const about = { entity: wake.entity.id, wakeId: wake.wake_id, generation: wake.generation };
  env.annotate('wake-start', about);
  const pass = new WakePass(env, wake);
  let acks: readonly StreamAck[] = [];
  let end: WakeEnd = 'completed';
  try {
    await pass.restoreHandles();
    const read = await readWakeInputs(env, wake);
    acks = read.acks;
    await pass.runHandler(read.inputs);
    await pass.finish();
  } catch (error) {
    const rolledBackRows = pass.rollBack();
    end = error instanceof WakeAbandoned ? 'abandoned' : 'failed';
    if (end === 'abandoned') acks = [];
    env.annotate(end === 'abandoned' ? 'wake-abandoned' : 'wake-failed', { ...about, error: errorLine(error), rolledBackRows });
  }
  await sendDone(env, wake, acks, end);
  return end;
}

/** Acks the wake as done; a refusal (a token lost to a server restart, a fenced generation) is reported, not thrown. */
async function sendDone(env: WakeEnvironment, wake: WakeNotification, acks: readonly StreamAck[], end: WakeEnd): Promise<void> {
  const about = { entity: wake.entity.id, wakeId: wake.wake_id };
  try {
    const answer = await env.agents.done(wake.wake_id, wake.write_token, { subscription_id: wake.subscription_id, generation: wake.generation, acks });
    // An abandoned wake only gave its claim back; the models follow `wake-acked` as the end of a wake that ran.
    env.annotate(end === 'abandoned' ? 'wake-released' : 'wake-acked', { ...about, end, nextWake: answer.next_wake });
  } catch (error) {
    env.annotate(end === 'abandoned' ? 'release-failed' : 'ack-failed', { ...about, end, error: errorLine(error) });
  }
}
