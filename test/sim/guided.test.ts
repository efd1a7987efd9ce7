import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { fires, shapeOf } from '../../sim/choice/ChoiceShape.ts';
import { chooseInRange, choosePercent, type ChoiceSource } from '../../sim/choice/ChoiceSource.ts';
import { PlannedChoiceSource, type RunPlan } from '../../sim/strategies/PlannedChoiceSource.ts';
import { RandomChoiceSource } from '../../sim/choice/RandomChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { CoverageTally } from '../../sim/explore/CoverageTally.ts';
import { rangeIndex, runRange, type RunRange } from '../../sim/explore/runRange.ts';
import { scanGenerations } from '../../sim/explore/scanGenerations.ts';
import type { BatchOutcome } from '../../sim/explore/scanRange.ts';
import { sweep } from '../../sim/explore/sweep.ts';
import { createStrategy } from '../../sim/strategies/createStrategy.ts';
import { SwarmChoiceSource } from '../../sim/strategies/SwarmChoiceSource.ts';
import { ADAPTED_FRESH_PERCENT_RANGE, DEFAULT_GUIDED_OPTIONS, GuidedStrategy, type GuidedOptions } from '../../sim/strategies/GuidedStrategy.ts';
import { mutateRun } from '../../sim/strategies/guided/mutateRun.ts';
import type { StrategyName } from '../../sim/strategies/SearchStrategy.ts';

/**
 * A toy system with nothing of agents in it: a maze of doors. At every level a delay is drawn (noise) and one of four
 * doors is picked; only the secret door leads deeper, every other door ends the run. Before level 5 a trap must be
 * sprung, a fault point that fires 5 % of the time. Each level reached is a coverage key. A uniform search reaches
 * the treasure once in about 4^8 / 0.05 = 1.3 million runs.
 */
const SECRET_DOORS = [2, 0, 3, 1, 1, 2, 0, 3] as const;
const TRAP_LEVEL = 4;
const TRAP_PERCENT = 5;
const TREASURE = 'treasure';

function maze(choices: ChoiceSource): string[] {
  const keys: string[] = [];
  for (let level = 0; level < SECRET_DOORS.length; level += 1) {
    chooseInRange(choices, 0, 50, 'delay');
    if (level === TRAP_LEVEL) {
      if (!choosePercent(choices, TRAP_PERCENT, 'trap', 'trap')) return keys;
      keys.push('trap sprung');
    }
    const door = choices.choose(4, 'door', { kind: 'task', keys: ['north', 'east', 'south', 'west'] });
    if (door !== SECRET_DOORS[level]) return keys;
    keys.push(`level ${level + 1}`);
  }
  return [...keys, TREASURE];
}

const SMALL_GENERATIONS = { generationRuns: 16, freshPercent: 10, adaptFresh: true, draw: 'uniform' } as const;

/** Runs of a maze search until the treasure (1-based), or undefined within `maxRuns`; with every run's answers. */
async function searchMaze(
  name: StrategyName,
  seed: number,
  maxRuns: number,
  guided: GuidedOptions = SMALL_GENERATIONS,
): Promise<{ runsToTreasure: number | undefined; answers: number[][] }> {
  const answers: number[][] = [];
  const outcome = await sweep({
    maxRuns,
    strategy: createStrategy({ name, seed, guided }),
    run: async (choices) => ({ keys: maze(choices), choices: [...choices.recorded] }),
    feedbackOf: (run) => ({ coverage: run.keys }),
    isFinding: (run) => run.keys.includes(TREASURE),
    onRun: (_, run) => answers.push(run.choices),
  });
  return { runsToTreasure: outcome.finding ? outcome.finding.runIndex + 1 : undefined, answers };
}

/** Something like worker threads: batches end in an order other than the one they were dispatched in. */
function outOfOrderBatches(): (batch: RunRange, plans: readonly RunPlan[] | undefined) => Promise<BatchOutcome> {
  let dispatched = 0;
  return async (batch, plans) => {
    // Every other batch waits a few turns of the event loop, so it ends after batches dispatched later.
    const turns = dispatched++ % 2 === 0 ? 5 : 0;
    for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    const runs = [];
    const hits = [];
    for (let position = 0; position < batch.count; position += 1) {
      const runIndex = rangeIndex(batch, position);
      const source = new PlannedChoiceSource(plans![position]!);
      const keys = maze(source);
      runs.push({ runIndex, feedback: { coverage: keys }, finished: source.finished() });
      if (keys.includes(TREASURE)) {
        hits.push({ key: TREASURE, runIndex });
        break;
      }
    }
    return { runsDone: runs.length, hits, runs };
  };
}

/**
 * Runs `generations` generations of a guided search by hand, where a fresh run reaches only keys seen before and a
 * derived one a key of its own, or the other way round (`paying`); the search's chance of a fresh run at the end.
 */
function freshPercentAfter(paying: 'fresh' | 'derived', options: GuidedOptions, generations = 8): number {
  const strategy = new GuidedStrategy(7, options);
  for (let runIndex = 0; runIndex < generations * options.generationRuns; runIndex += 1) {
    if (runIndex > 0 && runIndex % options.generationRuns === 0) strategy.endGeneration();
    const plan = strategy.plan(runIndex);
    const fresh = plan.answers.length === 0;
    const source = new PlannedChoiceSource(plan);
    for (let question = 0; question < 4; question += 1) chooseInRange(source, 0, 9, `question ${question}`);
    // The first generation is all fresh: each of its runs gets a key of its own, so the corpus has parents.
    const ownKey = runIndex < options.generationRuns || (paying === 'fresh') === fresh;
    strategy.learn(runIndex, source.finished(), { coverage: ownKey ? [`run ${runIndex}`] : ['seen before'] });
  }
  strategy.endGeneration();
  return Number(strategy.figures()['freshPercent']);
}

describe('guided search', () => {
  it('moves its share of fresh runs towards the kind of run that reaches new keys, within its bounds; fixed without adaptFresh', () => {
    const options = { ...DEFAULT_GUIDED_OPTIONS, generationRuns: 32 };
    expect(freshPercentAfter('derived', options)).toBe(ADAPTED_FRESH_PERCENT_RANGE.min);
    expect(freshPercentAfter('fresh', options)).toBe(ADAPTED_FRESH_PERCENT_RANGE.max);
    expect(freshPercentAfter('derived', { ...options, adaptFresh: false })).toBe(options.freshPercent);
    expect(freshPercentAfter('fresh', { ...options, adaptFresh: false })).toBe(options.freshPercent);
  });

  it.each([
    ['small uniform generations', SMALL_GENERATIONS],
    ['the default options', DEFAULT_GUIDED_OPTIONS],
  ])('with %s, finds the maze treasure within 5,000 runs on every seed tried, where a uniform search does not', async (_, options) => {
    for (const seed of [1, 2, 3]) {
      const guided = await searchMaze('guided', seed, 5_000, options);
      const random = await searchMaze('random', seed, 5_000);
      expect(guided.runsToTreasure).toBeDefined();
      expect(random.runsToTreasure ?? Infinity).toBeGreaterThan(guided.runsToTreasure!);
    }
  });

  it('is deterministic: the same seed gives the same runs, another seed other runs', async () => {
    const first = await searchMaze('guided', 7, 300);
    expect((await searchMaze('guided', 7, 300)).answers).toEqual(first.answers);
    expect((await searchMaze('guided', 8, 300)).answers).not.toEqual(first.answers);
  });

  it('with uniform draws, its first generation is the random strategy’s runs', async () => {
    const guided = await searchMaze('guided', 5, SMALL_GENERATIONS.generationRuns);
    const random = await searchMaze('random', 5, SMALL_GENERATIONS.generationRuns);
    expect(guided.answers).toEqual(random.answers);
  });

  it('every run replays from its recorded answers alone', async () => {
    const strategy = new GuidedStrategy(3, SMALL_GENERATIONS);
    for (let runIndex = 0; runIndex < 80; runIndex += 1) {
      const source = strategy.sourceForRun(runIndex);
      const keys = maze(source);
      strategy.runFinished(runIndex, source, { coverage: keys });
      const replayed = new RecordedChoiceSource(source.recorded);
      expect(maze(replayed)).toEqual(keys);
      expect(replayed.recorded).toEqual(source.recorded);
    }
  });

  it('spread over batches that end out of order, finds the same run as one sequential search, with the same corpus', async () => {
    for (const seed of [1, 4]) {
      const sequential = new GuidedStrategy(seed, SMALL_GENERATIONS);
      const outcome = await sweep({
        maxRuns: 5_000,
        strategy: sequential,
        run: async (choices) => maze(choices),
        feedbackOf: (keys) => ({ coverage: keys }),
        isFinding: (keys) => keys.includes(TREASURE),
      });
      const spread = new GuidedStrategy(seed, SMALL_GENERATIONS);
      const scan = await scanGenerations({
        range: runRange(5_000),
        keys: [TREASURE],
        batchSize: 3,
        concurrency: 4,
        generations: spread,
        runBatch: outOfOrderBatches(),
      });
      expect(scan.firsts.get(TREASURE)).toBe(outcome.finding!.runIndex);
      expect(scan.runsNeeded).toBe(outcome.runsExecuted);
      expect(spread.figures()).toEqual(sequential.figures());
    }
  });

  it('a shard searches its own indexes in generations of its own runs, deterministically', async () => {
    const shardScan = async (): Promise<number | undefined> => {
      const strategy = new GuidedStrategy(2, SMALL_GENERATIONS);
      const scan = await scanGenerations({
        range: runRange(6_000, { index: 2, count: 3 }),
        keys: [TREASURE],
        batchSize: 4,
        concurrency: 3,
        generations: strategy,
        runBatch: outOfOrderBatches(),
      });
      return scan.firsts.get(TREASURE);
    };
    const found = await shardScan();
    expect(found).toBeDefined();
    expect(found! % 3).toBe(1);
    expect(await shardScan()).toBe(found);
  });
});

describe('planned choice source', () => {
  it('with no prefix answers as the random source of the same seed', () => {
    const planned = new PlannedChoiceSource({ answers: [], shapes: [], seed: 42, continueWith: 'uniform' });
    const random = new RandomChoiceSource(42);
    for (let index = 0; index < 50; index += 1) expect(planned.choose(7, 'x')).toBe(random.choose(7, 'x'));
  });

  it('with no prefix and swarm draws answers as the swarm source of the same seed', () => {
    const planned = new PlannedChoiceSource({ answers: [], shapes: [], seed: 42, continueWith: 'swarm' });
    const swarm = new SwarmChoiceSource(42);
    const hints = [undefined, { kind: 'fault', fault: 'f', firesFrom: 70 }, { kind: 'range', fault: 'g' }, { kind: 'fault', fault: 'g', firesFrom: 90 }] as const;
    for (let index = 0; index < 60; index += 1) {
      const hint = hints[index % hints.length];
      expect(planned.choose(100, 'x', hint)).toBe(swarm.choose(100, 'x', hint));
    }
  });

  it('replays its prefix while the questions match, and draws afresh from the first that does not', () => {
    const taskHint = { kind: 'task', keys: ['a', 'b', 'c'] } as const;
    const plan: RunPlan = { answers: [2, 1, 2], shapes: [shapeOf(3, taskHint), shapeOf(3, taskHint), shapeOf(3, taskHint)], seed: 1, continueWith: 'uniform' };
    const source = new PlannedChoiceSource(plan);
    expect(source.choose(3, 'door', taskHint)).toBe(2);
    expect(source.choose(3, 'door', taskHint)).toBe(1);
    // A different question at position 2: the prefix no longer fits, so neither this answer nor later ones come from it.
    source.choose(5, 'other', { kind: 'count' });
    expect(source.replayedAnswers).toBe(2);
    expect(source.finished().shapes.map((shape) => shape.kind)).toEqual(['task', 'task', 'count']);
  });
});

describe('mutations', () => {
  const faultShape = shapeOf(100, { kind: 'fault', fault: 'trap', firesFrom: 95 });
  const doorShape = shapeOf(4, { kind: 'task', keys: ['n', 'e', 's', 'w'] });
  const parent = { answers: [0, 3, 0, 1, 0], shapes: [faultShape, doorShape, faultShape, doorShape, faultShape] };

  it('keep answers in range and shapes aligned, and often make a fault point fire', () => {
    let firing = 0;
    for (let seed = 0; seed < 200; seed += 1) {
      const child = mutateRun(parent, parent, xoroshiro128plus(seed));
      expect(child.shapes).toHaveLength(child.answers.length);
      child.answers.forEach((answer, position) => {
        expect(answer).toBeGreaterThanOrEqual(0);
        expect(answer).toBeLessThan(child.shapes[position]!.optionCount);
      });
      if (child.answers.some((answer, position) => fires(child.shapes[position]!, answer))) firing += 1;
    }
    // Insert-fault alone is a fifth of the operators, and change picks fault points half the time.
    expect(firing).toBeGreaterThan(40);
  });
});

describe('coverage tally', () => {
  it('counts the keys of the runs up to a run index, whatever order runs were added in', () => {
    const tally = new CoverageTally();
    tally.add(5, ['b', 'c']);
    tally.add(2, ['a', 'b']);
    tally.add(9, ['d']);
    expect(tally.reachedUpTo(4)).toEqual(['a', 'b']);
    expect(tally.reachedUpTo(5)).toEqual(['a', 'b', 'c']);
    expect(tally.reachedUpTo()).toEqual(['a', 'b', 'c', 'd']);
    expect(tally.firstRuns().get('b')).toBe(2);
  });
});
