import { describeConfig } from '../../scenarios/config/describeConfig.ts';
import type { ReplayRequest } from '../../scenarios/replayTokens.ts';
import type { RunResult } from '../../scenarios/runScenario.ts';
import type { Violation } from '../../properties/index.ts';
import { firstViolationPerProperty, notJudgedLines, replayCommand } from './exploreReport.ts';
import { modelStatesAlong, type ModelStateView } from './modelStates.ts';
import { sequenceStory, type SequenceStory } from './sequenceStory.ts';
import { faultsInRun } from './story.ts';
import { timelineRows, type TimelineRow } from './timeline.ts';

/** Everything a replay report shows, computed once from the token and the re-run. */
export interface ReplayView {
  readonly token: string;
  readonly command: string;
  readonly scenario: string;
  readonly config: string;
  readonly faults: readonly string[];
  readonly faultsInjected: readonly string[];
  readonly property: string | undefined;
  readonly reproduced: boolean;
  readonly traceHash: string;
  readonly recordedTraceHash: string | undefined;
  readonly steps: number;
  readonly choices: number;
  /** The first violation of each property, in property order. */
  readonly violations: readonly Violation[];
  readonly rows: readonly TimelineRow[];
  readonly result: RunResult;
  readonly story: SequenceStory;
  /** Properties these runs are not judged by, with why (one line each; usually none). */
  readonly notJudged: readonly string[];
  /**
   * Why model conformance does not judge this run (the line the CLI prints: `model-conformance: not judged in these
   * runs (...)`), or undefined when it does. The composed model follows the daily-digest entity: its states along a run
   * it does not judge (another scenario's entity, several entities) would be nonsense, so no view shows them.
   */
  readonly modelNotJudged: string | undefined;
  /** The composed model's states after each event of the run (by event index). */
  readonly modelStates: () => readonly ModelStateView[];
}

/** Builds the view of one replay: the timeline rows (`all`: every event), the sequence story, the model states. */
export function replayView(token: string, request: ReplayRequest, result: RunResult, all: boolean, recordedTraceHash?: string): ReplayView {
  const violations = firstViolationPerProperty(result);
  const reproduced = request.property ? violations.some((violation) => violation.property === request.property) : violations.length > 0;
  // A token shrunk to one property is a report about that violation: the causes highlighted are its causes.
  const rows = timelineRows(result.events, result.violations, all, request.property);
  let modelStates: ModelStateView[] | undefined;
  return {
    token,
    command: replayCommand(token),
    scenario: request.spec.scenario,
    config: describeConfig(request.spec.config),
    notJudged: notJudgedLines(request.spec),
    modelNotJudged: notJudgedLines(request.spec).find((line) => line.startsWith('model-conformance:')),
    faults: [...request.spec.faults],
    faultsInjected: faultsInRun(result.events),
    property: request.property,
    reproduced,
    traceHash: result.traceHash,
    recordedTraceHash,
    steps: result.steps,
    choices: request.choices.length,
    violations,
    rows,
    result,
    story: sequenceStory(rows, violations, result.events),
    modelStates: () => (modelStates ??= modelStatesAlong(result.events, request.spec.config, request.spec.faults)),
  };
}
