import type { ChoiceHint } from '../choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../choice/RecordingChoiceSource.ts';
import { SwarmAnswers } from './SwarmAnswers.ts';

/**
 * Swarm testing (Groce et al., ISSTA 2012): each run keeps a random subset of the fault kinds and gives each kept
 * kind its own firing rate, instead of every run mixing every fault at the scenario's rates. A run without
 * redeploys but with frequent preload failures (or the reverse) explores corners that the average mix rarely
 * reaches, because some faults mask others. The answers are {@link SwarmAnswers}'.
 */
export class SwarmChoiceSource extends RecordingChoiceSource {
  private readonly answers: SwarmAnswers;

  constructor(seed: number) {
    super();
    this.answers = new SwarmAnswers(seed);
  }

  protected answer(optionCount: number, _label: string, hint: ChoiceHint | undefined): number {
    return this.answers.answer(optionCount, hint);
  }
}
