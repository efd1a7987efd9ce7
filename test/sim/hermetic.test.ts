import { connect, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runAsActor } from '../../sim/actors/actorContext.ts';
import { actorErrorMessage, type ActorError } from '../../sim/hermetic/ActorErrors.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { runSeed } from '../../sim/explore/runSeed.ts';
import { VIRTUAL_EPOCH_MS } from '../../sim/hermetic/HermeticOptions.ts';
import { HermeticLeakError, LEAK_EVENT_KIND, type Leak } from '../../sim/hermetic/LeakReport.ts';
import { HermeticGlobals, installedHermeticGlobals } from '../../sim/hermetic/VirtualGlobals.ts';
import { runLoop } from '../../sim/run/runLoop.ts';
import { Scheduler } from '../../sim/scheduler/Scheduler.ts';
import { buildDigestWorld, endWorkloadWithQuietPeriod, setUpDailyDigest } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { DEFAULT_DIGEST_OPTIONS, type DigestScenarioOptions } from '../../scenarios/daily-digest/DigestScenarioOptions.ts';
import { DigestSession } from '../../scenarios/daily-digest/DigestSession.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import type { EntityHandler } from '../../protocol/entity/EntityHandler.ts';
import { ALL_FAULTS, BOTH_FIXES, digestSpec, V04 } from '../acceptance/helpers.ts';

/** One day, no other traffic, no faults: one wake of the entity, so a planted call runs exactly once. */
const ONE_WAKE: readonly number[] = [];

/** The daily-digest scenario with planted options, and optionally a crash of the first host at a given time. */
function plantedDigest(options: Partial<DigestScenarioOptions> & { readonly crashAtMs?: number }): Scenario {
  return {
    name: 'daily-digest',
    summary: 'planted for hermetic tests',
    followedByComposedModel: true,
    setUp: (sim, spec, runtime) => {
      const digestOptions = { ...DEFAULT_DIGEST_OPTIONS, ...options };
      const schedule = { name: 'daily-digest', firstDueAtMs: digestOptions.firstDueAtMs, periodMs: digestOptions.dayMs, count: 1 };
      const digest = buildDigestWorld(sim, spec, runtime, digestOptions, schedule);
      const crashAtMs = options.crashAtMs;
      if (crashAtMs !== undefined) sim.scheduler.schedule(crashAtMs, 'test', 'kill host#1', () => void digest.supervisor.crash());
      return endWorkloadWithQuietPeriod(sim, digest, digestOptions, schedule.firstDueAtMs + schedule.periodMs);
    },
  };
}

/** The daily-digest scenario with `call` made by the simulator's own code (a task outside every process). */
function plantedInWorld(call: () => unknown): Scenario {
  return {
    name: 'daily-digest',
    summary: 'planted in the world',
    followedByComposedModel: true,
    setUp: (sim, spec, runtime) => {
      const setup = setUpDailyDigest(sim, spec, runtime, DEFAULT_DIGEST_OPTIONS);
      sim.scheduler.schedule(60_030, 'world', 'planted call', () => void call());
      return setup;
    },
  };
}

const hermeticViolations = (result: RunResult) => result.violations.filter((violation) => violation.property === 'hermetic');
const leakEvents = (result: RunResult) => result.events.filter((event) => event.kind === LEAK_EVENT_KIND);

/** Every global a hermetic run replaces, as it is outside a run. */
function globalsNow(): unknown[] {
  return [
    globalThis.setTimeout,
    globalThis.setInterval,
    globalThis.setImmediate,
    globalThis.clearTimeout,
    globalThis.clearInterval,
    globalThis.clearImmediate,
    globalThis.Date,
    Date.now,
    Object.getOwnPropertyDescriptor(performance, 'now'),
    process.hrtime,
    AbortSignal.timeout,
    Math.random,
    Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID'),
    Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues'),
    globalThis.fetch,
    Socket.prototype.connect,
  ];
}

describe('hermetic runs: the simulator\'s own code', () => {
  it.each([
    ['setTimeout', () => setTimeout(() => {}, 5)],
    ['Date.now', () => Date.now()],
    ['Math.random', () => Math.random()],
    ['new Date()', () => new Date()],
    ['performance.now', () => performance.now()],
    ['setInterval', () => clearInterval(setInterval(() => {}, 5))],
    ['crypto.randomUUID', () => crypto.randomUUID()],
  ])('catches a planted %s outside every simulated process and fails the run with a message naming it and its caller', async (api, call) => {
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(ONE_WAKE), { scenario: plantedInWorld(call) });
    const [violation, ...others] = hermeticViolations(result);
    expect(others).toEqual([]);
    expect(violation!.message).toMatch(new RegExp(`^hermetic run: ${api.replace(/[.()]/g, '\\$&')} called from test/sim/hermetic\\.test\\.ts:\\d+ during a simulated run`));
    // The leak is in the trace where it happened, so a replay shows it, and the violation points at it.
    const [event] = leakEvents(result);
    expect(event).toMatchObject({ actor: 'hermetic', detail: { api, caller: expect.stringMatching(/^test\/sim\/hermetic\.test\.ts:\d+$/) } });
    expect(result.events[violation!.eventIndex!]).toBe(event);
  });

  it('reports each leaking place once however often it leaks, and every distinct place', async () => {
    const plant = plantedInWorld(() => {
      for (let index = 0; index < 100; index += 1) Math.random();
      Date.now();
    });
    const result = await runScenario(digestSpec(V04, []), new RecordedChoiceSource([2]), { scenario: plant });
    expect(leakEvents(result).map((event) => event.detail['api'])).toEqual(['Math.random', 'Date.now']);
  });
});

describe('hermetic runs: the code under simulation uses its process\'s globals', () => {
  it('serves timers, clocks and randomness inside a process from the simulation, with no leak and the same hash run after run', async () => {
    const observed: number[] = [];
    const plantInHandler = (handler: EntityHandler): EntityHandler => async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.floor(Math.random() * 100)));
      observed.push(Date.now(), Math.random(), performance.now());
      return handler(ctx);
    };
    const runs = [];
    for (let round = 0; round < 2; round += 1) {
      observed.length = 0;
      const result = await runScenario(digestSpec(V04), new RandomChoiceSource(11), { scenario: plantedDigest({ plantInHandler }) });
      runs.push({ hash: result.traceHash, observed: [...observed], result });
    }
    const [first, second] = runs;
    expect(hermeticViolations(first!.result)).toEqual([]);
    expect(second!.hash).toBe(first!.hash);
    expect(second!.observed).toEqual(first!.observed);
    // A process's timer is a task of that process.
    expect(first!.result.events.some((event) => event.actor === 'host#1' && event.kind === 'step' && /^setTimeout \d+ ms$/.test(String(event.detail['task'])))).toBe(true);
    expect(first!.observed[0]).toBeGreaterThan(VIRTUAL_EPOCH_MS);
  });

  it('takes a process\'s timers with it when the process dies', async () => {
    const plantInHandler = (handler: EntityHandler): EntityHandler => async (ctx) => {
      setTimeout(() => {}, 3_600_000);
      return handler(ctx);
    };
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(ONE_WAKE), { scenario: plantedDigest({ plantInHandler, crashAtMs: 120_000 }) });
    const exit = result.events.findIndex((event) => event.kind === 'process-exit' && event.actor === 'host#1');
    expect(exit).toBeGreaterThan(0);
    expect(result.events.slice(exit).some((event) => event.actor === 'host#1' && event.kind === 'step')).toBe(false);
  });

  it('routes the global fetch of a process to its simulated network: the services see the process as the peer', async () => {
    const answers: number[] = [];
    const errors: string[] = [];
    const plant = (handler: EntityHandler): EntityHandler => async (ctx) => {
      const response = await fetch('http://chat.sim/channels/probe/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity: 'probe', action: 'hello' }),
      });
      answers.push(response.status);
      await fetch('http://127.0.0.1:9/digest').catch((error: Error) => errors.push(String(error.cause ?? error.message)));
      return handler(ctx);
    };
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(ONE_WAKE), { scenario: plantedDigest({ plantInHandler: plant }) });
    expect(answers).toEqual([201]);
    expect(result.events.find((event) => event.kind === 'action-performed' && event.detail['action'] === 'hello')?.detail['peer']).toBe('host#1');
    // No real network: an address no simulated service answers is a refused connection, and no leak.
    expect(errors).toEqual([expect.stringMatching(/ECONNREFUSED 127\.0\.0\.1:9/)]);
    expect(hermeticViolations(result)).toEqual([]);
  });

  it('catches a real socket anywhere, and never opens a connection', async () => {
    const errors: string[] = [];
    const plant = (handler: EntityHandler): EntityHandler => async (ctx) => {
      try {
        connect({ host: '127.0.0.1', port: 9 });
      } catch (error) {
        errors.push((error as Error).message);
      }
      return handler(ctx);
    };
    const result = await runScenario(digestSpec(BOTH_FIXES, []), new RecordedChoiceSource(ONE_WAKE), { scenario: plantedDigest({ plantInHandler: plant }) });
    const messages = hermeticViolations(result).map((violation) => violation.message);
    expect(messages).toEqual([expect.stringMatching(/^hermetic run: net\.Socket\.connect \(127\.0\.0\.1:9\) called from test\/sim\/hermetic\.test\.ts:\d+ /)]);
    expect(errors).toEqual(messages);
  });
});

describe('hermetic runs: installation', () => {
  it('puts every global back after a run', async () => {
    const before = globalsNow();
    await runScenario(digestSpec(V04), new RandomChoiceSource(7));
    expect(globalsNow()).toEqual(before);
    expect(installedHermeticGlobals()).toBeUndefined();
  });

  it('puts every global back after a run whose setUp throws, and after one whose loop throws', async () => {
    const before = globalsNow();
    const setUpThrows: Scenario = {
      name: 'daily-digest',
      summary: 'throws in setUp',
      followedByComposedModel: true,
      setUp: () => {
        throw new Error('planted setUp failure');
      },
    };
    await expect(runScenario(digestSpec(V04), new RecordedChoiceSource([]), { scenario: setUpThrows })).rejects.toThrow('planted setUp failure');
    expect(globalsNow()).toEqual(before);
    const stepThrows: Scenario = {
      name: 'daily-digest',
      summary: 'a task throws',
      followedByComposedModel: true,
      setUp: (sim, spec, runtime) => {
        const setup = setUpDailyDigest(sim, spec, runtime, DEFAULT_DIGEST_OPTIONS);
        sim.scheduler.schedule(10, 'test', 'throw', () => {
          throw new Error('planted step failure');
        });
        return setup;
      },
    };
    await expect(runScenario(digestSpec(V04), new RecordedChoiceSource([]), { scenario: stepThrows })).rejects.toThrow('planted step failure');
    expect(globalsNow()).toEqual(before);
    expect(installedHermeticGlobals()).toBeUndefined();
  });

  it('refuses a second run while one is in flight in the same process', async () => {
    const first = new HermeticGlobals(new Scheduler(new RecordedChoiceSource([])), { mode: 'forbid' });
    await first.run(async () => {
      const second = new HermeticGlobals(new Scheduler(new RecordedChoiceSource([])), { mode: 'forbid' });
      expect(() => second.install()).toThrow(/simulated runs must not overlap/);
      await expect(runScenario(digestSpec(V04), new RecordedChoiceSource([]))).rejects.toThrow(/must not overlap/);
    });
    expect(installedHermeticGlobals()).toBeUndefined();
  });

  it('records nothing in a clean run: no leak event, no violation', async () => {
    for (let index = 0; index < 20; index += 1) {
      const spec = digestSpec(index % 2 === 0 ? V04 : BOTH_FIXES, ALL_FAULTS);
      const result = await runScenario(spec, new RandomChoiceSource(runSeed(99, index)));
      expect(leakEvents(result)).toEqual([]);
      expect(hermeticViolations(result)).toEqual([]);
    }
  });

  it('keeps timers set before a run real, and lets them be cleared during one', async () => {
    let fired = false;
    const real = setTimeout(() => (fired = true), 1);
    const hermetic = new HermeticGlobals(new Scheduler(new RecordedChoiceSource([])), { mode: 'forbid' });
    hermetic.runSync(() => clearTimeout(real));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
    expect(hermetic.leaks).toEqual([]);
  });
});

describe('hermetic runs: virtualised globals', () => {
  /** Runs `body` under virtualised globals over a fresh scheduler, then the loop to `horizonMs`. */
  async function virtualised(body: (scheduler: Scheduler) => void, horizonMs = 10_000): Promise<{ scheduler: Scheduler; hermetic: HermeticGlobals }> {
    const scheduler = new Scheduler(new RecordedChoiceSource([]));
    const hermetic = new HermeticGlobals(scheduler, { mode: 'virtualise' });
    await hermetic.run(async () => {
      body(scheduler);
      await runLoop(scheduler, { horizonMs, maxSteps: 1_000 });
    });
    return { scheduler, hermetic };
  }

  it('fires timers in virtual time: timeouts, intervals, immediates, refresh and clear', async () => {
    const fired: Array<[string, number]> = [];
    const { hermetic } = await virtualised((scheduler) => {
      const at = (label: string) => () => fired.push([label, scheduler.nowMs]);
      setTimeout(at('timeout 300'), 300);
      setTimeout(at('timeout 0'), 0);
      setImmediate(at('immediate'));
      const interval = setInterval(() => {
        at('interval')();
        if (fired.filter(([label]) => label === 'interval').length === 3) clearInterval(interval);
      }, 100);
      clearTimeout(setTimeout(at('cleared'), 50));
      const refreshed = setTimeout(at('refreshed'), 200);
      setTimeout(() => refreshed.refresh(), 150);
      AbortSignal.timeout(250).addEventListener('abort', at('abort signal'));
      expect(+refreshed).toBeGreaterThan(0);
      expect(refreshed.unref().hasRef()).toBe(true);
    });
    expect(fired).toEqual([
      ['immediate', 0],
      ['timeout 0', 1],
      ['interval', 100],
      ['interval', 200],
      ['abort signal', 250],
      ['timeout 300', 300],
      ['interval', 300],
      ['refreshed', 350],
    ]);
    expect(hermetic.leaks).toEqual([]);
    expect(hermetic.timers.pendingCount).toBe(0);
  });

  it('reads virtual time from Date, performance.now and process.hrtime; Date stays Date', async () => {
    const seen: unknown[] = [];
    await virtualised((scheduler) => {
      scheduler.schedule(1_234, 'test', 'read clocks', () => {
        const date = new Date();
        seen.push(Date.now(), date.getTime(), performance.now(), process.hrtime(), process.hrtime.bigint(), date instanceof Date, Date());
        seen.push(new Date(0).toISOString(), Date.UTC(2000, 0, 1));
        class Stamp extends Date {}
        seen.push(new Stamp().getTime(), new Stamp() instanceof Date);
      });
    });
    const now = VIRTUAL_EPOCH_MS + 1_234;
    expect(seen).toEqual([now, now, 1_234, [1, 234_000_000], 1_234_000_000n, true, new Date(now).toString(), '1970-01-01T00:00:00.000Z', 946_684_800_000, now, true]);
    // Outside the run the real clock is back.
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1_000);
  });

  it('draws the same randomness in every run, from a seed, without recording a choice', async () => {
    const draw = async (randomSeed?: number): Promise<unknown[]> => {
      const values: unknown[] = [];
      const choices = new RecordedChoiceSource([]);
      const hermetic = new HermeticGlobals(new Scheduler(choices), { mode: 'virtualise', ...(randomSeed === undefined ? {} : { randomSeed }) });
      hermetic.runSync(() => values.push(Math.random(), Math.random(), crypto.randomUUID(), [...crypto.getRandomValues(new Uint8Array(6))]));
      expect(choices.recorded).toEqual([]);
      return values;
    };
    const first = await draw();
    expect(await draw()).toEqual(first);
    expect(await draw(42)).not.toEqual(first);
    expect(first[0]).toBeGreaterThanOrEqual(0);
    expect(first[0]).toBeLessThan(1);
    expect(first[2]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('hermetic runs: DigestSession', () => {
  it('throws from advance when the code under simulation leaked, naming the call', async () => {
    const plantInHandler = (handler: EntityHandler): EntityHandler => async (ctx) => {
      try {
        connect({ host: '127.0.0.1', port: 9 });
      } catch {
        // The leak is what the test looks for.
      }
      return handler(ctx);
    };
    const session = new DigestSession(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]), 1, { ...DEFAULT_DIGEST_OPTIONS, plantInHandler });
    const advanced = session.untilNextOccurrence().then(() => session.advance(60_000));
    await expect(advanced).rejects.toThrow(HermeticLeakError);
    await expect(advanced).rejects.toThrow(/hermetic run: net\.Socket\.connect \(127\.0\.0\.1:9\) called from test\/sim\/hermetic\.test\.ts:\d+/);
    expect(session.events.some((event) => event.kind === LEAK_EVENT_KIND)).toBe(true);
    expect(installedHermeticGlobals()).toBeUndefined();
  });

  it('runs clean sessions as before', async () => {
    const session = new DigestSession(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]), 1);
    await session.untilNextOccurrence();
    await session.advance(60_000);
    expect(session.posts()).toEqual(new Map([[0, 1]]));
    expect(session.leaks satisfies readonly Leak[]).toEqual([]);
  });
});

describe('hermetic runs: errors an actor never handled', () => {
  /**
   * Runs `body` under virtualised globals over a fresh scheduler, then the loop; the handler takes the errors of
   * actors named `p#…` into `errors` and no other. Only `listener` (and no listener of vitest's) hears the process's
   * `unhandledRejection` meanwhile; what is registered afterwards is returned.
   */
  async function withListener(body: () => void, errors: ActorError[], listener: (reason: unknown) => void, once = false): Promise<Function[]> {
    const vitestListeners = process.rawListeners('unhandledRejection') as ((...args: unknown[]) => void)[];
    process.removeAllListeners('unhandledRejection');
    if (once) process.once('unhandledRejection', listener);
    else process.on('unhandledRejection', listener);
    try {
      const scheduler = new Scheduler(new RecordedChoiceSource([]));
      const hermetic = new HermeticGlobals(scheduler, { mode: 'virtualise' });
      hermetic.handleActorErrors((error) => error.actor.startsWith('p#') && errors.push(error) > 0);
      await hermetic.run(async () => {
        body();
        await runLoop(scheduler, { horizonMs: 10_000, maxSteps: 100 });
      });
      return process.listeners('unhandledRejection');
    } finally {
      process.removeAllListeners('unhandledRejection');
      for (const vitestListener of vitestListeners) process.on('unhandledRejection', vitestListener);
    }
  }

  it("routes an actor's unhandled rejection and a throw from its timer to the handler, with the actor", async () => {
    const errors: ActorError[] = [];
    await withListener(() => runAsActor('p#1', () => {
      void Promise.reject(new Error('nobody listens'));
      setTimeout(() => {
        throw new TypeError('from a timer');
      }, 5);
    }), errors, () => {});
    expect(errors.map(({ actor, kind, error }) => [actor, kind, actorErrorMessage(error)])).toEqual([
      ['p#1', 'unhandled-rejection', 'Error: nobody listens'],
      ['p#1', 'uncaught-exception', 'TypeError: from a timer'],
    ]);
  });

  it('blames a rejection on the actor that made the promise, not the one that rejected it', async () => {
    const errors: ActorError[] = [];
    await withListener(() => {
      let reject: (error: Error) => void = () => {};
      runAsActor('p#1', () => void new Promise<void>((_, rejectIt) => (reject = rejectIt)));
      runAsActor('p#2', () => reject(new Error('rejected by p#2')));
    }, errors, () => {});
    expect(errors.map(({ actor }) => actor)).toEqual(['p#1']);
  });

  it("leaves the tool's own rejections, and those of an actor the handler does not own, to the listeners that were there, and puts them back", async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown): void => void seen.push(reason);
    const errors: ActorError[] = [];
    const toolBug = new Error('a bug of the tool');
    const foreign = new Error('from an actor nobody owns');
    const after = await withListener(() => {
      void Promise.reject(toolBug);
      runAsActor('somebody', () => void Promise.reject(foreign));
    }, errors, listener);
    expect(errors).toEqual([]);
    expect(seen).toEqual([toolBug, foreign]);
    expect(after).toEqual([listener]);
  });

  it('does not put back a once listener the run used up', async () => {
    const seen: unknown[] = [];
    const after = await withListener(() => void Promise.reject(new Error('tool')), [], (reason) => void seen.push(reason), true);
    expect(seen).toHaveLength(1);
    expect(after).toEqual([]);
  });
});
