import type { PropertyName } from '../../properties/index.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import type { SwitchValues } from '../../scenarios/config/SwitchValues.ts';
import { DEFAULT_MAX_SHRINK_ATTEMPTS, explore, type ExploreReport } from '../../scenarios/explore.ts';
import { fixMatrix, type MatrixCell } from '../../scenarios/fixMatrix.ts';
import { DEFAULT_SCENARIO } from '../../scenarios/index.ts';
import { DEFAULT_FAULT_KINDS } from '../../world/faults/FaultKind.ts';
import { findingReportText, replayCommand } from '../format/exploreReport.ts';
import { openProgress } from '../format/progress.ts';
import { tellsTheReportStory } from '../format/reportStory.ts';
import { wrap } from '../format/timeline.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, parseCommandArgs, parseShrinkAttempts } from '../options.ts';
import { EXIT } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';

/** Runs searched at most for the report's story: it is rarer than the shortest duplicate (seed 1: run 72). */
const REPORT_STORY_RUNS = 2_000;
/** Width of the verdict lines. */
const WIDTH = 120;

export const START_HELP = `Usage: npm start [-- --shrink-attempts N] [--no-progress]

The first thing to run: what the simulation says about the bug report (electric-sql/electric#4625), on the
daily-digest scenario with the report's faults (${DEFAULT_FAULT_KINDS.join(', ')}), from seed ${DEFAULT_SEED}:

  1. the verdict per defect: v0.4 (both defects), Defect B alone (wiring=swallow offset=durable), Defect A alone
     (wiring=retry offset=minus-one) and both fixes (wiring=retry offset=durable), each explored for ${DEFAULT_RUNS} runs
     with every property counted; per configuration the violation kinds found, the run that first showed each, and
     the command that replays the shortest story of the most serious one
  2. the shortest duplicate digest of v0.4, shrunk, as a timeline
  3. the report's account: the shortest v0.4 duplicate whose second post comes after a redeploy, from a runner that
     started at -1 and replayed a wake, with an unwired handle after a preload failure (searched in at most
     ${REPORT_STORY_RUNS} runs, shrunk keeping all of that)

Every line is derived from the exploration of this run. Exits 0 when it ran; its findings are the output.

Options:
  --shrink-attempts N  at most N candidate runs while shrinking each story (default ${DEFAULT_MAX_SHRINK_ATTEMPTS}); shrinking is
                       most of the job's time: a smaller budget gives the same verdicts, with longer stories
                       (their replay commands reproduce them all the same)
  --no-progress        no progress line on stderr (it is drawn only on a terminal, outside CI)
${configModuleHelpLine(23)}
  -h, --help           this text`;

/** A configuration the verdict covers, named by the defects it keeps. */
interface DefectCase {
  readonly title: string;
  readonly config: SwitchValues;
}

/** What exploring one configuration showed. */
interface Verdict {
  readonly defect: DefectCase;
  readonly cell: MatrixCell;
  /** The shortest story of its most serious kind (duplicate-action when found), or undefined when clean. */
  readonly story: ExploreReport | undefined;
}

/** `start`: the verdict per defect and the two stories a new user reads first. */
export async function startCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs('start', args, { help: { type: 'boolean', short: 'h' }, 'shrink-attempts': { type: 'string' }, 'no-progress': { type: 'boolean' } }, false);
  if (values['help']) {
    out(START_HELP);
    return EXIT.clean;
  }
  const maxShrinkAttempts = parseShrinkAttempts(values['shrink-attempts']);
  const faults = [...DEFAULT_FAULT_KINDS];
  const defects: DefectCase[] = [
    { title: 'v0.4 (both defects)', config: { wiring: 'swallow', offset: 'minus-one' } },
    { title: 'Defect B alone', config: { wiring: 'swallow', offset: 'durable' } },
    { title: 'Defect A alone', config: { wiring: 'retry', offset: 'minus-one' } },
    { title: 'both fixes', config: { wiring: 'retry', offset: 'durable' } },
  ];
  const progress = openProgress({ json: false, noProgress: values['no-progress'] === true });
  const search = (label: string, config: SwitchValues, properties: PropertyName[], maxRuns: number, keep?: typeof tellsTheReportStory): Promise<ExploreReport> =>
    explore({
      spec: runSpecFor({ scenario: DEFAULT_SCENARIO, switches: config, faults }),
      maxRuns,
      seed: DEFAULT_SEED,
      properties,
      maxShrinkAttempts,
      ...(keep ? { keep } : {}),
      onProgress: (snapshot) => progress.update({ label, ...snapshot }),
      onShrinkProgress: ({ tried, maxAttempts, bestChoices, bestSteps }) =>
        progress.update({ label, runsDone: 0, budget: maxRuns, findings: 1, shrinking: { tried, budget: maxAttempts, bestChoices, bestSteps } }),
    });

  let verdicts: Verdict[];
  let reportStory: ExploreReport;
  try {
    // Which kinds each configuration shows, as a fix-matrix cell: the same seeded runs, the first run of each kind.
    const cells = await fixMatrix({
      scenario: DEFAULT_SCENARIO,
      faults,
      runsPerCell: DEFAULT_RUNS,
      seed: DEFAULT_SEED,
      maxShrinkAttempts: 0,
      configs: defects.map((defect) => defect.config),
      onProgress: ({ cellIndex, runsDone, budget, findings }) => progress.update({ label: `1/3 verdicts: ${defects[cellIndex]!.title}`, runsDone, budget, findings }),
    });
    verdicts = [];
    for (const [index, defect] of defects.entries()) {
      const cell = cells[index]!;
      const headline = headlineKind(cell);
      // The same search explore runs for that kind alone: the first run that shows it, shrunk with explore's budget.
      const label = `2/3 ${defect.title}: ${headline ?? ''} story`;
      verdicts.push({ defect, cell, story: headline === undefined ? undefined : await search(label, defect.config, [headline], DEFAULT_RUNS) });
    }
    reportStory = await search("3/3 the report's story", defects[0]!.config, ['duplicate-action'], REPORT_STORY_RUNS, tellsTheReportStory);
  } finally {
    progress.finish();
  }

  out(`wake-sim start · ${DEFAULT_SCENARIO} · faults: ${faults.join(', ')} · seed ${DEFAULT_SEED}`);
  out('');
  verdictLines(verdicts).forEach((line) => out(line));

  const shortest = verdicts[0]!.story;
  out('');
  out('='.repeat(WIDTH));
  out('2. The shortest duplicate digest of v0.4, shrunk');
  out('');
  if (shortest?.finding?.property === 'duplicate-action') findingReportText(shortest).forEach((line) => out(line));
  else out(`No duplicate in ${DEFAULT_RUNS} runs.`);

  out('');
  out('='.repeat(WIDTH));
  out("3. The report's account: a duplicate after a redeploy, from a runner that started at -1 and replayed a wake, with");
  out('   an unwired handle after a preload failure (the shortest such v0.4 story; shrinking keeps every one of those steps)');
  out('');
  if (reportStory.finding) findingReportText(reportStory).forEach((line) => out(line));
  else out(`No run of the first ${REPORT_STORY_RUNS} tells that story.`);
  return EXIT.clean;
}

/** The kind a configuration's replay command shows: the duplicate digest when it posts twice, else its first kind. */
function headlineKind(cell: MatrixCell): PropertyName | undefined {
  if (cell.findings.some((finding) => finding.property === 'duplicate-action')) return 'duplicate-action';
  return cell.findings[0]?.property;
}

/** Section 1: per configuration, what it does, the kinds found and the run of the first of each, and how to replay. */
function verdictLines(verdicts: readonly Verdict[]): string[] {
  const lines = [
    `1. The verdict per defect: each configuration explored for ${DEFAULT_RUNS} runs from seed ${DEFAULT_SEED}, every property counted`,
    '   Defect A: a restarted runner re-reads its wake stream from -1 (offset=minus-one; the fix: offset=durable)',
    '   Defect B: a swallowed preload error resolves observe() with an unwired handle (wiring=swallow; the fix: wiring=retry)',
    '',
  ];
  const titleWidth = Math.max(...verdicts.map((verdict) => verdict.defect.title.length)) + 2;
  const indent = '      ';
  for (const { defect, cell, story } of verdicts) {
    lines.push(`  ${defect.title.padEnd(titleWidth)}${switches(defect.config)}`);
    const posts = cell.findings.some((finding) => finding.property === 'duplicate-action');
    const kinds = cell.findings.map((finding) => `${finding.property} (run ${finding.runsToFirst})`).join(', ');
    const text = cell.findings.length === 0 ? `no violation of any property in ${cell.runs} runs` : `${posts ? 'posts twice' : 'never posts twice'}: ${kinds}`;
    lines.push(...wrap(text, WIDTH - indent.length).map((part) => `${indent}${part}`));
    if (!story?.finding) continue;
    if (story === verdicts[0]!.story) lines.push(`${indent}its shortest ${story.finding.property} story: section 2 below`);
    else lines.push(`${indent}replay its shortest ${story.finding.property} story:`, `${indent}  ${replayCommand(story.finding.replayToken)}`);
  }
  lines.push('', ...wrap(`So: ${conclusion(verdicts)}`, WIDTH - 2).map((part) => `  ${part}`));
  return lines;
}

/** One sentence from the cells: which configurations post twice. */
function conclusion(verdicts: readonly Verdict[]): string {
  const posting = verdicts.filter((verdict) => verdict.cell.findings.some((finding) => finding.property === 'duplicate-action')).map((verdict) => verdict.defect.title);
  const clean = verdicts.filter((verdict) => verdict.cell.findings.length === 0).map((verdict) => verdict.defect.title);
  const parts = [
    posting.length > 0 ? `${posting.join(' and ')} post${posting.length === 1 ? 's' : ''} the digest twice` : 'no configuration posts twice',
    ...verdicts
      .filter((verdict) => verdict.cell.findings.length > 0 && !posting.includes(verdict.defect.title))
      .map((verdict) => `${verdict.defect.title} never does (only ${verdict.cell.findings.map((finding) => finding.property).join(', ')})`),
    ...(clean.length > 0 ? [`${clean.join(' and ')}: no violation of any property in ${DEFAULT_RUNS} runs`] : []),
  ];
  return `${parts.join('; ')}.`;
}

function switches(config: SwitchValues): string {
  return `wiring=${config['wiring']} offset=${config['offset']}`;
}
