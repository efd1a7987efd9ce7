import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createRunnerLifecycle, lifecycleStateName, type LifecycleWork } from '../../../runtimes/v06/lifecycle/runnerLifecycle.ts';
import { deferred, settle, type Deferred } from './settle.ts';

/** A stream the test hands out from `connect`; it records whether the lifecycle closed it. */
class FakeStream {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

/** Work whose every call the test settles by hand, recording the signals it was given. */
class ScriptedWork implements LifecycleWork<FakeStream> {
  readonly connects: Array<{ signal: AbortSignal; outcome: Deferred<FakeStream> }> = [];
  readonly follows: Array<{ stream: FakeStream; signal: AbortSignal; outcome: Deferred<unknown> }> = [];
  readonly drains: Array<Deferred<void>> = [];
  stopsBegun = 0;

  connect(signal: AbortSignal): Promise<FakeStream> {
    const outcome = deferred<FakeStream>();
    this.connects.push({ signal, outcome });
    return outcome.promise;
  }

  follow(stream: FakeStream, signal: AbortSignal): Promise<unknown> {
    const outcome = deferred<unknown>();
    this.follows.push({ stream, signal, outcome });
    return outcome.promise;
  }

  beginStop(): void {
    this.stopsBegun += 1;
  }

  drain(): Promise<void> {
    const outcome = deferred<void>();
    this.drains.push(outcome);
    return outcome.promise;
  }
}

function startLifecycle() {
  const work = new ScriptedWork();
  const clock = new SimulatedClock();
  const actor = createActor(createRunnerLifecycle(work, { firstMs: 1_000, maxMs: 30_000 }), { clock });
  actor.start();
  const state = (): string => lifecycleStateName(actor.getSnapshot());
  return { work, clock, actor, state };
}

/** Runs the lifecycle to `running.streaming` on its first connect. */
async function streaming() {
  const setup = startLifecycle();
  setup.actor.send({ type: 'START' });
  setup.work.connects[0]!.outcome.resolve(new FakeStream());
  await settle();
  expect(setup.state()).toBe('streaming');
  return setup;
}

/** Runs the lifecycle to `running.reconnecting` after a failed first connect. */
async function reconnecting() {
  const setup = startLifecycle();
  setup.actor.send({ type: 'START' });
  setup.work.connects[0]!.outcome.reject(new TypeError('fetch failed'));
  await settle();
  expect(setup.state()).toBe('reconnecting');
  return setup;
}

describe('v0.6 runner lifecycle machine', () => {
  it('starts stopped, connects on START and streams once the first answer arrived', async () => {
    const { work, actor, state } = startLifecycle();
    expect(state()).toBe('stopped');
    expect(work.connects).toHaveLength(0);
    actor.send({ type: 'START' });
    expect(state()).toBe('connecting');
    expect(work.connects).toHaveLength(1);
    const stream = new FakeStream();
    work.connects[0]!.outcome.resolve(stream);
    await settle();
    expect(state()).toBe('streaming');
    expect(work.follows.map((follow) => follow.stream)).toEqual([stream]);
  });

  it('reconnects after a connect error once the backoff has passed, and not before', async () => {
    const { work, clock, state } = await reconnecting();
    clock.increment(999);
    expect(state()).toBe('reconnecting');
    expect(work.connects).toHaveLength(1);
    clock.increment(1);
    expect(state()).toBe('connecting');
    expect(work.connects).toHaveLength(2);
  });

  it('doubles the backoff per failed connect up to 30 s and resets it once streaming', async () => {
    const { work, clock, actor, state } = startLifecycle();
    actor.send({ type: 'START' });
    const waits: number[] = [];
    for (let failure = 0; failure < 7; failure += 1) {
      work.connects.at(-1)!.outcome.reject(new TypeError('fetch failed'));
      await settle();
      let waitedMs = 0;
      while (state() === 'reconnecting') {
        clock.increment(500);
        waitedMs += 500;
      }
      waits.push(waitedMs);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    work.connects.at(-1)!.outcome.resolve(new FakeStream());
    await settle();
    expect(state()).toBe('streaming');
    work.follows.at(-1)!.outcome.reject(new Error('long-poll failed'));
    await settle();
    expect(state()).toBe('reconnecting');
    expect(actor.getSnapshot().context.backoffMs).toBe(1_000);
  });

  it('reconnects when the stream fails or ends while streaming, closing the stream', async () => {
    for (const end of ['fails', 'ends'] as const) {
      const { work, state } = await streaming();
      const follow = work.follows[0]!;
      if (end === 'fails') follow.outcome.reject(new Error('stream error'));
      else follow.outcome.resolve(undefined);
      await settle();
      expect(state(), end).toBe('reconnecting');
      expect(follow.stream.closed, end).toBe(true);
    }
  });

  describe('STREAM_RESET (B5: accepted in every running state)', () => {
    it('in connecting: abandons a connect that may never answer, and reconnects after the backoff', async () => {
      const { work, clock, actor, state } = startLifecycle();
      actor.send({ type: 'START' });
      const hungConnect = work.connects[0]!;
      expect(actor.getSnapshot().can({ type: 'STREAM_RESET' })).toBe(true);
      actor.send({ type: 'STREAM_RESET' });
      expect(state()).toBe('reconnecting');
      expect(hungConnect.signal.aborted).toBe(true);
      clock.increment(1_000);
      expect(state()).toBe('connecting');
      expect(work.connects).toHaveLength(2);
    });

    it('in streaming: aborts the read and closes the stream', async () => {
      const { work, actor, state } = await streaming();
      const follow = work.follows[0]!;
      expect(actor.getSnapshot().can({ type: 'STREAM_RESET' })).toBe(true);
      actor.send({ type: 'STREAM_RESET' });
      expect(state()).toBe('reconnecting');
      expect(follow.signal.aborted).toBe(true);
      expect(follow.stream.closed).toBe(true);
    });

    it('in reconnecting: accepted without restarting the backoff', async () => {
      const { work, clock, actor, state } = await reconnecting();
      clock.increment(600);
      expect(actor.getSnapshot().can({ type: 'STREAM_RESET' })).toBe(true);
      actor.send({ type: 'STREAM_RESET' });
      expect(state()).toBe('reconnecting');
      clock.increment(400);
      expect(state()).toBe('connecting');
      expect(work.connects).toHaveLength(2);
    });

    it('is not taken while stopped or stopping', async () => {
      const { actor, state, work } = await streaming();
      actor.send({ type: 'STOP' });
      expect(actor.getSnapshot().can({ type: 'STREAM_RESET' })).toBe(false);
      actor.send({ type: 'STREAM_RESET' });
      expect(state()).toBe('stopping');
      work.drains[0]!.resolve();
      await settle();
      expect(state()).toBe('stopped');
      expect(actor.getSnapshot().can({ type: 'STREAM_RESET' })).toBe(false);
    });
  });

  describe('STOP', () => {
    it('while connecting: abandons the connect, begins the stop at once, and is stopped when the drain is done', async () => {
      const { work, actor, state } = startLifecycle();
      actor.send({ type: 'START' });
      const connect = work.connects[0]!;
      actor.send({ type: 'STOP' });
      expect(state()).toBe('stopping');
      expect(connect.signal.aborted).toBe(true);
      expect(work.stopsBegun).toBe(1);
      expect(work.drains).toHaveLength(1);
      // A connect that answers after all is ignored: the lifecycle does not go back to streaming.
      connect.outcome.resolve(new FakeStream());
      await settle();
      expect(state()).toBe('stopping');
      expect(work.follows).toHaveLength(0);
      work.drains[0]!.resolve();
      await settle();
      expect(state()).toBe('stopped');
    });

    it('while streaming: aborts the read and closes the stream', async () => {
      const { work, actor, state } = await streaming();
      actor.send({ type: 'STOP' });
      expect(state()).toBe('stopping');
      expect(work.follows[0]!.signal.aborted).toBe(true);
      expect(work.follows[0]!.stream.closed).toBe(true);
    });

    it('while reconnecting: no connect follows the backoff', async () => {
      const { work, clock, actor, state } = await reconnecting();
      actor.send({ type: 'STOP' });
      expect(state()).toBe('stopping');
      clock.increment(60_000);
      expect(work.connects).toHaveLength(1);
      work.drains[0]!.reject(new Error('a drain step failed'));
      await settle();
      expect(state()).toBe('stopped');
    });

    it('is ignored while stopped', () => {
      const { work, actor, state } = startLifecycle();
      actor.send({ type: 'STOP' });
      expect(state()).toBe('stopped');
      expect(work.stopsBegun).toBe(0);
    });

    it('leaves a lifecycle that can start again', async () => {
      const { work, actor, state } = await streaming();
      actor.send({ type: 'STOP' });
      work.drains[0]!.resolve();
      await settle();
      actor.send({ type: 'START' });
      expect(state()).toBe('connecting');
      expect(work.connects).toHaveLength(2);
    });
  });
});
