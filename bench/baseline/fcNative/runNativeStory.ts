import type fc from 'fast-check';
import type { RuntimeUnderTest } from '../../../protocol/host/RuntimeUnderTest.ts';
import { digestHandler, type IdempotencyCheck } from '../../../scenarios/daily-digest/digestEntity.ts';
import { FakeAgentsServer } from './FakeAgentsServer.ts';
import { FakeChat } from './FakeChat.ts';
import { FakeClock } from './FakeClock.ts';
import { FakePlatform } from './FakePlatform.ts';
import { FakePullWake } from './FakePullWake.ts';
import { FakeStreams } from './FakeStreams.ts';
import { workloadEndMs, type NativeStory, type StoryOptions } from './nativeStory.ts';

/** Fixed names of the story's one entity, runner and streams. */
const ENTITY = 'digest-1';
const ENTITY_TYPE = 'digest';
const RUNNER_ID = 'runner-1';
const SHARED_ID = 'digest-log';
const INBOX = `entities/${ENTITY}/inbox`;
const CRON_STREAM = 'cron/daily-digest';
const WAKE_STREAM = `runners/${RUNNER_ID}/wake`;
/** Wall-clock time at the start of every run (any fixed value: a run must not depend on the real date). */
const EPOCH_MS = Date.UTC(2026, 0, 1);

/** The system under test and how the fakes around it are set up. */
export interface NativeSetup {
  readonly runtime: RuntimeUnderTest;
  /** Every switch of the runtime, by name. */
  readonly config: Readonly<Record<string, string>>;
  /** How the digest entity checks whether a day was posted (its own code's switch). */
  readonly idempotency: IdempotencyCheck;
  readonly story: StoryOptions;
  readonly leaseTtlMs: number;
  readonly longPollTimeoutMs: number;
  readonly stopGraceMs: number;
  /**
   * When fake time moves: `recipe`, fast-check's documented recipe for native timers (one "advance timers" task queued
   * beside the requests and answers, picked like any of them, so a request may wait through any number of timers);
   * `idle`, only once no request or answer is waiting (the network takes no time; fast-check orders what is in flight).
   */
  readonly timers: TimerPolicy;
  /** Scheduler tasks one run may release at most (a safety net: a run normally ends at its horizon). */
  readonly maxSteps: number;
}

/** The ways fake time may move in a native run (see {@link NativeSetup.timers}), for the bench's options. */
export const TIMER_POLICIES = ['recipe', 'idle'] as const;
/** When fake time moves in a native run: `recipe` (fast-check's documented recipe) or `idle`. */
export type TimerPolicy = (typeof TIMER_POLICIES)[number];

/** What one run showed. */
export interface NativeOutcome {
  /** Actions the chat received more than once (`digest:0`, `reply:1`). */
  readonly duplicates: readonly string[];
  /** Scheduler tasks released (requests, answers, timer advances). */
  readonly steps: number;
  readonly hostsStarted: number;
  /** Fake milliseconds the run covered. */
  readonly elapsedMs: number;
}

// Taken before any fake clock is installed: the loop's own hop between scheduler steps.
const realSetImmediate = globalThis.setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * Runs one story: the fakes, the first host, the cron ticks, messages and redeploys on the fake clock, then fast-check's
 * scheduler releasing one task at a time until the horizon (the workload's end plus a quiet period) or until nothing
 * is left to release. Time follows fast-check's recipe for native timers: while timers are pending, one scheduler task
 * "advance timers" is queued beside the others; when `s` picks it, the clock jumps to the next timer and fires it.
 * The recipe wraps this in an `act`; here the loop re-arms it after draining the microtasks of each released task,
 * which is the same policy but also sees timers set by continuations that run after an `act` returns. With
 * `timers: 'idle'` the task is queued only when nothing else is.
 */
export async function runNativeStory(s: fc.Scheduler, story: NativeStory, setup: NativeSetup): Promise<NativeOutcome> {
  const clock = new FakeClock(EPOCH_MS);
  clock.install();
  try {
    const streams = new FakeStreams(clock, story.preloadPlan, setup.longPollTimeoutMs);
    for (const stream of [INBOX, CRON_STREAM, WAKE_STREAM, `shared/${SHARED_ID}`]) streams.create(stream);
    const subscription = new FakePullWake(clock, streams, `sub:${ENTITY}`, [INBOX, CRON_STREAM], WAKE_STREAM, setup.leaseTtlMs);
    const offset = setup.config['offset'] ?? 'minus-one';
    const agents = new FakeAgentsServer(streams, { id: ENTITY, type: ENTITY_TYPE, subscription }, { leaseTtlMs: setup.leaseTtlMs, resumeFromHeartbeat: offset === 'durable' || offset === 'durable-raw' });
    const chat = new FakeChat();
    const schedule = { name: 'daily-digest', firstDueAtMs: setup.story.firstDueAtMs, periodMs: setup.story.dayMs, count: story.occurrences };
    const platform = new FakePlatform(s, clock, { streams, agents, chat }, {
      runtime: setup.runtime,
      config: setup.config,
      runnerId: RUNNER_ID,
      stopGraceMs: setup.stopGraceMs,
      handlersFor: (post) =>
        new Map([
          [
            ENTITY_TYPE,
            digestHandler(
              { entity: ENTITY, inbox: INBOX, sharedId: SHARED_ID, schedule, idempotency: setup.idempotency },
              {
                post: async (action, text) => {
                  const status = await post('/channels/digests/messages', { entity: ENTITY, action, text });
                  if (status >= 300) throw new Error(`chat answered ${status}`);
                },
                probe: () => {},
                nowMs: () => Date.now() - EPOCH_MS,
              },
            ),
          ],
        ]),
    });
    platform.startHost();
    for (let tick = 0; tick < story.occurrences; tick += 1) {
      const dueAtMs = setup.story.firstDueAtMs + tick * setup.story.dayMs;
      clock.setTimer(dueAtMs, () => streams.append(CRON_STREAM, { type: 'cron-tick', schedule: 'daily-digest', tick, due_at_ms: dueAtMs }));
    }
    story.messagesAtMs.forEach((atMs, index) => clock.setTimer(atMs, () => streams.append(INBOX, { type: 'message', index })));
    for (const redeploy of story.redeploys) clock.setTimer(redeploy.atMs, () => void platform.redeploy(redeploy.restartDelayMs));

    const horizonMs = workloadEndMs(setup.story, story.occurrences) + setup.story.quietPeriodMs;
    let advanceQueued = false;
    let pastHorizon = false;
    const queueTimerAdvance = (): void => {
      if (advanceQueued || clock.pendingTimers === 0) return;
      advanceQueued = true;
      void s.schedule(Promise.resolve('advance timers'), 'advance timers').then(() => {
        advanceQueued = false;
        const next = clock.nextDueElapsedMs();
        if (next === undefined || next > horizonMs) pastHorizon = true;
        else clock.advanceToNextTimer();
      });
    };
    let steps = 0;
    for (; steps < setup.maxSteps; steps += 1) {
      await drain();
      if (pastHorizon) break;
      if (setup.timers === 'recipe' || s.count() === 0) queueTimerAdvance();
      if (s.count() === 0) break;
      await s.waitNext(1);
    }
    await drain();
    return { duplicates: chat.duplicates(), steps, hostsStarted: platform.started, elapsedMs: clock.elapsedMs };
  } finally {
    clock.uninstall();
  }
}
