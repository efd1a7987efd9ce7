import { CHECK_SLICES, CHECKED_PROPERTIES } from '../../models/check/checkSlices.ts';
import { DEFAULT_CHECK_BOUNDS } from '../../models/check/checkReachability.ts';
import { describePath, modelCheck, type PropertyVerdict } from '../../models/check/modelCheck.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { replayCommand } from '../format/exploreReport.ts';
import { parseCommandArgs, parseFaultsOption, parseRuns, parseSeed } from '../options.ts';
import { EXIT } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';

const DEFAULT_REPRODUCTION_RUNS = 200;
const CELL_WIDTH = 36;

/**
 * What the model leaves out that exploration has shown, so that a reader of a "no path" knows where it does not hold
 * (README, "The models").
 */
const KNOWN_GAP_TEXT =
  'Known gap: the model has no lease that expires under a running wake, so a duplicate from two wakes at once ' +
  '(a wiring=retry loop that outlives its lease) is "no path" although exploration finds it (wiring=retry offset=durable, matrix run 192).';

const BOUNDS_TEXT =
  `${DEFAULT_CHECK_BOUNDS.occurrences} occurrence, ${DEFAULT_CHECK_BOUNDS.messages} other message, ${DEFAULT_CHECK_BOUNDS.processes} host processes, ` +
  `${DEFAULT_CHECK_BOUNDS.wakes} wakes, ${DEFAULT_CHECK_BOUNDS.wakeAppends} wake events, ${DEFAULT_CHECK_BOUNDS.preloadFailures} preload failures, ` +
  `${DEFAULT_CHECK_BOUNDS.crashes} ${DEFAULT_CHECK_BOUNDS.crashes === 1 ? 'crash' : 'crashes'} and ${DEFAULT_CHECK_BOUNDS.redeploys} ` +
  `${DEFAULT_CHECK_BOUNDS.redeploys === 1 ? 'redeploy' : 'redeploys'} when those faults are enabled`;

export const MODELS_CHECK_HELP = `Usage: npm run sim -- models check [options]

Bounded model checking of the composed model: for every combination of the wiring, offset and idempotency switches,
whether each violation kind (unwired-resolve, duplicate-action, wake-replay, missed-action, hang) is reachable in the
model, with the shortest event path to it. Where it is, the simulated runtime is tried two ways, reported apart:
driven along the path's environment events (occurrences, messages, preload failures, redeploys, crashes), and a
seeded search under that configuration for the same violation (${DEFAULT_REPRODUCTION_RUNS} runs at most), with a replay token when found.

"no path" is a bounded result about the model, not a proof about the runtime: no event sequence within the bounds
(${BOUNDS_TEXT}) leads the model to the violation. The model is meant to allow everything the runtime does;
test/models/checkAgainstMatrix.test.ts holds it to what exploration finds on every cell. ${KNOWN_GAP_TEXT}

Two traversals answer every cell: the runner slice (wake-replay, and whether a wake event can be lost for good) reads
the offset switch; the wake slice (the other four) reads wiring and idempotency, and offset through the runner slice.

Options:
  --faults LIST   fault kinds the environment may use (default: the default set)
  --runs N        runtime runs per search (default: ${DEFAULT_REPRODUCTION_RUNS}); --no-reproduce skips driving and searching
  --no-reproduce  model only
  --seed S        base seed of the searches (default: 1)
  --json          print one JSON object
${configModuleHelpLine(18)}
  -h, --help      show this help`;

/** One cell of the table: `no path`, or the path's length and what the runtime showed of it, each way. */
function cellText(verdict: PropertyVerdict): string {
  if (!verdict.reachable) return 'no path';
  const reproduction = verdict.reproduction;
  if (!reproduction) return `path ${verdict.path.length}`;
  const driven = reproduction.driven.reproduced ? 'yes' : 'no';
  const search = reproduction.search.foundAtRun !== undefined ? `run ${reproduction.search.foundAtRun}` : `none/${reproduction.search.runsExecuted}`;
  return `path ${verdict.path.length}: driven ${driven}, search ${search}`;
}

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
    const property = (verdict: PropertyVerdict) => ({
      reachable: verdict.reachable,
      statesExplored: verdict.statesExplored,
      switchesRead: verdict.switchesRead,
      ...(verdict.wakesMayBeLost === undefined ? {} : { wakesMayBeLost: verdict.wakesMayBeLost }),
      path: describePath(verdict.path),
      drivenAlongPath: verdict.reproduction ? { reproduced: verdict.reproduction.driven.reproduced, steps: verdict.reproduction.driven.steps } : null,
      search: verdict.reproduction
        ? { runs: verdict.reproduction.search.runsExecuted, foundAtRun: verdict.reproduction.search.foundAtRun ?? null, replay: verdict.reproduction.search.replay ?? null }
        : null,
    });
    out(
      JSON.stringify(
        {
          scenario: DEFAULT_SCENARIO,
          faults,
          bounds: DEFAULT_CHECK_BOUNDS,
          slices: Object.values(CHECK_SLICES).map(({ name, properties, switches, soundness }) => ({ name, properties, switches, soundness })),
          reproductionRuns,
          configs: verdicts.map(({ config, properties }) => ({
            config,
            properties: Object.fromEntries(CHECKED_PROPERTIES.map((name) => [name, property(properties[name])])),
          })),
        },
        null,
        2,
      ),
    );
    return EXIT.clean;
  }
  out(`faults: ${faults.join(', ') || 'none'}; bounds: ${BOUNDS_TEXT}`);
  out(
    reproductionRuns > 0
      ? `"no path": the model reaches no violation within the bounds. "path N": it does, in N events; then the runtime driven along it (yes/no) and a search of ${reproductionRuns} runs (the run that showed it, or none).`
      : '"no path": the model reaches no violation within the bounds. "path N": it does, in N events (runtime not tried: --no-reproduce).',
  );
  out(KNOWN_GAP_TEXT);
  out(`${'wiring'.padEnd(14)} ${'offset'.padEnd(12)} ${'idempotency'.padEnd(15)} ${CHECKED_PROPERTIES.map((name) => name.padEnd(CELL_WIDTH)).join('')}`);
  for (const { config, properties } of verdicts) {
    out(`${config.wiring.padEnd(14)} ${config.offset.padEnd(12)} ${config.idempotency.padEnd(15)} ${CHECKED_PROPERTIES.map((name) => cellText(properties[name]).padEnd(CELL_WIDTH)).join('')}`);
  }
  const shown = new Set<string>();
  out('');
  out('Shortest paths:');
  for (const { config, properties } of verdicts) {
    for (const name of CHECKED_PROPERTIES) {
      const verdict = properties[name];
      const path = describePath(verdict.path).join(' -> ');
      if (!verdict.reachable || shown.has(`${name}:${path}`)) continue;
      shown.add(`${name}:${path}`);
      out(`  ${name} (e.g. wiring=${config.wiring} offset=${config.offset} idempotency=${config.idempotency}):`);
      describePath(verdict.path).forEach((line, index) => out(`    ${String(index + 1).padStart(2)}. ${line}`));
      const reproduction = verdict.reproduction;
      if (!reproduction) continue;
      out(`    driven along it (${reproduction.driven.steps.join(', ') || 'no environment steps'}): ${reproduction.driven.reproduced ? 'reproduced' : 'not reproduced'}`);
      out(
        reproduction.search.replay
          ? `    found by search at run ${reproduction.search.foundAtRun}: ${replayCommand(reproduction.search.replay)}`
          : `    not found by search in ${reproduction.search.runsExecuted} runs`,
      );
    }
  }
  return EXIT.clean;
}
