import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChoiceSource } from '../../sim/choice/ChoiceSource.ts';
import { choosePercent } from '../../sim/choice/ChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { createStrategy } from '../../sim/strategies/createStrategy.ts';
import { NondeterminismError } from '../../sim/strategies/ExhaustiveChoiceSource.ts';
import { ExhaustiveStrategy } from '../../sim/strategies/ExhaustiveStrategy.ts';
import { PctChoiceSource } from '../../sim/strategies/PctChoiceSource.ts';
import { STRATEGY_NAMES } from '../../sim/strategies/SearchStrategy.ts';
import { SwarmChoiceSource } from '../../sim/strategies/SwarmChoiceSource.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { digestSpec, V04 } from '../acceptance/helpers.ts';

const spec = digestSpec(V04);

/** A toy program over a choice source: a count from 0 to 2, and when it is 2, a fault point. Returns its path. */
function toyProgram(choices: ChoiceSource): string {
  const count = choices.choose(3, 'count', { kind: 'count' });
  if (count < 2) return `count=${count}`;
  return `count=2 fault=${choosePercent(choices, 30, 'fault point', 'toy-fault')}`;
}

async function exhaustToy(maxDeviations: number): Promise<{ paths: string[]; figures: Record<string, unknown> }> {
  const strategy = new ExhaustiveStrategy({ maxDeviations, maxChoicePoints: 100 });
  const paths: string[] = [];
  await sweep({ maxRuns: 100, strategy, run: async (choices) => paths.push(toyProgram(choices)), isFinding: () => false });
  return { paths, figures: strategy.figures() };
}

describe('search strategies', () => {
  it.each(STRATEGY_NAMES)('%s: every run replays from its recorded answers to the same trace', async (name) => {
    const strategy = createStrategy({ name, seed: 7 });
    for (let runIndex = 0; runIndex < 3; runIndex += 1) {
      const source = strategy.sourceForRun(runIndex)!;
      const result = await runScenario(spec, source);
      strategy.runFinished?.(runIndex, source);
      const replayed = await runScenario(spec, new RecordedChoiceSource(result.choices));
      expect(replayed.traceHash).toBe(result.traceHash);
    }
  });

  it.each(['random', 'pct', 'swarm'] as const)('%s: run i depends only on the seed and i (shardable)', async (name) => {
    const first = await runScenario(spec, createStrategy({ name, seed: 3 }).sourceForRun(5)!);
    const again = await runScenario(spec, createStrategy({ name, seed: 3 }).sourceForRun(5)!);
    expect(again.traceHash).toBe(first.traceHash);
    expect(createStrategy({ name, seed: 3 }).runsAreIndependent).toBe(true);
  });

  it('the fc.scheduler baseline records task picks too: its runs replay from their recorded answers', async () => {
    const { fastCheckSchedulerProperty } = await import('../../bench/baseline/fcSchedulerHarness.ts');
    const results: Awaited<ReturnType<typeof runScenario>>[] = [];
    await fc.check(fastCheckSchedulerProperty(spec, () => false, { onRun: (result) => results.push(result) }), { seed: 5, numRuns: 3 });
    for (const result of results) {
      expect((await runScenario(spec, new RecordedChoiceSource(result.choices))).traceHash).toBe(result.traceHash);
    }
  });

  it('pct runs the highest-priority kind of task and demotes it at a change point', () => {
    // Depth 2 with one expected decision: the change point is decision 0.
    const source = new PctChoiceSource({ seed: 1, depth: 2, expectedDecisions: 1 });
    const keys = ['a', 'b', 'c'];
    const first = source.choose(3, 'pick task', { kind: 'task', keys });
    const second = source.choose(3, 'pick task', { kind: 'task', keys });
    expect(second).not.toBe(first);
    // With no change point left, the order is stable.
    expect(source.choose(3, 'pick task', { kind: 'task', keys })).toBe(second);
  });

  it('swarm answers a fault point only with "no" (0) or "fires" (the top), and leaves some kinds out entirely', () => {
    const runsThatFired: boolean[] = [];
    for (let seed = 0; seed < 40; seed += 1) {
      const source = new SwarmChoiceSource(seed);
      const answers = Array.from({ length: 50 }, () => source.choose(100, 'preload 404', { kind: 'fault', fault: 'preload-not-found', firesFrom: 60 }));
      expect(answers.every((answer) => answer === 0 || answer === 99)).toBe(true);
      runsThatFired.push(answers.includes(99));
    }
    // Some runs leave the kind out (never fires in 50 points), others keep it.
    expect(runsThatFired).toContain(true);
    expect(runsThatFired).toContain(false);
  });

  it('exhaustive covers every path of a small tree, and says when the bound cut it', async () => {
    const full = await exhaustToy(2);
    // Depth first: the deepest choice point that can still change varies first.
    expect(full.paths).toEqual(['count=0', 'count=1', 'count=2 fault=false', 'count=2 fault=true']);
    expect(full.figures).toMatchObject({ schedulesCovered: 4, exhausted: true, boundCut: false });

    const bounded = await exhaustToy(1);
    expect(bounded.paths).not.toContain('count=2 fault=true');
    expect(bounded.paths).toHaveLength(3);
    expect(bounded.figures).toMatchObject({ schedulesCovered: 3, exhausted: true, boundCut: true });
  });

  it('exhaustive refuses a program whose choices are not a function of earlier answers', async () => {
    let calls = 0;
    const strategy = new ExhaustiveStrategy({ maxDeviations: 3, maxChoicePoints: 100 });
    const flaky = async (choices: ChoiceSource): Promise<void> => {
      calls += 1;
      choices.choose(2, 'first', { kind: 'count' });
      choices.choose(calls === 1 ? 2 : 3, 'second', { kind: 'count' });
    };
    await expect(sweep({ maxRuns: 10, strategy, run: flaky, isFinding: () => false })).rejects.toThrow(NondeterminismError);
  });
});
