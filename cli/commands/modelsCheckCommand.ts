import { CHECK_SLICES, CHECKED_PROPERTIES } from '../../models/check/checkSlices.ts';
import { DEFAULT_CHECK_BOUNDS, LOST_LEASE_BOUNDS } from '../../models/check/checkReachability.ts';
import type { CheckBounds } from '../../models/check/CheckState.ts';
import { describePath, modelCheck, type PropertyVerdict } from '../../models/check/modelCheck.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { replayCommand } from '../format/exploreReport.ts';
import { wrap } from '../format/timeline.ts';
import { parseCommandArgs, parseFaultsOption, parseRuns, parseSeed } from '../options.ts';
import { EXIT, UsageError } from '../UsageError.ts';
import { allConfigs } from '../../models/coverage/measureCoverage.ts';
import { MODEL_IDEMPOTENCY_CHECKS, MODEL_OFFSET_MODES, MODEL_WIRING_MODES, type ModelConfig } from '../../models/modelConfig.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

const DEFAULT_REPRODUCTION_RUNS = 200;
/** Wide enough for the longest cell, `path 27 (lost lease): driven yes, search run 200`, and a gap. */
const CELL_WIDTH = 50;
const HELP_WIDTH = 118;

/** The bounds as a phrase: `1 occurrence, 1 other message, ...`. */
function boundsText(bounds: CheckBounds): string {
  const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return (
    `${count(bounds.occurrences, 'occurrence', 'occurrences')}, ${count(bounds.messages, 'other message', 'other messages')}, ` +
    `${count(bounds.processes, 'host process', 'host processes')}, ${count(bounds.wakes, 'wake', 'wakes')}, ${count(bounds.wakeAppends, 'wake event', 'wake events')}, ` +
    `${count(bounds.preloadFailures, 'preload failure', 'preload failures')}, ${count(bounds.crashes, 'crash', 'crashes')} and ` +
    `${count(bounds.redeploys, 'redeploy', 'redeploys')} when those faults are enabled`
  );
}

/** Where the second search looks, and why it exists (README, "The models"). */
const LOST_LEASE_TEXT =
  `Where the first search finds no path for a property of the wake slice, a second one lets a lease end under a running ` +
  `wake, which then lingers beside the next wake (a wiring=retry loop that outlasts its lease: exploration's duplicate ` +
  `under wiring=retry offset=durable, matrix run 192), within smaller bounds (${boundsText(LOST_LEASE_BOUNDS)}); ` +
  `its paths are marked "(lost lease)". Model conformance refuses that second wake for a runtime that neither renews ` +
  `nor fences its lease (the hazard it reports); the check admits it to show what it leads to. A story that needs a ` +
  `lost lease and a restart is beyond both searches.`;

export const MODELS_CHECK_HELP = `Usage: ${SIM_COMMAND} models check [options]

Bounded model checking of the composed model: for every combination of the wiring, offset and idempotency switches,
whether each violation kind (unwired-resolve, duplicate-action, wake-replay, missed-action, hang) is reachable in the
model, with the shortest event path to it. Where it is, the simulated runtime is tried two ways, reported apart:
driven along the path's environment events (occurrences, messages, preload failures, redeploys, crashes), and a
seeded search under that configuration for the same violation (${DEFAULT_REPRODUCTION_RUNS} runs at most), with a replay token when found.

${wrap(`"no path" is a bounded result about the model, not a proof about the runtime: no event sequence within the bounds (${boundsText(DEFAULT_CHECK_BOUNDS)}) leads the model to the violation. The model is meant to allow everything the runtime does; test/models/checkAgainstMatrix.test.ts holds it to what exploration finds on every cell.`, HELP_WIDTH).join('\n')}
${wrap(LOST_LEASE_TEXT, HELP_WIDTH).join('\n')}

Two traversals answer every cell: the runner slice (wake-replay, and whether a wake event can be lost for good) reads
the offset switch; the wake slice (the other four) reads wiring and idempotency, and offset through the runner slice.

Options:
  --faults LIST   fault kinds the environment may use (default: the default set)
  --wiring V, --offset V, --idempotency V
                  check only the combinations with these values (default: every combination)
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
  const lease = verdict.lostLease === true ? ' (lost lease)' : '';
  if (!reproduction) return `path ${verdict.path.length}${lease}`;
  const driven = reproduction.driven.reproduced ? 'yes' : 'no';
  const search = reproduction.search.foundAtRun !== undefined ? `run ${reproduction.search.foundAtRun}` : `none/${reproduction.search.runsExecuted}`;
  return `path ${verdict.path.length}${lease}: driven ${driven}, search ${search}`;
}

/** The switch values `models check` may be restricted to, by option. */
const SWITCH_VALUES: Readonly<Record<'wiring' | 'offset' | 'idempotency', readonly string[]>> = {
  wiring: MODEL_WIRING_MODES,
  offset: MODEL_OFFSET_MODES,
  idempotency: MODEL_IDEMPOTENCY_CHECKS,
};

/** Every combination of the switches, or those with the values given (an unknown value is a usage error). */
function selectedConfigs(chosen: Readonly<Record<keyof typeof SWITCH_VALUES, string | undefined>>): ModelConfig[] {
  for (const [name, value] of Object.entries(chosen) as Array<[keyof typeof SWITCH_VALUES, string | undefined]>) {
    if (value !== undefined && !SWITCH_VALUES[name].includes(value)) throw new UsageError(`models check: --${name} ${value} is not a value of that switch (one of: ${SWITCH_VALUES[name].join(', ')})`);
  }
  return allConfigs().filter((config) => (Object.keys(chosen) as Array<keyof typeof SWITCH_VALUES>).every((name) => chosen[name] === undefined || config[name] === chosen[name]));
}

/** `models check`. */
export async function modelsCheckCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'models check',
    args,
    {
      faults: { type: 'string' },
      wiring: { type: 'string' },
      offset: { type: 'string' },
      idempotency: { type: 'string' },
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
  const configs = selectedConfigs({ wiring: values['wiring'] as string | undefined, offset: values['offset'] as string | undefined, idempotency: values['idempotency'] as string | undefined });
  const reproductionRuns = values['no-reproduce'] ? 0 : values['runs'] === undefined ? DEFAULT_REPRODUCTION_RUNS : parseRuns(values['runs']);
  const verdicts = await modelCheck({ scenario: DEFAULT_SCENARIO, faults, reproductionRuns, seed: parseSeed(values['seed']), configs });
  if (values['json']) {
    const property = (verdict: PropertyVerdict) => ({
      reachable: verdict.reachable,
      statesExplored: verdict.statesExplored,
      switchesRead: verdict.switchesRead,
      ...(verdict.wakesMayBeLost === undefined ? {} : { wakesMayBeLost: verdict.wakesMayBeLost }),
      ...(verdict.lostLease === undefined ? {} : { lostLease: verdict.lostLease }),
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
          lostLeaseBounds: LOST_LEASE_BOUNDS,
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
  out(`faults: ${faults.join(', ') || 'none'}; bounds: ${boundsText(DEFAULT_CHECK_BOUNDS)}`);
  out(
    reproductionRuns > 0
      ? `"no path": the model reaches no violation within the bounds. "path N": it does, in N events; then the runtime driven along it (yes/no) and a search of ${reproductionRuns} runs (the run that showed it, or none).`
      : '"no path": the model reaches no violation within the bounds. "path N": it does, in N events (runtime not tried: --no-reproduce).',
  );
  for (const line of wrap(LOST_LEASE_TEXT, HELP_WIDTH)) out(line);
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
      out(`  ${name} (e.g. wiring=${config.wiring} offset=${config.offset} idempotency=${config.idempotency})${verdict.lostLease === true ? ', with a lost lease' : ''}:`);
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
