import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { ChoiceSource } from '../choice/ChoiceSource.ts';
import { PlannedChoiceSource, type FinishedRun, type RunPlan } from './PlannedChoiceSource.ts';
import { runSeed } from '../explore/runSeed.ts';
import type { Generations } from './Generations.ts';
import { Corpus } from './guided/Corpus.ts';
import { mutateRun } from './guided/mutateRun.ts';
import type { RunFeedback } from './RunFeedback.ts';
import type { SearchStrategy, StrategyFigures } from './SearchStrategy.ts';

/** How the guided search may draw fresh answers: see {@link GuidedOptions.draw}. */
export const GUIDED_DRAWS = ['swarm', 'uniform'] as const;
export type GuidedDraw = (typeof GUIDED_DRAWS)[number];

/** Tuning of the guided search. */
export interface GuidedOptions {
  /**
   * Runs per generation: each run is derived from the corpus as it stood at the end of the previous generation. Small
   * generations follow new coverage sooner; large ones keep more threads busy at once.
   */
  readonly generationRuns: number;
  /**
   * Chance, in percent, that a run after the first generation is fresh rather than derived. 40 beat 10 and 25 in the
   * measurements of docs/search-strategies.md: derived runs share most of their parent's story, and rare timing
   * coincidences still come mostly from fresh draws.
   */
  readonly freshPercent: number;
  /**
   * How fresh runs, and derived runs after their replayed prefix, draw their answers: uniformly (as `random`), or as
   * a swarm run does (per run, a random subset of the fault kinds at random rates). Swarm reached more transitions
   * in the measurements: a derived run then varies which faults it mixes, not only where they land.
   */
  readonly draw: GuidedDraw;
}

export const DEFAULT_GUIDED_OPTIONS: GuidedOptions = { generationRuns: 64, freshPercent: 40, draw: 'swarm' };

/** The figures of {@link GuidedStrategy.figures} that describe the search's progress rather than its settings. */
export const GUIDED_PROGRESS_FIGURES = ['generationsEnded', 'corpusEntries', 'coverageKeys', 'newKeysLastGeneration'] as const;

/** Mixed into a run's seed for the stream that plans it, so planning never shares a stream with the run's answers. */
const PLANNING_STREAM = 0x6a09e667;

/** What was learnt about one run of the current generation, merged when the generation ends. */
interface Learnt {
  readonly run: FinishedRun;
  readonly coverage: readonly string[];
}

/**
 * Coverage-guided search (in the manner of AFL and libFuzzer, over choice sequences instead of bytes). It keeps a
 * corpus of runs that reached coverage keys no earlier run reached, and derives each new run from a corpus entry
 * picked by energy (entries that own rarely reached keys are picked more, {@link Corpus}) by editing its answers:
 * change an answer, make a fault point fire or not, move a fault earlier or later, splice two runs, cut a run short
 * ({@link mutateRun}). Some runs are fresh, and the first generation is all fresh: with the default swarm draws its
 * runs are the swarm strategy's.
 *
 * Runs come in generations of {@link GuidedOptions.generationRuns}: every run of generation k is planned from the
 * corpus as it stood at the end of generation k - 1, from a stream seeded by the seed and the run's index, so the
 * runs of a generation can run on any thread in any order ({@link Generations}). A run's answers are recorded like
 * every run's, so it replays from its recorded list, not from how it was derived.
 */
export class GuidedStrategy implements SearchStrategy, Generations {
  readonly name = 'guided';
  readonly runsAreIndependent = false;
  readonly wantsFeedback = true;
  readonly generations: Generations = this;
  readonly size: number;
  private readonly corpus = new Corpus();
  private readonly learnt = new Map<number, Learnt>();
  /** Generations ended so far: the current generation's number. */
  private generation = 0;
  /** Keys reached first by the runs of the last generation that ended. */
  private lastNewKeys = 0;

  constructor(
    private readonly seed: number,
    private readonly options: GuidedOptions = DEFAULT_GUIDED_OPTIONS,
  ) {
    if (!Number.isInteger(options.generationRuns) || options.generationRuns < 1) throw new RangeError(`a generation needs at least one run, not ${options.generationRuns}`);
    this.size = options.generationRuns;
  }

  /**
   * For a search that runs in index order from run 0 (sweeps): ends the generations before run `runIndex`'s own, then
   * plans it. A search spread over threads or shards uses {@link plan}, {@link learn} and {@link endGeneration}.
   */
  sourceForRun(runIndex: number): ChoiceSource {
    while (Math.floor(runIndex / this.size) > this.generation) this.endGeneration();
    return new PlannedChoiceSource(this.plan(runIndex));
  }

  runFinished(runIndex: number, source: ChoiceSource, feedback?: RunFeedback): void {
    if (!(source instanceof PlannedChoiceSource)) throw new Error('guided search was handed a run it did not plan');
    this.learn(runIndex, source.finished(), feedback ?? { coverage: [] });
  }

  plan(runIndex: number): RunPlan {
    const seed = runSeed(this.seed, runIndex);
    const fresh: RunPlan = { answers: [], shapes: [], seed, continueWith: this.options.draw };
    const rng = xoroshiro128plus(runSeed(seed, PLANNING_STREAM));
    if (uniformInt(rng, 0, 99) < this.options.freshPercent) return fresh;
    const parent = this.corpus.pick(rng);
    if (parent === undefined) return fresh;
    const partner = this.corpus.pickUniformly(rng);
    return { ...mutateRun(parent.run, partner?.run, rng), seed, continueWith: this.options.draw };
  }

  learn(runIndex: number, run: FinishedRun, feedback: RunFeedback): void {
    this.learnt.set(runIndex, { run, coverage: feedback.coverage });
  }

  endGeneration(): void {
    let newKeys = 0;
    for (const runIndex of [...this.learnt.keys()].sort((a, b) => a - b)) {
      const { run, coverage } = this.learnt.get(runIndex)!;
      newKeys += this.corpus.merge(runIndex, run, coverage);
    }
    this.learnt.clear();
    this.corpus.rebalance();
    this.lastNewKeys = newKeys;
    this.generation += 1;
  }

  figures(): StrategyFigures {
    return {
      generationRuns: this.size,
      draw: this.options.draw,
      generationsEnded: this.generation,
      corpusEntries: this.corpus.size,
      coverageKeys: this.corpus.keysReached,
      newKeysLastGeneration: this.lastNewKeys,
    };
  }
}
