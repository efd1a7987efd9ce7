import type { PropertyName } from '../../properties/index.ts';
import { describeConfig } from '../config/describeConfig.ts';
import type { RunSpec } from '../index.ts';
import { reportText } from '../reportNotation.ts';
import type { RunResult } from '../runScenario.ts';
import { SIM_COMMAND } from '../simCommand.ts';

/** A property failed in a simulated story: the message says which, how, and how to replay the story. */
export class SimPropertyError extends Error {
  override name = 'SimPropertyError';

  constructor(
    message: string,
    readonly property: PropertyName,
    readonly replayToken: string,
    readonly traceHash: string,
  ) {
    super(message);
  }
}

/** Scenario, switches and fault kinds of a spec, one line: `daily-digest · wiring=... · faults: redeploy`. */
export function specSummary(spec: RunSpec): string {
  return [spec.scenario, spec.runtime, describeConfig(spec.config), `faults: ${[...spec.faults].sort().join(',') || 'none'}`].filter((part) => part !== '').join(' · ');
}

/** Where the failing story came from and how to get it back, beyond the replay command. */
export interface FailureContext {
  /** How the story was found, e.g. `found in run 3 of at most 50 (seed 1, strategy random)`. */
  readonly where?: string;
  /** A command that reruns the failing test on this story, e.g. `SIM_REPLAY=<token> npx vitest run FILE`. */
  readonly rerun?: string;
}

/**
 * The error for a story that violates `property`: the violation, one line on the configuration and the story (steps,
 * injected faults), the command that replays it, and its trace hash — what `simCheck` throws and what a fast-check
 * property can throw ({@link assertNoViolation}), so both fail the same way.
 */
export function simPropertyError(story: RunResult, property: PropertyName, token: string, context: FailureContext = {}): SimPropertyError {
  const violation = story.violations.find((candidate) => candidate.property === property);
  const lines = [
    `${property}: ${violation === undefined ? 'violated' : reportText(violation.message)}`,
    `  ${[specSummary(story.spec), context.where, `the story: ${storySummary(story)}`].filter(Boolean).join('; ')}`,
    `  replay it:   ${SIM_COMMAND} replay ${token}`,
    ...(context.rerun === undefined ? [] : [`  rerun this test on that story:   ${context.rerun}`]),
    `  trace hash ${story.traceHash}`,
  ];
  return new SimPropertyError(lines.join('\n'), property, token, story.traceHash);
}

/** `42 steps, faults: redeploy ×1, preload-not-found ×1`. */
function storySummary(story: RunResult): string {
  const faults = new Map<string, number>();
  for (const event of story.events) {
    if (event.kind !== 'fault') continue;
    const kind = String(event.detail['kind']);
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  }
  const faultText = [...faults].map(([kind, count]) => `${kind} ×${count}`).join(', ') || 'none';
  return `${story.steps} steps, faults: ${faultText}`;
}
