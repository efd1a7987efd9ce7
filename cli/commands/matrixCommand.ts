import { writeFileSync } from 'node:fs';
import { withRegisteredSwitches } from '../format/switchHelp.ts';
import { dirname } from 'node:path';
import { propertyNames, type PropertyName } from '../../properties/index.ts';
import type { RunResult } from '../../scenarios/runScenario.ts';
import { ensureWritableDir, ensureWritableFile, makeDirectories } from '../outputPaths.ts';
import { traceFileFor, writeTraceFile } from '../traceFiles.ts';
import { DEFAULT_SCENARIO, getScenario, switchesFor } from '../../scenarios/index.ts';
import { getRuntime } from '../../scenarios/registry/runtimes.ts';
import { CONFIG_PRESETS, type SwitchValues } from '../../scenarios/config/SwitchValues.ts';
import { UsageError } from '../UsageError.ts';
import { fixMatrix, type MatrixCell } from '../../scenarios/fixMatrix.ts';
import { openProgress } from '../format/progress.ts';
import {
  checkScaleOut,
  parseCommandArgs,
  parseRuns,
  parseSeed,
  parseShard,
  parseShrinkAttempts,
  parseStrategyOptions,
  parseWorkers,
  SCALE_OUT_OPTIONS,
  specFromOptions,
  specOptions,
  strategyCommandTail,
  STRATEGY_OPTIONS,
  switchOptions,
} from '../options.ts';
import { EXIT } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

const DEFAULT_RUNS_PER_CELL = 200;
/** Shrink attempts per finding of a cell (exported for the committed-matrix check, which must shrink alike). */
export const SHRINK_ATTEMPTS = 150;
/** The switches a matrix varies unless `--vary` names others: the defects, their fixes, the entity's check. */
export const DEFAULT_VARIED = ['wiring', 'offset', 'idempotency'];

export const MATRIX_HELP = `Usage: ${SIM_COMMAND} matrix [options]

The fix matrix: explores every combination of the wiring, offset and idempotency switches on a scenario
(daily-digest unless --scenario says otherwise) with the same seeds, and reports per cell which violation kinds a run
showed, after how many runs, and the shrunk story (steps, injected faults) with its replay token. Every verdict comes
from exploration.

Options:
  --scenario NAME daily-digest (default) or minimal-digest
  --runtime NAME  the runtime under test (default: v0.4)
  --config NAME   a preset (${Object.keys(CONFIG_PRESETS).join(', ')}) whose switches apply to every cell, as for explore;
                  the switches --vary names are varied all the same
  --vary LIST     the switches whose every combination is a cell (default: ${DEFAULT_VARIED.join(',')}); any other
                  switch option (e.g. --streams real) applies to every cell
  --runs N        runs per cell (default: ${DEFAULT_RUNS_PER_CELL}; a cell stops early once every kind was found)
  --seed S        base seed, the same for every cell (default: 1)
  --faults LIST   fault worlds and kinds, as for explore (default: the scenario's default set)
  --strategy NAME random (default), pct [--depth D], swarm, exhaustive [--max-deviations K] or guided
                  [--draw swarm|uniform], as for explore (guided: each cell's search learns from that cell's runs)
  --shrink-attempts N
                  candidate runs the shrinker may try per finding (default: ${SHRINK_ATTEMPTS}; 0 keeps each story as
                  found): the verdicts and their runs do not depend on it, the stories' lengths do
  --out DIR       write each finding's shrunk story as a trace file (\`replay FILE\` re-runs it)
  --doc FILE      also write the table as Markdown to FILE (nothing is written without it); docs/fix-matrix.md is
                  the committed one, and its third line names the command that regenerates it
  --json          print one JSON object
  --shard i/n     run only the run indexes r of each cell with r mod n = i - 1 (1 <= i <= n); merge the --json
                  outputs of all n shards with \`${SIM_COMMAND} merge FILE...\` (not with --strategy exhaustive)
  --workers K     spread the runs over K worker threads (default 1: this thread); the result is the same for any K
  --no-progress   no progress line on stderr (it is drawn only on a terminal, without --json, outside CI)
${configModuleHelpLine(18)}
  -h, --help      show this help

Exit status: 0 it ran, 2 bad input (one line on stderr, before any run), 3 an internal error of the tool.`;

const cellText = (cell: MatrixCell, property: string): string => {
  const finding = cell.findings.find((candidate) => candidate.property === property);
  if (!finding) return '-';
  const faults = `${finding.shrunkFaults} fault${finding.shrunkFaults === 1 ? '' : 's'}`;
  return `run ${finding.runsToFirst} (${finding.shrunkSteps} steps, ${faults})`;
};

/** How a matrix was made: what its page's header names as the command that regenerates it. */
export interface MatrixOrigin {
  readonly runs: number;
  readonly seed: number;
  readonly faults: readonly string[];
  readonly scenario: string;
  /** The strategy's name, and its tuning options when they differ from the defaults (`pct --depth 4`). */
  readonly strategy: string;
  /** Candidate runs the shrinker tried per finding at most: the story lengths on the page depend on it. */
  readonly shrinkAttempts: number;
  readonly runtime: string;
  /** Switch values every cell shares (given as options). */
  readonly base: SwitchValues;
  /** The switches whose combinations are the cells. */
  readonly varied: readonly string[];
  /** The file the page is written to: part of the command, so the header regenerates that very file. */
  readonly doc: string;
}

/** The command that writes the matrix page `how` describes, as a user types it. */
export function matrixDocCommand(how: MatrixOrigin): string {
  const { runs, seed, faults, scenario, strategy, shrinkAttempts, runtime, base, varied, doc } = how;
  const flags = [
    ...(scenario === DEFAULT_SCENARIO ? [] : [`--scenario ${scenario}`]),
    ...(runtime === 'v0.4' ? [] : [`--runtime ${runtime}`]),
    ...(varied.join(',') === DEFAULT_VARIED.join(',') ? [] : [`--vary ${varied.join(',')}`]),
    ...Object.entries(base).map(([name, value]) => `--${name} ${value}`),
    ...(strategy === 'random' ? [] : [`--strategy ${strategy}`]),
    ...(shrinkAttempts === SHRINK_ATTEMPTS ? [] : [`--shrink-attempts ${shrinkAttempts}`]),
    `--runs ${runs}`,
    `--seed ${seed}`,
    // Always named, `none` included: without --faults a regeneration would use the default set.
    `--faults ${faults.length > 0 ? faults.join(',') : 'none'}`,
    `--doc ${doc}`,
  ];
  return `${SIM_COMMAND} matrix ${flags.join(' ')}`;
}

/** The Markdown page of a matrix; its header names the command that regenerates it byte for byte. */
export function matrixMarkdown(cells: readonly MatrixCell[], how: MatrixOrigin): string {
  const { varied } = how;
  const lines = [
    '# Fix matrix',
    '',
    `Generated by \`${matrixDocCommand(how)}\` (any \`--workers K\` gives the same page); do not edit by hand.`,
    'Each cell: the first run (of the same seeded runs in every cell) that showed the violation, and its shrunk story',
    '(scheduler steps, injected faults). `-`: no run showed it. Replay tokens are in `--json`.',
    '',
    `| ${varied.join(' | ')} | runs | ${propertyNames().join(' | ')} |`,
    `|${varied.map(() => '---').join('|')}|---|${propertyNames().map(() => '---').join('|')}|`,
    ...cells.map(
      (cell) => `| ${varied.map((name) => cell.config[name] ?? '').join(' | ')} | ${cell.runs} | ${propertyNames().map((property) => cellText(cell, property)).join(' | ')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** The table `matrix` prints. */
export function matrixTableLines(cells: readonly MatrixCell[], varied: readonly string[]): string[] {
  const width = (name: string): number => Math.max(name.length, ...cells.map((cell) => (cell.config[name] ?? '').length)) + 1;
  return [
    `${varied.map((name) => name.padEnd(width(name))).join(' ')} ${propertyNames().map((property) => property.padEnd(30)).join('')}`,
    ...cells.map((cell) => `${varied.map((name) => (cell.config[name] ?? '').padEnd(width(name))).join(' ')} ${propertyNames().map((property) => cellText(cell, property).padEnd(30)).join('')}`),
  ];
}

/** Every combination of the values of the `varied` switches, in switch-value order. */
export function matrixCells(switches: ReturnType<typeof switchesFor>, varied: readonly string[]): SwitchValues[] {
  let cells: Array<Record<string, string>> = [{}];
  for (const name of varied) {
    const definition = switches.find((candidate) => candidate.name === name);
    if (!definition) throw new UsageError(`--vary: no switch "${name}" (known: ${switches.map((known) => known.name).join(', ')})`);
    cells = cells.flatMap((cell) => definition.values.map((value) => ({ ...cell, [name]: value })));
  }
  return cells;
}

/** Writes the Markdown page of a matrix to `path`. */
export function writeMatrixDoc(path: string, cells: readonly MatrixCell[], how: Omit<MatrixOrigin, 'doc'>): void {
  makeDirectories(dirname(path));
  writeFileSync(path, matrixMarkdown(cells, { ...how, doc: path }));
}

/** `matrix`. */
export async function matrixCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(
    'matrix',
    args,
    {
      ...STRATEGY_OPTIONS,
      ...specOptions(),
      vary: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      'shrink-attempts': { type: 'string' },
      doc: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...SCALE_OUT_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values['help']) {
    out(withRegisteredSwitches(MATRIX_HELP));
    return EXIT.clean;
  }
  // The matrix varies some switches itself; the switch options given apply to every cell.
  const spec = specFromOptions(values);
  const { scenario, faults, runtime } = spec;
  const varied = typeof values['vary'] === 'string' ? parseVaried(values['vary']) : DEFAULT_VARIED;
  const switches = switchesFor(getScenario(scenario), getRuntime(runtime));
  const given = switchOptions(values);
  const fixedAndVaried = varied.find((name) => Object.hasOwn(given, name));
  if (fixedAndVaried !== undefined) throw new UsageError(`--${fixedAndVaried} ${given[fixedAndVaried]!} fixes a switch --vary varies; give one or the other`);
  // A preset's switches apply to every cell like switch options do, spelled out so the page's command and the JSON
  // name each one (a preset's values may change; the page must still say what it ran).
  const preset = typeof values['config'] === 'string' ? CONFIG_PRESETS[values['config']]! : {};
  const base = Object.fromEntries(Object.entries({ ...preset, ...given }).filter(([name]) => !varied.includes(name)));
  const configs = matrixCells(switches, varied);
  const runs = values['runs'] === undefined ? DEFAULT_RUNS_PER_CELL : parseRuns(values['runs']);
  const seed = parseSeed(values['seed']);
  const shrinkAttempts = values['shrink-attempts'] === undefined ? SHRINK_ATTEMPTS : parseShrinkAttempts(values['shrink-attempts']);
  const strategy = parseStrategyOptions(values);
  const shard = parseShard(values['shard']);
  const workers = parseWorkers(values['workers']);
  checkScaleOut(strategy, shard, workers);
  const traceDir = typeof values['out'] === 'string' ? values['out'] : undefined;
  if (traceDir !== undefined) ensureWritableDir(traceDir, '--out');
  const doc = typeof values['doc'] === 'string' ? values['doc'] : undefined;
  if (doc !== undefined) ensureWritableFile(doc, '--doc');
  const progress = openProgress({ json: values['json'] === true, noProgress: values['no-progress'] === true });
  const cells = await fixMatrix({
    scenario,
    runtime,
    baseSwitches: base,
    configs,
    faults,
    runsPerCell: runs,
    seed,
    strategy,
    maxShrinkAttempts: shrinkAttempts,
    ...(shard ? { shard } : {}),
    workers,
    onProgress: ({ cellIndex, cellCount, config, runsDone, budget, findings }) =>
      progress.update({ label: `cell ${cellIndex + 1}/${cellCount} ${varied.map((name) => config[name]).join('/')}`, runsDone, budget, findings }),
    ...(traceDir === undefined
      ? {}
      : {
          onFinding: (shrunk: RunResult, replay: string, property: PropertyName) => {
            writeTraceFile(traceDir, `${varied.map((name) => shrunk.spec.config[name]).join('-')}.${property}`, traceFileFor(shrunk, replay, property));
          },
        }),
  }).finally(() => progress.finish());
  // The strategy with its tuning (`guided --draw uniform`): shards searched with different tunings are different
  // searches, which merge refuses, and the page written from merged shards names the command that makes it.
  const how = { runs, seed, faults, scenario, strategy: strategyCommandTail(strategy), shrinkAttempts, runtime, base, varied };
  if (doc !== undefined) writeMatrixDoc(doc, cells, how);
  if (values['json']) {
    out(JSON.stringify({ scenario, runtime, base, varied, faults, strategy: how.strategy, shrinkAttempts, runsPerCell: runs, seed, cells, ...(shard ? { shard } : {}) }, null, 2));
  } else {
    if (shard) out(`shard ${shard.index}/${shard.count}: run indexes r with r mod ${shard.count} = ${shard.index - 1} of each cell (merge the --json outputs of all shards)`);
    matrixTableLines(cells, varied).forEach((line) => out(line));
    if (doc !== undefined) out(`\nwrote ${doc}`);
    if (traceDir !== undefined) out(`wrote the shrunk story of every finding to ${traceDir}/ (${SIM_COMMAND} replay FILE)`);
  }
  return EXIT.clean;
}

/** `--vary a,b`: switch names; an empty list or entry is a mistake (an empty CI variable), not "vary nothing". */
function parseVaried(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.every((name) => name === '')) throw new UsageError('--vary is empty; name the switches to vary (e.g. wiring,offset)');
  if (names.includes('')) throw new UsageError(`--vary "${text}" has an empty entry (a stray comma?)`);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) throw new UsageError(`--vary "${text}" names ${twice} twice`);
  return names;
}
