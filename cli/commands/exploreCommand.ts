import { explore, type ExploreReport } from '../../scenarios/explore.ts';
import { withRegisteredSwitches } from '../format/switchHelp.ts';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';
import { ensureWritableDir } from '../outputPaths.ts';
import { traceFileFor, writeTraceFile } from '../traceFiles.ts';
import { coverageProgress } from '../format/coverageFigures.ts';
import { coverageGapLines, coverageGapsJson, coverageGapsOf } from '../format/coverageGaps.ts';
import { exploreReportJson, exploreReportText, replayCommand } from '../format/exploreReport.ts';
import { openProgress } from '../format/progress.ts';
import { wrap } from '../format/timeline.ts';
import {
  checkScaleOut,
  checkThisThreadOnly,
  parseCommandArgs,
  parseProperties,
  parseRuns,
  parseSeed,
  parseShard,
  parseIgnoredRuns,
  parseShrinkAttempts,
  parseStrategyOptions,
  parseWorkers,
  SCALE_OUT_OPTIONS,
  specOptions,
  specFromOptions,
  STRATEGY_OPTIONS,
} from '../options.ts';
import { EXIT } from '../UsageError.ts';
import { propertyNames } from '../../properties/index.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

/** The property names as the help lists them: comma-separated, wrapped under the option descriptions. */
const PROPERTY_LIST = wrap(propertyNames().join(', '), 118 - 23)
  .map((line) => `${' '.repeat(23)}${line}`)
  .join('\n');

export const EXPLORE_HELP = `Usage: ${SIM_COMMAND} explore [options]

Runs seeded simulations of a scenario until one violates a property or the run budget is spent, shrinks the
failing run to a short story, prints it with the command that replays it exactly.

Options:
  --scenario NAME      scenario to run: daily-digest (default) or minimal-digest (one digest, one message, one
                       redeploy, at most one preload failure; its default faults are
                       redeploy,preload-not-found,preload-foreign-item)
  --runtime NAME       the runtime under test: v0.4 (default), v0.6, or one a registration module adds
  --config PRESET      switch preset (default: v0.4 = wiring=swallow offset=minus-one idempotency=raw-collection)
  --wiring V, --offset V, --streams V, ...
                       a switch of the runtime, the simulated servers or the scenario, one option each; every one,
                       with its values and default, is listed below under "Switches of ..." (a --config preset sets
                       many at once; an option given beside it wins)
  --faults LIST        comma list of fault worlds and kinds, or none (default: report):
                         report    the bug report's: redeploy, preload-not-found, preload-foreign-item,
                                   delivery-reorder (also: default)
                         platform  crash, server-restart, heartbeat-failure, rolling-deploy, ds-restart
                         network   delivery-reorder, server-error, rate-limit, stream-outage, lost-answer,
                                   connection-drop, stale-connection, hung-connect, slow-handler, network-outage
                         all       every kind
                       platform faults also strike at moments the world sees (a wake in flight, a claim
                       outstanding, a lease about to expire, a stop's drain, ...)
  --runs N             stop after N runs (default: 500)
  --seed S             base seed, decimal or 0x hex (default: 1)
  --strategy NAME      how runs are drawn (default: random):
                         random      uniform answers per run seed
                         pct         priority change points over task order (--depth D, default 3)
                         swarm       per run, a random subset of the fault kinds at random rates
                         exhaustive  depth-first over every schedule with at most --max-deviations K non-ordinary
                                     answers per run (default 3); reports the schedules covered and whether the
                                     bound cut the search (meant for --scenario minimal-digest)
                         guided      coverage-guided: keeps the runs that reached new coverage (model transitions,
                                     event orders, faults) and derives new runs from them by editing their answers
                                     (faults inserted, moved, removed; answers changed; runs spliced and cut), in
                                     generations of 64 runs, as many of them fresh as fresh runs earn new coverage
                                     against derived ones (15 to 85 %); reports its corpus. Its fresh runs, and what a
                                     derived run draws after its edited answers, are swarm draws (--draw swarm, the
                                     default) or uniform ones as random's (--draw uniform: the world of the fault set
                                     as given, so a configuration whose random baseline is clean can be searched)
  --property P         count only these properties as findings; repeatable or comma-separated (default: all):
${PROPERTY_LIST}
  --out DIR            also write the finding as trace files: DIR/<property>.trace.json (shrunk) and
                       DIR/<property>.original.trace.json (as found); \`replay FILE\` re-runs either
  --json               print one JSON object instead of the report
  --coverage-gaps      also compare the model transitions the runs took with those \`models check\` reaches in this
                       configuration and fault set, and list each reachable one no run took (the traversal takes
                       seconds, longer with many fault kinds)
  --shrink-attempts N  at most N candidate runs while shrinking a finding (default 2500; 0: report the run as
                       found, unshrunk, e.g. when only whether and where a property fails matters)
  --ignore-runs LIST   run numbers whose violations do not count (they still run): known findings to look past,
                       e.g. the runs in which the unmutated runtime fails too (npm run mutants); not with --shard
                       or --workers
  --keep-going         run the whole budget and list every run that violated a counted property (its number,
                       properties and replay token), not only the first, which is shrunk as usual; not with
                       --shard or --workers
  --shard i/n          run only the run indexes r < --runs with r mod n = i - 1 (1 <= i <= n) and report this
                       shard's first finding; \`${SIM_COMMAND} merge FILE...\` combines the --json outputs of all n
                       shards into what one unsharded run prints (not with --strategy exhaustive; with
                       --strategy guided each shard is its own guided search, so the merge is the best of n
                       searches, not the unsharded one)
  --workers K          spread the runs over K worker threads (default 1: this thread); the report is the same
                       for any K (not with --strategy exhaustive)
  --no-progress        no progress line on stderr (it is drawn only on a terminal, without --json, outside CI)
${configModuleHelpLine(23)}
  -h, --help           show this help

Exit status: 0 nothing found, 1 a violation was found, 2 bad input (one line on stderr, before any run), 3 an
internal error of the tool.`;

/** `explore`: sweep, shrink, report. */
export async function exploreCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'explore',
    args,
    {
      ...specOptions(),
      ...STRATEGY_OPTIONS,
      runs: { type: 'string' },
      seed: { type: 'string' },
      property: { type: 'string', multiple: true },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'coverage-gaps': { type: 'boolean' },
      'shrink-attempts': { type: 'string' },
      'ignore-runs': { type: 'string' },
      'keep-going': { type: 'boolean' },
      ...SCALE_OUT_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values['help']) {
    out(withRegisteredSwitches(EXPLORE_HELP));
    return EXIT.clean;
  }
  const spec = specFromOptions(values);
  const maxRuns = parseRuns(values['runs']);
  const seed = parseSeed(values['seed']);
  const strategy = parseStrategyOptions(values);
  const properties = parseProperties(values['property']);
  const shard = parseShard(values['shard']);
  const workers = parseWorkers(values['workers']);
  const maxShrinkAttempts = parseShrinkAttempts(values['shrink-attempts']);
  checkScaleOut(strategy, shard, workers);
  const ignoredRuns = parseIgnoredRuns(values['ignore-runs'], maxRuns, shard, workers);
  const keepGoing = values['keep-going'] === true;
  if (keepGoing) checkThisThreadOnly('--keep-going', shard, workers);
  if (typeof values['out'] === 'string') ensureWritableDir(values['out'], '--out');
  const progress = openProgress({ json: values['json'] === true, noProgress: values['no-progress'] === true });
  const report: ExploreReport = await explore({
    spec,
    maxRuns,
    seed,
    strategy,
    properties,
    maxShrinkAttempts,
    ...(ignoredRuns.size > 0 ? { ignoredRuns } : {}),
    ...(keepGoing ? { keepGoing } : {}),
    ...(shard ? { shard } : {}),
    workers,
    onProgress: (snapshot) => progress.update({ ...snapshot, detail: coverageProgress(snapshot.modelTransitions, snapshot.strategy) }),
    onShrinkProgress: ({ tried, maxAttempts, bestChoices, bestSteps }) =>
      progress.update({ runsDone: 0, budget: maxRuns, findings: 1, shrinking: { tried, budget: maxAttempts, bestChoices, bestSteps } }),
  }).finally(() => progress.finish());
  const written = typeof values['out'] === 'string' ? writeFindingFiles(values['out'], report) : [];
  const gaps = values['coverage-gaps'] ? coverageGapsOf(report) : undefined;
  if (values['json']) {
    const json = exploreReportJson(report);
    if (gaps) json['coverage'] = { ...(json['coverage'] as Record<string, unknown>), reachable: coverageGapsJson(gaps) };
    out(JSON.stringify({ ...json, ...(written.length > 0 ? { traceFiles: written } : {}) }, null, 2));
  } else {
    exploreReportText(report).forEach((line) => out(line));
    if (gaps) coverageGapLines(gaps).forEach((line) => out(line));
    for (const path of written) out(`wrote ${path}  (${replayCommand(path)})`);
  }
  return report.finding ? EXIT.violation : EXIT.clean;
}

/** The shrunk and the original run of a finding as trace files; nothing when there is no finding. */
function writeFindingFiles(dir: string, report: ExploreReport): string[] {
  const { finding } = report;
  if (!finding) return [];
  const { spec } = report.request;
  return [
    writeTraceFile(dir, finding.property, traceFileFor(finding.shrunk, finding.replayToken, finding.property)),
    writeTraceFile(dir, `${finding.property}.original`, traceFileFor(finding.original, replayTokenFor(spec, finding.original.choices, finding.property), finding.property)),
  ];
}
