import { describe, expect, it } from 'vitest';
import { dailyDigestScenario } from '../../scenarios/daily-digest/dailyDigestScenario.ts';
import { ConfigError } from '../../scenarios/config/SwitchValues.ts';
import { readReplayToken, replay, replayTokenFor } from '../../scenarios/replayTokens.ts';
import { runScenario, type RunResult } from '../../scenarios/runScenario.ts';
import type { ChoiceHint, ChoiceSource } from '../../sim/choice/ChoiceSource.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';
import type { FaultKind } from '../../world/faults/FaultKind.ts';
import { digestSpec, HARDENED } from '../acceptance/helpers.ts';

/**
 * Two runners, two digest entities (digest-1 on runner-1, digest-2 on runner-2), the hardened configuration. Each entity
 * has one day (both cron ticks at 60 s) and one message: digest-1's at 120 s, digest-2's at 130 s. Choices per entity:
 * days - 1, message count, message time.
 */
const TWO_ENTITIES = [0, 1, 120_000, 0, 1, 130_000];
const specOf = (faults: readonly FaultKind[] = []) => digestSpec({ ...HARDENED, entities: '2', runners: '2' }, faults);

/**
 * Answers `head` first, then by label (`answers`), else 0 (the ordinary answer), recording every answer as a replayable
 * source does: for a run whose later choices (a fault's slot, say) are easier named than counted.
 */
class LabelledChoices implements ChoiceSource {
  readonly recorded: number[] = [];
  private cursor = 0;

  constructor(
    private readonly head: readonly number[],
    private readonly answers: Readonly<Record<string, number>>,
  ) {}

  choose(optionCount: number, label: string, _hint?: ChoiceHint): number {
    if (optionCount <= 1) return 0;
    const raw = this.cursor < this.head.length ? this.head[this.cursor++]! : (this.answers[label] ?? 0);
    const value = raw % optionCount;
    this.recorded.push(value);
    return value;
  }
}

const observed = (result: RunResult, kind: string): TraceEvent[] => result.events.filter((event) => !event.annotation && event.kind === kind);
/** The host processes started and not ended by the end of the run, in start order. */
const liveAtEnd = (result: RunResult): string[] => {
  const exited = new Set(observed(result, 'process-exit').map((event) => event.actor));
  return observed(result, 'process-start').map((event) => event.actor).filter((process) => !exited.has(process));
};
const runnerOfProcess = (process: string): string => process.split('/')[0]!;
const posts = (result: RunResult): string[] =>
  observed(result, 'action-performed')
    .map((event) => `${String(event.detail['entity'])} ${String(event.detail['action'])}`)
    .sort();

describe('--runners 2 --entities 2: each runner serves its own entities', () => {
  it('each runner registers and reads its own wake stream; each entity is claimed by processes of its runner only', async () => {
    const result = await runScenario(specOf(), new RecordedChoiceSource(TWO_ENTITIES), { dropAnnotations: true });
    expect(result.violations).toEqual([]);
    expect(observed(result, 'process-start').map((event) => [event.actor, event.detail['runner']])).toEqual([
      ['runner-1/host#1', 'runner-1'],
      ['runner-2/host#1', 'runner-2'],
    ]);
    const registrations = observed(result, 'runner-registered').map((event) => `${String(event.detail['peer'])} ${String(event.detail['runner'])} ${String(event.detail['wakeStream'])}`);
    expect(registrations).toEqual(['runner-1/host#1 runner-1 runners/runner-1/wake', 'runner-2/host#1 runner-2 runners/runner-2/wake']);
    const wakeReads = observed(result, 'stream-read').filter((event) => /^runners\//.test(String(event.detail['stream'])));
    for (const runner of ['runner-1', 'runner-2']) expect(wakeReads.some((event) => runnerOfProcess(String(event.detail['peer'])) === runner)).toBe(true);
    for (const read of wakeReads) expect(read.detail['stream']).toBe(`runners/${runnerOfProcess(String(read.detail['peer']))}/wake`);
    const grants = observed(result, 'claim-answered').filter((event) => event.detail['status'] === 200);
    expect(new Set(grants.map((event) => String(event.detail['entity'])))).toEqual(new Set(['digest-1', 'digest-2']));
    for (const grant of grants) {
      const runner = grant.detail['entity'] === 'digest-1' ? 'runner-1' : 'runner-2';
      expect(grant.detail['runner']).toBe(runner);
      expect(runnerOfProcess(String(grant.detail['peer']))).toBe(runner);
    }
    // Every heartbeat names its sender's own runner.
    const heartbeats = observed(result, 'heartbeat-received');
    expect(heartbeats.length).toBeGreaterThan(0);
    for (const heartbeat of heartbeats) expect(heartbeat.detail['runner']).toBe(runnerOfProcess(String(heartbeat.detail['peer'])));
    expect(posts(result)).toEqual(['digest-1 digest:0', 'digest-1 reply:0', 'digest-2 digest:0', 'digest-2 reply:0']);
  });

  it('an idle runner (three runners, two entities) registers, reads and heartbeats all the same, and is no deaf runner', async () => {
    const spec = digestSpec({ ...HARDENED, entities: '2', runners: '3' }, []);
    const result = await runScenario(spec, new RecordedChoiceSource(TWO_ENTITIES), { dropAnnotations: true });
    expect(result.violations).toEqual([]);
    const idle = (event: TraceEvent): boolean => runnerOfProcess(String(event.detail['peer'])) === 'runner-3';
    expect(observed(result, 'runner-registered').filter(idle)).toHaveLength(1);
    expect(observed(result, 'stream-read').filter(idle).length).toBeGreaterThan(0);
    expect(observed(result, 'heartbeat-received').filter(idle).length).toBeGreaterThan(0);
    expect(observed(result, 'claim-answered').filter(idle)).toEqual([]);
  });

  it('in a clean hardened run each entity posts each digest once (several seeds, no faults)', async () => {
    for (const seed of [1, 2, 3]) {
      const result = await runScenario(specOf(), new RandomChoiceSource(seed), { dropAnnotations: true });
      expect(result.violations, `seed ${seed}`).toEqual([]);
      const digests = posts(result).filter((post) => / digest:\d+$/.test(post));
      expect(new Set(digests).size, `seed ${seed}`).toBe(digests.length);
      expect(digests.some((post) => post.startsWith('digest-1 ')) && digests.some((post) => post.startsWith('digest-2 ')), `seed ${seed}`).toBe(true);
    }
  });

  it('a crash of one runner\'s host leaves the other runner\'s host running', async () => {
    // One crash at 90 s, on the slot drawn for it: runner-2.
    const result = await runScenario(specOf(['crash']), new LabelledChoices([...TWO_ENTITIES, 1, 90_000], { 'runner slot': 1 }), { dropAnnotations: true });
    expect(result.violations).toEqual([]);
    const crashes = observed(result, 'fault').filter((event) => event.detail['kind'] === 'crash');
    expect(crashes.map((event) => event.detail['host'])).toEqual(['runner-2/host#1']);
    expect(observed(result, 'process-exit').map((event) => event.actor)).toEqual(['runner-2/host#1']);
    expect(observed(result, 'process-start').map((event) => event.actor)).toEqual(['runner-1/host#1', 'runner-2/host#1', 'runner-2/host#2']);
    expect(liveAtEnd(result)).toEqual(['runner-1/host#1', 'runner-2/host#2']);
    expect(posts(result)).toEqual(['digest-1 digest:0', 'digest-1 reply:0', 'digest-2 digest:0', 'digest-2 reply:0']);
  });

  it('a redeploy of one runner\'s host stops and replaces that host only', async () => {
    // One redeploy at 90 s, on the first slot (the ordinary answer).
    const result = await runScenario(specOf(['redeploy']), new LabelledChoices([...TWO_ENTITIES, 1, 90_000], {}), { dropAnnotations: true });
    expect(result.violations).toEqual([]);
    expect(observed(result, 'sigterm').map((event) => event.actor)).toEqual(['runner-1/host#1']);
    expect(observed(result, 'process-exit').map((event) => event.actor)).toEqual(['runner-1/host#1']);
    expect(liveAtEnd(result)).toEqual(['runner-2/host#1', 'runner-1/host#2']);
  });

  it('a run with two runners replays to the same trace hash, and --runners travels in the replay token', async () => {
    const first = await runScenario(specOf(['redeploy', 'crash', 'rolling-deploy']), new RandomChoiceSource(7));
    const request = readReplayToken(replayTokenFor(first.spec, first.choices));
    expect(request.spec.config['runners']).toBe('2');
    expect((await replay(request)).traceHash).toBe(first.traceHash);
    expect((await runScenario(first.spec, new RecordedChoiceSource(first.choices))).traceHash).toBe(first.traceHash);
    expect(first.events.find((event) => event.kind === 'run-start')?.detail['runners']).toBe('2');
  });

  it('one runner, the default, is the world as it always was: the trace names no runner switch and no slot', async () => {
    const spec = digestSpec({ ...HARDENED, entities: '2' }, []);
    expect(spec.config['runners']).toBe('1');
    const result = await runScenario(spec, new RecordedChoiceSource(TWO_ENTITIES), { dropAnnotations: true });
    expect(JSON.stringify(result.events.find((event) => event.kind === 'run-start')?.detail)).not.toContain('runners');
    expect(observed(result, 'process-start').map((event) => [event.actor, event.detail])).toEqual([['host#1', {}]]);
  });

  it('model conformance is not judged with several runners, and says why', () => {
    const notJudged = dailyDigestScenario.propertiesNotJudged?.(digestSpec({ ...HARDENED, runners: '2' }, []).config) ?? [];
    expect(notJudged.map((entry) => entry.property)).toEqual(['model-conformance']);
    expect(notJudged[0]!.reason).toMatch(/the composed model follows one runner, and this world has 2 \(--runners\)/);
    expect(dailyDigestScenario.propertiesNotJudged?.(digestSpec(HARDENED, []).config)).toEqual([]);
  });

  it('a runner count out of range is refused in one line before any run', () => {
    expect(() => digestSpec({ runners: '4' }, [])).toThrow(/^unknown value "4" for --runners \(allowed: 1, 2, 3\)$/);
    expect(() => digestSpec({ runners: '0' }, [])).toThrow(ConfigError);
    expect(() => digestSpec({ runners: 'x' }, [])).toThrow(ConfigError);
  });
});
