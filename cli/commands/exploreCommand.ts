import { DEFAULT_MAX_SHRINK_ATTEMPTS, explore, type ExploreReport } from '../../scenarios/explore.ts';
import { exploreReportJson, exploreReportText } from '../format/exploreReport.ts';
import { parseCommandArgs, parseProperties, parseRuns, parseSeed, SPEC_OPTIONS, specFromOptions } from '../options.ts';
import { EXIT } from '../UsageError.ts';

export const EXPLORE_HELP = `Usage: npm run sim -- explore [options]

Runs seeded simulations of a scenario until one violates a property or the run budget is spent, shrinks the
failing run to a short story, prints it with the command that replays it exactly.

Options:
  --scenario NAME      scenario to run (default: daily-digest)
  --config PRESET      switch preset (default: v0.4 = wiring=swallow offset=minus-one idempotency=raw-collection)
  --wiring W           swallow | reject | retry | empty
  --offset O           minus-one | durable | durable-raw | tail | server-seek
  --idempotency I      raw-collection | public-read | wired-gate
  --faults LIST        comma list of: redeploy, crash, server-restart, preload-not-found, preload-foreign-item,
                       delivery-reorder, heartbeat-failure; or default | all | none
                       (default: redeploy,preload-not-found,preload-foreign-item,delivery-reorder)
  --runs N             stop after N runs (default: 500)
  --seed S             base seed, decimal or 0x hex (default: 1)
  --property P         count only these properties as findings; repeatable or comma-separated:
                       duplicate-action, missed-action, unwired-resolve, wake-replay, hang,
                       model-conformance (default: all)
  --json               print one JSON object instead of the report
  -h, --help           show this help

Exit status: 0 nothing found, 1 a violation was found, 2 bad input.`;

/** `explore`: sweep, shrink, report. */
export async function exploreCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'explore',
    args,
    { ...SPEC_OPTIONS, runs: { type: 'string' }, seed: { type: 'string' }, property: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    false,
  );
  if (values['help']) {
    out(EXPLORE_HELP);
    return EXIT.clean;
  }
  const report: ExploreReport = await explore({
    spec: specFromOptions(values),
    maxRuns: parseRuns(values['runs']),
    seed: parseSeed(values['seed']),
    properties: parseProperties(values['property']),
    maxShrinkAttempts: DEFAULT_MAX_SHRINK_ATTEMPTS,
  });
  if (values['json']) out(JSON.stringify(exploreReportJson(report), null, 2));
  else exploreReportText(report).forEach((line) => out(line));
  return report.finding ? EXIT.violation : EXIT.clean;
}
