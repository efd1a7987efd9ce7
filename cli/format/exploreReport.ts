import { describeConfig } from '../../scenarios/config/describeConfig.ts';
import type { ExploreReport, Finding } from '../../scenarios/explore.ts';
import type { RunResult } from '../../scenarios/runScenario.ts';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';
import { propertiesNotJudged, type RunSpec } from '../../scenarios/index.ts';
import { propertyNames, type Violation } from '../../properties/index.ts';
import { coverageJson, coverageLines } from './coverageFigures.ts';
import { faultsInRun, isStoryEvent } from './story.ts';
import { formatTimeline, timelineLegend, TIMELINE_WIDTH, timelineRows, wrap } from './timeline.ts';
import { formatVirtualTime, reportText } from '../../scenarios/reportNotation.ts';
import { runRange } from '../../sim/explore/runRange.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

/** One line per property the configuration's runs are not judged by, with why: a property left out is said so. */
export function notJudgedLines(spec: RunSpec): string[] {
  return propertiesNotJudged(spec).map((entry) => `${entry.property}: not judged in these runs (${entry.reason})`);
}

/** The command that replays a token, as a user types it. */
export const replayCommand = (token: string): string => `${SIM_COMMAND} replay ${token}`;

/** One violation per property, the first of each, in property order. */
export function firstViolationPerProperty(result: RunResult): Violation[] {
  return propertyNames().flatMap((name) => result.violations.find((violation) => violation.property === name) ?? []);
}

/** Story size of a run: scheduler steps, events a person reads, injected faults. */
export function storySize(result: RunResult): { steps: number; storyEvents: number; faultCount: number; faults: string[] } {
  return {
    steps: result.steps,
    storyEvents: result.events.filter(isStoryEvent).length,
    faultCount: result.events.filter((event) => event.kind === 'fault').length,
    faults: faultsInRun(result.events),
  };
}

/** The `--json` object of `explore`. */
export function exploreReportJson(report: ExploreReport): Record<string, unknown> {
  const { request, finding } = report;
  return {
    scenario: request.spec.scenario,
    runtime: request.spec.runtime,
    config: { ...request.spec.config },
    faults: [...request.spec.faults],
    seed: request.seed,
    strategy: { name: report.strategy.name, exhausted: report.strategy.exhausted, ...report.strategy.figures },
    runsRequested: request.maxRuns,
    shrinkAttempts: request.maxShrinkAttempts,
    ...(request.ignoredRuns?.size ? { ignoredRuns: [...request.ignoredRuns].sort((a, b) => a - b).map((index) => index + 1) } : {}),
    runsExecuted: report.runsExecuted,
    ...(report.failingRuns
      ? { failingRuns: report.failingRuns.map((run) => ({ run: run.runIndex + 1, properties: [...run.properties], kinds: [...run.kinds], replay: replayTokenFor(request.spec, run.choices, run.properties[0]) })) }
      : {}),
    properties: [...request.properties],
    ...(propertiesNotJudged(request.spec).length > 0 ? { notJudged: propertiesNotJudged(request.spec).map((entry) => ({ ...entry })) } : {}),
    violations: finding
      ? firstViolationPerProperty(finding.shrunk).map((violation) => ({
          property: violation.property,
          message: violation.message,
          runIndex: finding.runIndex,
          run: finding.runIndex + 1,
          step: violation.step,
          atMs: violation.atMs,
          replay: finding.replayToken,
          traceHash: finding.shrunk.traceHash,
        }))
      : [],
    finding: finding ? findingJson(finding) : null,
    coverage: coverageJson(report),
    // Last, so that a merge that drops it leaves the object one unsharded run prints (cli/merge/mergeShards.ts).
    ...(request.shard ? { shard: { index: request.shard.index, count: request.shard.count } } : {}),
  };
}

function findingJson(finding: Finding): Record<string, unknown> {
  return {
    property: finding.property,
    runIndex: finding.runIndex,
    run: finding.runIndex + 1,
    original: { choices: finding.original.choices.length, ...storySize(finding.original), violated: violatedNames(finding.original), traceHash: finding.original.traceHash },
    shrunk: { choices: finding.script.length, ...storySize(finding.shrunk), violated: violatedNames(finding.shrunk), traceHash: finding.shrunk.traceHash },
    shrinkAttempts: finding.shrinkAttempts,
    shrunkToLocalMinimum: finding.shrunkToLocalMinimum,
    replay: finding.replayToken,
  };
}

function violatedNames(result: RunResult): string[] {
  return firstViolationPerProperty(result).map((violation) => violation.property);
}

/** The human report of `explore`: what was searched, then the finding ({@link findingReportText}). */
export function exploreReportText(report: ExploreReport): string[] {
  const { request } = report;
  return [
    [request.spec.scenario, request.spec.runtime, describeConfig(request.spec.config), `faults: ${request.spec.faults.join(', ') || 'none'}`].filter((part) => part !== '').join(' · '),
    `${strategyLine(report)} · seed ${request.seed} · up to ${request.maxRuns} runs${ignoredRunsText(request.ignoredRuns)} · counting: ${request.properties.length === propertyNames().length ? 'all properties' : request.properties.join(', ')}`,
    ...(request.shard ? [shardLine(report)] : []),
    ...notJudgedLines(request.spec),
    ...failingRunsLines(report),
    '',
    ...findingReportText(report),
  ];
}

/** With `--keep-going`: how many runs violated a counted property, and which (their tokens are in `--json`). */
function failingRunsLines(report: ExploreReport): string[] {
  const failing = report.failingRuns;
  if (!failing) return [];
  const runs = failing.map((run) => `${run.runIndex + 1} (${run.kinds.join(', ')})`).join(', ');
  return wrap(`kept going: ${failing.length} of ${report.runsExecuted} runs violated a counted property${failing.length > 0 ? `: ${runs}` : ''}`, TIMELINE_WIDTH);
}

/**
 * What a search found: the run, how far it shrank, the shrunk story as a timeline, its violations and the command that
 * replays it; or that nothing was found.
 */
export function findingReportText(report: ExploreReport): string[] {
  const { request, finding } = report;
  if (!finding) {
    const lines = [`No violation in ${report.runsExecuted} runs.`];
    if (report.strategy.name === 'exhaustive') lines.push(exhaustiveCoverageLine(report));
    lines.push(...coverageLines(report));
    return lines;
  }
  const before = storySize(finding.original);
  const after = storySize(finding.shrunk);
  return [
    request.shard
      ? `Found ${finding.property} in run ${finding.runIndex + 1} (this shard's ${ordinal(report.runsExecuted)} of at most ${runRange(request.maxRuns, request.shard).count}).`
      : `Found ${finding.property} in run ${finding.runIndex + 1} of at most ${request.maxRuns}.`,
    `  that run violated: ${violatedNames(finding.original).join(', ')}`,
    ...coverageLines(report),
    '',
    ...wrap(
      `Shrunk (${finding.shrinkAttempts} candidate runs): ${finding.original.choices.length} -> ${finding.script.length} choices, ` +
        `${before.steps} -> ${after.steps} steps, ${before.storyEvents} -> ${after.storyEvents} story events, ` +
        `${before.faultCount} -> ${after.faultCount} injected faults` +
        (finding.shrunkToLocalMinimum ? ' (a local minimum: no single deviation can be removed).' : ' (shrink budget spent).'),
      TIMELINE_WIDTH,
    ),
    `  faults before: ${before.faults.join(', ') || 'none'}`,
    `  faults after:  ${after.faults.join(', ') || 'none'}`,
    '',
    'Story:',
    ...timelineLegend(request.spec.scenario).map((line) => `  ${line}`),
    '',
    ...formatTimeline(timelineRows(finding.shrunk.events, finding.shrunk.violations, false, finding.property), finding.shrunk.events, TIMELINE_WIDTH, finding.shrunk.violations),
    '',
    'Violations in this story:',
    ...firstViolationPerProperty(finding.shrunk).map(
      (violation) => `  ${violation.property.padEnd(16)} ${reportText(violation.message)} (step ${violation.step}, ${formatVirtualTime(violation.atMs)})`,
    ),
    '',
    'Replay it exactly:',
    `  ${replayCommand(finding.replayToken)}`,
    `trace hash ${finding.shrunk.traceHash}`,
  ];
}

/** `1st`, `2nd`, `3rd`, `4th`, ... */
function ordinal(count: number): string {
  const tens = count % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${count}${suffix}`;
}

/** What a shard of an explore covers. */
function shardLine(report: ExploreReport): string {
  const { maxRuns, shard } = report.request;
  const { index, count } = shard!;
  const runs = [index, index + count, index + 2 * count].filter((run) => run <= maxRuns).join(', ');
  return `shard ${index}/${count}: runs ${runs}, ... of the first ${maxRuns} (${runRange(maxRuns, shard).count} runs; run indexes r with r mod ${count} = ${index - 1}); merge the --json outputs of all ${count} shards (${SIM_COMMAND} merge) for the unsharded result`;
}

function strategyLine(report: ExploreReport): string {
  const { name, figures } = report.strategy;
  if (name === 'pct') return `strategy pct (depth ${String(figures['depth'])})`;
  if (name === 'exhaustive') return `strategy exhaustive (at most ${String(figures['maxDeviations'])} deviations per run)`;
  if (name === 'guided' && figures['draw'] === 'uniform') return 'strategy guided (uniform draws)';
  return `strategy ${name}`;
}

/** How much of the bounded space an exhaustive search covered, and whether the bound cut it. */
export function exhaustiveCoverageLine(report: ExploreReport): string {
  const { figures, exhausted } = report.strategy;
  const covered = `${String(figures['schedulesCovered'])} distinct schedules`;
  if (!exhausted) return `Exhaustive search stopped at the run budget after ${covered}; the space is not covered (raise --runs).`;
  return figures['boundCut']
    ? `Exhaustive search covered all ${covered} within the bound; the bound cut the search (schedules with more deviations were not run).`
    : `Exhaustive search covered all ${covered}; the bound did not cut the search (every schedule over the representative answers).`;
}

/** ` · ignoring runs 12, 40` when the search ignores runs' violations (`--ignore-runs`). */
function ignoredRunsText(ignored: ReadonlySet<number> | undefined): string {
  if (!ignored?.size) return '';
  const runs = [...ignored].sort((a, b) => a - b).map((index) => index + 1);
  return ` · ignoring run${runs.length === 1 ? '' : 's'} ${runs.join(', ')}`;
}
