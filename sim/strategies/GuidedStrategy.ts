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
   * Chance, in percent, that a run of the second generation is fresh rather than derived; with `adaptFresh`, the later
   * generations' chance follows what each kind of run earned. 40 beat 10 and 25 in the measurements of
   * docs/search-strategies.md: derived runs share most of their parent's story, and rare timing coincidences still come
   * mostly from fresh draws.
   */
  readonly freshPercent: number;
  /**
   * Whether the chance of a fresh run adapts to what fresh and derived runs earn: after each generation it becomes the
   * share of new coverage keys per run that fresh runs reached, against derived runs, each averaged over the
   * generations with a half-life of one, and kept within {@link ADAPTED_FRESH_PERCENT_RANGE} so that neither kind of run
   * stops. Where derived runs find little, the search leans on fresh draws; where a corpus entry leads somewhere, on
   * its descendants. Measured against the fixed share in docs/search-strategies.md ("Coverage per strategy").
   */
  readonly adaptFresh: boolean;
  /**
   * How fresh runs, and derived runs after their replayed prefix, draw their answers: uniformly (as `random`), or as
   * a swarm run does (per run, a random subset of the fault kinds at random rates). Swarm reached more transitions
   * in the measurements: a derived run then varies which faults it mixes, not only where they land.
   */
  readonly draw: GuidedDraw;
}

export const DEFAULT_GUIDED_OPTIONS: GuidedOptions = { generationRuns: 64, freshPercent: 40, adaptFresh: true, draw: 'swarm' };

/** The least and the most an adapted chance of a fresh run may be, in percent. */
export const ADAPTED_FRESH_PERCENT_RANGE = { min: 15, max: 85 } as const;

/**
 * New keys per run added to both kinds' yields when the adapted chance is computed: with no new key from either kind,
 * the chance is even, and one kind's single lucky run does not swing it to the bound.
 */
const YIELD_PRIOR_KEYS = 0.05;

/** The figures of {@link GuidedStrategy.figures} that describe the search's progress rather than its settings. */
export const GUIDED_PROGRESS_FIGURES = ['generationsEnded', 'corpusEntries', 'coverageKeys', 'newKeysLastGeneration', 'freshPercent'] as const;

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
  /** The chance, in percent, that a run of the current generation is fresh. */
  private freshPercent: number;
  /** New keys per run that fresh and derived runs reached, averaged over the generations with a half-life of one. */
  private freshYield = 0;
  private derivedYield = 0;

  constructor(
    private readonly seed: number,
    private readonly options: GuidedOptions = DEFAULT_GUIDED_OPTIONS,
  ) {
    if (!Number.isInteger(options.generationRuns) || options.generationRuns < 1) throw new RangeError(`a generation needs at least one run, not ${options.generationRuns}`);
    this.size = options.generationRuns;
    this.freshPercent = options.freshPercent;
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
    const rng = this.planningStream(runIndex);
    if (this.drawsFresh(rng, this.corpus.size === 0)) return fresh;
    const parent = this.corpus.pick(rng);
    if (parent === undefined) return fresh;
    const partner = this.corpus.pickUniformly(rng);
    return { ...mutateRun(parent.run, partner?.run, rng), seed, continueWith: this.options.draw };
  }

  /** The stream that plans run `runIndex`, apart from the stream of its answers. */
  private planningStream(runIndex: number): ReturnType<typeof xoroshiro128plus> {
    return xoroshiro128plus(runSeed(runSeed(this.seed, runIndex), PLANNING_STREAM));
  }

  /**
   * Whether the run whose planning stream is `rng` is fresh: the stream's first draw against the current chance, or
   * any run while the corpus has no parent to offer. {@link endGeneration} asks it again of each run of the generation,
   * to tell what each kind of run earned.
   */
  private drawsFresh(rng: ReturnType<typeof xoroshiro128plus>, corpusEmpty: boolean): boolean {
    return uniformInt(rng, 0, 99) < this.freshPercent || corpusEmpty;
  }

  learn(runIndex: number, run: FinishedRun, feedback: RunFeedback): void {
    this.learnt.set(runIndex, { run, coverage: feedback.coverage });
  }

  endGeneration(): void {
    let newKeys = 0;
    const earned = { fresh: { runs: 0, keys: 0 }, derived: { runs: 0, keys: 0 } };
    const corpusWasEmpty = this.corpus.size === 0;
    for (const runIndex of [...this.learnt.keys()].sort((a, b) => a - b)) {
      const { run, coverage } = this.learnt.get(runIndex)!;
      const kind = this.drawsFresh(this.planningStream(runIndex), corpusWasEmpty) ? earned.fresh : earned.derived;
      const keys = this.corpus.merge(runIndex, run, coverage);
      kind.runs += 1;
      kind.keys += keys;
      newKeys += keys;
    }
    // The first generation is all fresh: it says nothing of what derived runs earn.
    if (this.options.adaptFresh && !corpusWasEmpty) this.adaptFreshPercent(earned.fresh, earned.derived);
    this.learnt.clear();
    this.corpus.rebalance();
    this.lastNewKeys = newKeys;
    this.generation += 1;
  }

  /** Moves the chance of a fresh run towards the kind of run that reached more new keys per run (adaptFresh). */
  private adaptFreshPercent(fresh: { runs: number; keys: number }, derived: { runs: number; keys: number }): void {
    if (fresh.runs > 0) this.freshYield = (this.freshYield + fresh.keys / fresh.runs) / 2;
    if (derived.runs > 0) this.derivedYield = (this.derivedYield + derived.keys / derived.runs) / 2;
    const share = (this.freshYield + YIELD_PRIOR_KEYS) / (this.freshYield + this.derivedYield + 2 * YIELD_PRIOR_KEYS);
    this.freshPercent = Math.min(ADAPTED_FRESH_PERCENT_RANGE.max, Math.max(ADAPTED_FRESH_PERCENT_RANGE.min, Math.round(100 * share)));
  }

  figures(): StrategyFigures {
    return {
      generationRuns: this.size,
      draw: this.options.draw,
      generationsEnded: this.generation,
      corpusEntries: this.corpus.size,
      coverageKeys: this.corpus.keysReached,
      newKeysLastGeneration: this.lastNewKeys,
      freshPercent: this.freshPercent,
    };
  }
}
