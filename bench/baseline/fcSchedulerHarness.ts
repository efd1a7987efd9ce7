import fc from 'fast-check';
import type { ChoiceHint } from '../../sim/choice/ChoiceSource.ts';
import { RecordingChoiceSource } from '../../sim/choice/RecordingChoiceSource.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { choiceSequence } from '../../sim/choice/choiceSequenceArbitrary.ts';
import type { RunSpec } from '../../scenarios/index.ts';
import { runScenario, type BeforeStep, type RunResult } from '../../scenarios/runScenario.ts';

/**
 * Answers task choices with the index the fast-check scheduler released first, and every other choice (faults,
 * delays, workload) from a fast-check-generated list, as {@link RecordedChoiceSource} would.
 */
class FastCheckOrderedChoiceSource extends RecordingChoiceSource {
  private readonly others: RecordedChoiceSource;
  /** The task index fast-check picked for the step about to run. */
  nextTaskIndex = 0;

  constructor(answers: readonly number[]) {
    super();
    this.others = new RecordedChoiceSource(answers);
  }

  protected answer(optionCount: number, label: string, hint: ChoiceHint | undefined): number {
    return hint?.kind === 'task' ? this.nextTaskIndex : this.others.choose(optionCount, label);
  }
}

/**
 * Before each step, when several tasks are due at once, lets fast-check's `fc.scheduler` decide which runs: each due
 * task becomes a scheduled promise, `waitNext(1)` releases one (fast-check picks it with its own generator), and
 * `waitIdle()` releases the rest so that nothing leaks into the next step.
 */
function fastCheckPicksTheTask(s: fc.Scheduler, source: FastCheckOrderedChoiceSource): BeforeStep {
  return async (scheduler) => {
    const due = scheduler.dueTasks();
    if (due.length <= 1) return;
    let picked = -1;
    due.forEach((task, index) => {
      void s.schedule(Promise.resolve(index), task.label).then(() => {
        if (picked < 0) picked = index;
      });
    });
    await s.waitNext(1);
    await s.waitIdle();
    source.nextTaskIndex = picked;
  };
}

/** Options of {@link fastCheckSchedulerProperty}. */
export interface FastCheckHarnessOptions {
  /**
   * Draw the non-task answers without fast-check's bias toward small values. fast-check's default bias makes faults
   * rarer (a fault fires on a high answer), so its runs are shorter; unbiased answers give runs drawn like ours, for
   * comparing the cost of the machinery rather than of the stories.
   */
  readonly unbiased?: boolean;
  readonly onRun?: (result: RunResult) => void;
}

/**
 * The baseline a fast-check user would build for the same scenario and runtime: `fc.asyncProperty` over
 * `fc.scheduler()` (task order) and a generated list of integers (every other decision), asserting that
 * `property` holds. The run itself is the simulator's, so both sides pay for the same world and runtime.
 */
export function fastCheckSchedulerProperty(
  spec: RunSpec,
  isViolation: (result: RunResult) => boolean,
  options: FastCheckHarnessOptions = {},
): fc.IAsyncPropertyWithHooks<[fc.Scheduler, number[]]> {
  const answersArbitrary = options.unbiased ? fc.noBias(choiceSequence()) : choiceSequence();
  const { onRun } = options;
  return fc.asyncProperty(fc.scheduler(), answersArbitrary, async (s, answers) => {
    const source = new FastCheckOrderedChoiceSource(answers);
    const result = await runScenario(spec, source, { beforeStep: fastCheckPicksTheTask(s, source) });
    onRun?.(result);
    return !isViolation(result);
  });
}
