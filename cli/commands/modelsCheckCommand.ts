import { CHECKED_PROPERTIES } from '../../models/check/candidateEvents.ts';
import { DEFAULT_CHECK_BOUNDS } from '../../models/check/checkReachability.ts';
import { describePath, modelCheck, type PropertyVerdict } from '../../models/check/modelCheck.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { replayCommand } from '../format/exploreReport.ts';
import { parseCommandArgs, parseFaultsOption, parseRuns, parseSeed } from '../options.ts';
import { EXIT } from '../UsageError.ts';

const DEFAULT_REPRODUCTION_RUNS = 200;

export const MODELS_CHECK_HELP = `Usage: npm run sim -- models check [options]

Bounded model checking of the composed model: for every combination of the wiring, offset and idempotency switches,
whether each violation kind (unwired-resolve, duplicate-action, wake-replay, missed-action, hang) is reachable, with
the shortest event path to it; then, where it is, the simulated runtime driven along the path's environment events
(occurrences, messages, preload failures, redeploys, crashes), and a seeded search under that configuration for the
same violation (${DEFAULT_REPRODUCTION_RUNS} runs at most), with a replay token when found.

Bounds: ${DEFAULT_CHECK_BOUNDS.occurrences} occurrence, ${DEFAULT_CHECK_BOUNDS.messages} other message, ${DEFAULT_CHECK_BOUNDS.processes} host processes, ${DEFAULT_CHECK_BOUNDS.wakes} wakes, ${DEFAULT_CHECK_BOUNDS.wakeAppends} wake events, ${DEFAULT_CHECK_BOUNDS.preloadFailures} preload failures,
${DEFAULT_CHECK_BOUNDS.crashes} crash and ${DEFAULT_CHECK_BOUNDS.redeploys} redeploy when those faults are enabled.

Options:
  --faults LIST   fault kinds the environment may use (default: the default set)
  --runs N        runtime runs per reproduction (default: ${DEFAULT_REPRODUCTION_RUNS}); --no-reproduce skips it
  --no-reproduce  model only
  --seed S        base seed of the reproduction runs (default: 1)
  --json          print one JSON object
  -h, --help      show this help`;

/** `models check`. */
export async function modelsCheckCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'models check',
    args,
    {
      faults: { type: 'string' },
      runs: { type: 'string' },
      'no-reproduce': { type: 'boolean' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values['help']) {
    out(MODELS_CHECK_HELP);
    return EXIT.clean;
  }
  const faults = parseFaultsOption(values['faults']);
  const reproductionRuns = values['no-reproduce'] ? 0 : values['runs'] === undefined ? DEFAULT_REPRODUCTION_RUNS : parseRuns(values['runs']);
  const verdicts = await modelCheck({ scenario: DEFAULT_SCENARIO, faults, reproductionRuns, seed: parseSeed(values['seed']) });
  if (values['json']) {
    out(
      JSON.stringify(
        {
          scenario: DEFAULT_SCENARIO,
          faults,
          bounds: DEFAULT_CHECK_BOUNDS,
          reproductionRuns,
          configs: verdicts.map(({ config, properties }) => ({
            config,
            properties: Object.fromEntries(
              CHECKED_PROPERTIES.map((property) => {
                const verdict = properties[property];
                return [
                  property,
                  {
                    reachable: verdict.reachable,
                    statesExplored: verdict.statesExplored,
                    path: describePath(verdict.path),
                    reproduced: verdict.reproduction?.reproduced ?? null,
                    drivenAlongPath: verdict.reproduction?.driven.reproduced ?? null,
                    driveSteps: verdict.reproduction?.driven.steps ?? [],
                    searchRuns: verdict.reproduction?.runsExecuted ?? 0,
                    replay: verdict.reproduction?.replay ?? null,
                  },
                ];
              }),
            ),
          })),
        },
        null,
        2,
      ),
    );
    return EXIT.clean;
  }
  const cell = (verdict: PropertyVerdict): string => {
    if (!verdict.reachable) return 'unreachable';
    const reproduction = verdict.reproduction;
    const driven = reproduction?.driven.reproduced ? 'path' : 'not path';
    const searched = reproduction?.replay ? `run ${reproduction.runsExecuted}` : `not in ${reproduction?.runsExecuted ?? 0}`;
    const tail = reproduction === undefined ? '' : `, runtime: ${driven}, ${searched}`;
    return `reachable (${verdict.path.length})${tail}`;
  };
  out(`faults: ${faults.join(', ') || 'none'}; reachable (path length); runtime: driven along the path, and the search run that showed it`);
  out(`${'wiring'.padEnd(14)} ${'offset'.padEnd(12)} ${'idempotency'.padEnd(15)} ${CHECKED_PROPERTIES.map((property) => property.padEnd(38)).join('')}`);
  for (const { config, properties } of verdicts) {
    out(`${config.wiring.padEnd(14)} ${config.offset.padEnd(12)} ${config.idempotency.padEnd(15)} ${CHECKED_PROPERTIES.map((property) => cell(properties[property]).padEnd(38)).join('')}`);
  }
  const shown = new Set<string>();
  out('');
  out('Shortest paths:');
  for (const { config, properties } of verdicts) {
    for (const property of CHECKED_PROPERTIES) {
      const verdict = properties[property];
      const path = describePath(verdict.path).join(' -> ');
      if (!verdict.reachable || shown.has(`${property}:${path}`)) continue;
      shown.add(`${property}:${path}`);
      out(`  ${property} (e.g. wiring=${config.wiring} offset=${config.offset} idempotency=${config.idempotency}):`);
      describePath(verdict.path).forEach((line, index) => out(`    ${String(index + 1).padStart(2)}. ${line}`));
      if (verdict.reproduction) out(`    runtime driven along it (${verdict.reproduction.driven.steps.join(', ') || 'no environment steps'}): ${verdict.reproduction.driven.reproduced ? 'reproduced' : 'not reproduced'}`);
      if (verdict.reproduction?.replay) out(`    runtime search: ${replayCommand(verdict.reproduction.replay)}`);
    }
  }
  return EXIT.clean;
}
