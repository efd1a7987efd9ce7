import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVirtualTime, reportText } from '../../scenarios/reportNotation.ts';
import { replay } from '../../scenarios/replayTokens.ts';
import { ensureWritableDir } from '../outputPaths.ts';
import { readReplayArgument } from '../replayArgument.ts';
import { htmlReport, htmlReportFileName } from '../format/htmlReport.ts';
import { formatMermaidSequence } from '../format/mermaidSequence.ts';
import { replayView, type ReplayView } from '../format/replayView.ts';
import { formatTimeline, timelineLegend, TIMELINE_WIDTH, timelineRowJson, wrap } from '../format/timeline.ts';
import { parseCommandArgs } from '../options.ts';
import { EXIT, UsageError } from '../UsageError.ts';
import { configModuleHelpLine } from '../configModule.ts';
import { SIM_COMMAND } from '../../scenarios/simCommand.ts';

/** What `replay --format` can print. */
export const REPLAY_FORMATS = ['text', 'mermaid', 'html'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

export const REPLAY_HELP = `Usage: ${SIM_COMMAND} replay <token | trace-file> [options]

Re-runs the story a token describes, exactly (same choices, same trace hash), and prints its timeline: virtual
time, the state after each event (the runner's wake-stream offset, the wake in progress, whether its shared-state
handle is wired, posts so far), actor, event and details; the event that shows a violation is marked <== and the
steps that led to it <--. Instead of a token, give the path of a trace file written by \`explore --out DIR\` or
\`matrix --out DIR\`: its token is replayed and the trace hash compared with the one the file recorded.

Options:
  --format F           text (default): the timeline · mermaid: a Mermaid sequenceDiagram of the story ·
                       html: a self-contained HTML report (violations, replay command, sequence diagram, timeline,
                       model states), written to --out DIR
  --out DIR            where --format html writes replay-<trace hash>.html (the directory is created)
  --json               print one JSON object (config, violations, trace hash, timeline with state and marks)
  --all                include every scheduler step and heartbeat in the timeline
${configModuleHelpLine(23)}
  -h, --help           show this help

A token may be wrapped over several lines or broken at spaces: whitespace is dropped before it is read.

Exit status: 0 the violation does not reproduce, 1 it reproduces, 2 bad input (e.g. a malformed token, an argument
that is neither a token nor a trace file, or a trace file whose events were edited), 3 an internal error of the
tool, 4 a trace file whose story this build tells differently (another trace hash than the file recorded).`;

/** `replay <token>`. */
export async function replayCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'replay',
    args,
    { json: { type: 'boolean' }, all: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values['help']) {
    out(REPLAY_HELP);
    return EXIT.clean;
  }
  const format = parseFormat(values['format']);
  const outDir = typeof values['out'] === 'string' ? values['out'] : undefined;
  if (format === 'html' && (outDir === undefined || outDir === '')) throw new UsageError('replay: --format html needs --out DIR (where to write the report)');
  if (format !== 'html' && outDir !== undefined) throw new UsageError('replay: --out only applies to --format html');
  if (values['json'] && format !== 'text') throw new UsageError(`replay: --json and --format ${format} do not combine (pick one)`);
  const { token, request, recordedTraceHash } = readReplayArgument(positionals);
  if (outDir !== undefined) ensureWritableDir(outDir, '--out');
  const result = await replay(request);
  const view = replayView(token, request, result, values['all'] === true, recordedTraceHash);
  // A trace file whose story this build tells differently: its own status, whatever the violation did.
  const differs = view.recordedTraceHash !== undefined && view.recordedTraceHash !== view.traceHash;
  const exit = differs ? EXIT.traceDiffers : view.reproduced ? EXIT.violation : EXIT.clean;

  if (values['json']) {
    out(JSON.stringify(replayJson(view), null, 2));
    return exit;
  }
  const comparison = traceFileComparison(view);
  if (format === 'mermaid') {
    out(formatMermaidSequence(view.story).trimEnd());
    // A Mermaid comment: the output stays a diagram a renderer accepts.
    if (comparison !== undefined) out(`%% ${comparison}`);
    return exit;
  }
  if (format === 'html') {
    const path = join(outDir!, htmlReportFileName(view));
    writeFileSync(path, htmlReport(view));
    header(view).forEach((line) => out(line));
    violationLines(view).forEach((line) => out(line));
    out(`wrote ${path}`);
    if (comparison !== undefined) out(comparison);
    return exit;
  }
  header(view).forEach((line) => out(line));
  out('');
  timelineLegend(view.scenario).forEach((line) => out(`  ${line}`));
  out('');
  formatTimeline(view.rows, view.result.events, TIMELINE_WIDTH, view.violations).forEach((line) => out(line));
  out('');
  violationLines(view).forEach((line) => out(line));
  out(`trace hash ${view.traceHash}`);
  if (comparison !== undefined) out(comparison);
  return exit;
}

/** For a replayed trace file: whether this build told the same story the file recorded; undefined for a token. */
function traceFileComparison(view: ReplayView): string | undefined {
  if (view.recordedTraceHash === undefined) return undefined;
  return view.recordedTraceHash === view.traceHash
    ? 'same trace as the file recorded'
    : `DIFFERENT trace from the one the file recorded (${view.recordedTraceHash}): this build tells the story differently`;
}

function parseFormat(value: unknown): ReplayFormat {
  if (value === undefined) return 'text';
  if (typeof value === 'string' && (REPLAY_FORMATS as readonly string[]).includes(value)) return value as ReplayFormat;
  throw new UsageError(`replay: unknown format "${String(value)}" (known: ${REPLAY_FORMATS.join(', ')})`);
}

function header(view: ReplayView): string[] {
  return [
    [view.scenario, view.result.spec.runtime, view.config].filter((part) => part !== '').join(' · '),
    ...wrap(`faults enabled: ${view.faults.join(', ') || 'none'}`, TIMELINE_WIDTH),
    ...wrap(`faults injected: ${view.faultsInjected.join(', ') || 'none'} · ${view.steps} steps, ${view.choices} recorded choices`, TIMELINE_WIDTH),
    ...view.notJudged.flatMap((line) => wrap(line, TIMELINE_WIDTH)),
  ];
}

function violationLines(view: ReplayView): string[] {
  const lines = view.violations.length === 0 ? ['No violation.'] : [];
  const indent = ' '.repeat(19);
  for (const violation of view.violations) {
    const text = `${reportText(violation.message)} (step ${violation.step}, ${formatVirtualTime(violation.atMs)})`;
    wrap(text, TIMELINE_WIDTH - indent.length).forEach((part, position) => lines.push(position === 0 ? `  ${violation.property.padEnd(16)} ${part}` : `${indent}${part}`));
  }
  if (view.property) lines.push(`${view.property}: ${view.reproduced ? 'reproduced' : 'NOT reproduced'}`);
  return lines;
}

function replayJson(view: ReplayView): Record<string, unknown> {
  const spec = view.result.spec;
  return {
    scenario: spec.scenario,
    runtime: spec.runtime,
    config: { ...spec.config },
    faults: [...spec.faults],
    property: view.property ?? null,
    reproduced: view.reproduced,
    traceHash: view.traceHash,
    ...(view.recordedTraceHash === undefined ? {} : { recordedTraceHash: view.recordedTraceHash, sameTrace: view.recordedTraceHash === view.traceHash }),
    steps: view.steps,
    violations: view.violations.map(({ property, message, step, atMs }) => ({ property, message, step, atMs })),
    timeline: view.rows.map(timelineRowJson),
  };
}
