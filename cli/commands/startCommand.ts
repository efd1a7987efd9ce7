import { propertyNames, type PropertyName } from '../../properties/index.ts';
import { describeConfig } from '../../scenarios/config/describeConfig.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import type { SwitchValues } from '../../scenarios/config/SwitchValues.ts';
import { DEFAULT_MAX_SHRINK_ATTEMPTS, explore, type ExploreReport } from '../../scenarios/explore.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { exploreReportText, firstViolationPerProperty, replayCommand, storySize } from '../format/exploreReport.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, parseCommandArgs } from '../options.ts';
import { EXIT } from '../UsageError.ts';

export const START_HELP = `Usage: npm start

The main job on defaults: explores the configuration that shipped (v0.4) and the one with both fixes
(wiring=retry offset=durable) on the daily-digest scenario with the default faults, at most ${DEFAULT_RUNS} runs each from
seed ${DEFAULT_SEED}: v0.4 for the duplicate digest of the bug report, the fixed one for any violation. Shows both outcomes
side by side, then the shrunk story of each finding with its replay command.
Exits 0 when it ran; its findings are the output, not a failure.`;

const COLUMN_WIDTH = 50;

/** `start`: the side-by-side comparison a new user sees first. */
export async function startCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('start', args, { help: { type: 'boolean', short: 'h' } }, false);
  if (values['help']) {
    out(START_HELP);
    return EXIT.clean;
  }
  // v0.4 is hunted for the bug report's symptom; the fixed configuration must show nothing at all.
  const configs: Array<{ title: string; switches: SwitchValues; properties: PropertyName[] }> = [
    { title: 'v0.4 (as shipped)', switches: {}, properties: ['duplicate-action'] },
    { title: 'both fixes', switches: { wiring: 'retry', offset: 'durable' }, properties: [...propertyNames()] },
  ];
  const reports: ExploreReport[] = [];
  for (const { switches, properties } of configs) {
    const spec = runSpecFor({ scenario: DEFAULT_SCENARIO, switches, faults: DEFAULT_FAULT_KINDS });
    out(`exploring ${describeConfig(spec.config)} for ${properties.length === propertyNames().length ? 'any violation' : properties.join(', ')} ...`);
    reports.push(
      await explore({
        spec,
        maxRuns: DEFAULT_RUNS,
        seed: DEFAULT_SEED,
        properties,
        maxShrinkAttempts: DEFAULT_MAX_SHRINK_ATTEMPTS,
      }),
    );
  }
  out('');
  const row = (label: string, cells: string[]): string => `${label.padEnd(18)}${cells.map((cell) => cell.padEnd(COLUMN_WIDTH)).join('')}`;
  out(row('', configs.map((entry) => entry.title)));
  out(row('switches', reports.map((report) => `${report.request.spec.config['wiring']} / ${report.request.spec.config['offset']}`)));
  out(row('looking for', configs.map((entry) => (entry.properties.length === propertyNames().length ? 'any violation' : entry.properties.join(', ')))));
  out(row('runs', reports.map((report) => String(report.runsExecuted))));
  out(row('first finding', reports.map((report) => (report.finding ? `${report.finding.property} (run #${report.finding.runIndex})` : 'none'))));
  out(row('violated', reports.map((report) => (report.finding ? firstViolationPerProperty(report.finding.shrunk).map((v) => v.property).join(', ') : '-'))));
  out(row('shrunk story', reports.map((report) => (report.finding ? `${storySize(report.finding.shrunk).steps} steps, ${storySize(report.finding.shrunk).storyEvents} events` : '-'))));
  out(row('faults in it', reports.map((report) => (report.finding ? storySize(report.finding.shrunk).faults.join(', ') || 'none' : '-'))));
  for (const report of reports) {
    if (!report.finding) continue;
    out('');
    out('-'.repeat(100));
    exploreReportText(report).forEach((line) => out(line));
  }
  const found = reports.filter((report) => report.finding);
  if (found.length > 0) {
    out('');
    out('To replay a finding:');
    found.forEach((report) => out(`  ${replayCommand(report.finding!.replayToken)}`));
  }
  return EXIT.clean;
}
