import { formatVirtualTime, reportText } from '../../scenarios/reportNotation.ts';
import { formatMermaidSequence } from './mermaidSequence.ts';
import { virtualTimeLegend } from './time.ts';
import type { ModelStateView } from './modelStates.ts';
import type { ReplayView } from './replayView.ts';
import { escapeXml, sequenceSvg } from './sequenceSvg.ts';
import type { StoryMark } from './storyMarks.ts';
import { constantDetails, detailText, markText, STATE_COLUMN_LEGEND, type TimelineRow } from './timeline.ts';
import { handleCell, postsCell, runnerCell, wakeCell } from './storyState.ts';

/** File name of the report of a replay: the start of its trace hash, so the same story always lands in one file. */
export function htmlReportFileName(view: ReplayView): string {
  return `replay-${view.traceHash.slice(0, 12)}.html`;
}

/**
 * A self-contained HTML report of a replay: no script, no network (a content security policy forbids both), styles
 * inline, the sequence diagram drawn as inline SVG. It shows the violations first, then the replay token and command,
 * the sequence diagram (with its Mermaid source), the timeline with its state columns, and the composed model's
 * state per machine after each story event. Deterministic: the same token gives the same bytes.
 */
export function htmlReport(view: ReplayView): string {
  const esc = escapeXml;
  const title = view.violations.length > 0 ? `${view.violations.map((violation) => violation.property).join(', ')} · ${view.config}` : `no violation · ${view.config}`;
  const verdict = view.property ? `${view.property}: ${view.reproduced ? 'reproduced' : 'NOT reproduced'}` : view.reproduced ? 'violation reproduced' : 'no violation';
  const sameTrace =
    view.recordedTraceHash === undefined
      ? ''
      : `<p class="${view.recordedTraceHash === view.traceHash ? 'ok' : 'bad'}">${view.recordedTraceHash === view.traceHash ? 'same trace as the trace file recorded' : `DIFFERENT trace from the one the file recorded (${esc(view.recordedTraceHash)})`}</p>`;

  const violations =
    view.violations.length === 0
      ? '<p class="none">No violation: this replay does not show the finding.</p>'
      : `<ul>${view.violations
          .map(
            (violation) =>
              `<li><span class="property">${esc(violation.property)}</span> <span class="message">${esc(reportText(violation.message))}</span> <span class="where">step ${violation.step} · ${esc(formatVirtualTime(violation.atMs))}</span></li>`,
          )
          .join('\n')}</ul>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>wake-sim replay: ${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>wake-sim replay report</h1>
<p class="run">${esc(view.scenario)} · ${esc(view.config)} · faults: ${esc(view.faults.join(', ') || 'none')}</p>
<p class="run">${view.steps} steps, ${view.choices} recorded choices · faults injected: ${esc(view.faultsInjected.join(', ') || 'none')}</p>
<p class="legend">${esc(virtualTimeLegend(view.scenario))}</p>
</header>
<section id="violations" class="${view.violations.length > 0 ? 'violations' : 'clean'}">
<h2>${view.violations.length > 0 ? 'Violations' : 'Violations: none'}</h2>
${violations}
<p class="verdict">${esc(verdict)}</p>
</section>
<section id="replay">
<h2>Replay it</h2>
<pre class="command">${esc(view.command)}</pre>
<p>trace hash <code>${esc(view.traceHash)}</code></p>
${sameTrace}
</section>
<nav><a href="#sequence">sequence diagram</a> · <a href="#timeline">timeline</a> · <a href="#model">model states</a></nav>
<section id="sequence">
<h2>Sequence diagram</h2>
<p class="legend"><span class="swatch cause"></span> a step that led to ${view.property ? `the ${esc(view.property)} violation` : 'a violation'} (← its label) · <span class="swatch violation"></span> an event that shows a violation · dashed: an answer · ✕: a failure · left: virtual time since the run began and scheduler step</p>
<div class="scroll">${sequenceSvg(view.story)}</div>
<details><summary>Mermaid source</summary>
<pre class="mermaid-source">${esc(formatMermaidSequence(view.story))}</pre>
</details>
</section>
<section id="timeline">
<h2>Timeline</h2>
${timelineTable(view)}
</section>
<section id="model">
<h2>Model states</h2>
${modelSection(view)}
</section>
<footer>wake-sim · ${esc(view.scenario)} · trace ${esc(view.traceHash.slice(0, 12))}</footer>
</body>
</html>
`;
}

function rowClass(marks: readonly StoryMark[]): string {
  if (marks.some((mark) => mark.kind === 'violation')) return ' class="violation"';
  return marks.length > 0 ? ' class="cause"' : '';
}

function timelineTable(view: ReplayView): string {
  const esc = escapeXml;
  const constants = constantDetails(view.result.events);
  const same = constants.size > 0 ? `<p class="legend">same throughout: ${esc([...constants].map(([key, value]) => `${key}=${value}`).join(' '))}</p>` : '';
  const rows = view.rows.map((row) => {
    const handle = handleCell(row.state.wake);
    return `<tr${rowClass(row.marks)}><td class="time">${esc(formatVirtualTime(row.event.atMs))}</td><td class="num">#${row.event.step}</td><td class="actor">${esc(row.event.actor)}</td><td class="event">${esc(row.event.kind)}</td><td class="state">${esc(runnerCell(row.state.runner))}</td><td class="state">${esc(wakeCell(row.state.wake))}</td><td class="state${handle === 'UNWIRED' || handle === 'EMPTY' ? ' alarm' : ''}">${esc(handle)}</td><td class="state">${esc(postsCell(row.state.posts))}</td><td class="details">${esc(detailText(row, constants))}</td><td class="mark">${esc(markText(row.marks))}</td></tr>`;
  });
  // A violation judged at the end of the run (a missed action, a stuck claim) has no event of its own: its row closes
  // the table, at the step and time it was judged, so the step the Violations box cites is in the timeline too.
  for (const violation of view.violations) {
    if (violation.eventIndex !== undefined) continue;
    rows.push(
      `<tr class="violation end-of-run"><td class="time">${esc(formatVirtualTime(violation.atMs))}</td><td class="num">#${violation.step}</td><td class="actor">judge</td><td class="event">end of run</td><td colspan="4"></td><td class="details">${esc(reportText(violation.message))}</td><td class="mark">${esc(markText([{ kind: 'violation', label: violation.property }]))}</td></tr>`,
    );
  }
  return `${same}
<p class="legend">${esc(virtualTimeLegend(view.scenario))}</p>
<p class="legend">${esc([...STATE_COLUMN_LEGEND, 'offsets as segment_position without zero padding'].join(' · '))}</p>
<div class="scroll"><table class="timeline">
<thead><tr><th>time</th><th>step</th><th>actor</th><th>event</th><th>runner @read</th><th>wake</th><th>handle</th><th>posts</th><th>details</th><th>marks</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}

/**
 * The composed model's states along the run — or, for a run model conformance does not judge (a scenario whose entity
 * the model does not follow), one line saying so and why: the model run on it anyway refuses at once and shows nonsense.
 */
function modelSection(view: ReplayView): string {
  if (view.modelNotJudged !== undefined) return `<p class="not-judged">The composed model is not judged for this scenario: ${escapeXml(view.modelNotJudged)}</p>`;
  return `<p class="legend">The composed model (models/composedModel.ts) fed the run's abstract events, as model conformance does: the state of every machine after each story event. Changed cells are highlighted.</p>
${modelTable(view.rows, view.modelStates())}`;
}

function modelTable(rows: readonly TimelineRow[], states: readonly ModelStateView[]): string {
  const esc = escapeXml;
  // Runner lifecycles first (one per host process, in start order), then the shared machines.
  const seen: string[] = [];
  for (const row of rows) for (const { machine } of states[row.index]!.machines) if (!seen.includes(machine)) seen.push(machine);
  const machines = [...seen.filter((machine) => machine.startsWith('runner ')), ...seen.filter((machine) => !machine.startsWith('runner '))];
  let previous = new Map<string, string>();
  let failureShown = false;
  const body = rows.map((row) => {
    const view = states[row.index]!;
    const current = new Map(view.machines.map((entry) => [entry.machine, entry]));
    const cells = machines.map((machine) => {
      const entry = current.get(machine);
      const value = entry?.state ?? '';
      const changed = value !== (previous.get(machine) ?? '');
      const tags = entry && entry.violations.length > 0 ? ` <span class="tag">${esc(entry.violations.join(', '))}</span>` : '';
      // Break opportunities between regions (`+`) and after `;` keep long state names inside their column.
      return `<td class="state${changed ? ' changed' : ''}${tags ? ' alarm' : ''}">${esc(value).replace(/\+/g, '+<wbr>').replace(/; /g, ';<br>')}${tags}</td>`;
    });
    previous = new Map(view.machines.map((entry) => [entry.machine, entry.state]));
    const failure = view.failure !== null && !failureShown ? `<tr class="violation"><td colspan="${4 + machines.length}">model conformance: ${esc(view.failure)}</td></tr>` : '';
    if (view.failure !== null) failureShown = true;
    return `<tr${rowClass(row.marks)}><td class="time">${esc(formatVirtualTime(row.event.atMs))}</td><td class="num">#${row.event.step}</td><td class="event">${esc(`${row.event.actor} ${row.event.kind}`)}</td><td class="model-event">${esc(view.modelEvent ?? '')}</td>${cells.join('')}</tr>${failure}`;
  });
  return `<div class="scroll"><table class="model">
<thead><tr><th>time</th><th>step</th><th>event</th><th>model event</th>${machines.map((machine) => `<th>${esc(machine)}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table></div>`;
}

const STYLE = `
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0 auto; padding: 16px 24px 40px; max-width: 1800px; color: #1d2330; background: #fbfcfe; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
header .run { margin: 2px 0; color: #444; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 13px; }
section { margin: 18px 0; padding: 12px 16px; background: #fff; border: 1px solid #d8deea; border-radius: 6px; }
section.violations { background: #fff0f0; border: 2px solid #c00000; }
section.violations h2 { color: #a00000; font-size: 20px; }
section.violations ul { margin: 0; padding-left: 20px; }
section.violations li { margin: 6px 0; font-size: 15px; }
section.violations .property { font-weight: bold; color: #a00000; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
section.violations .where { color: #666; font-size: 13px; white-space: nowrap; }
section.clean { background: #f0fff3; border: 2px solid #2e7d32; }
.verdict { font-weight: bold; margin: 10px 0 0; }
pre { margin: 4px 0; padding: 8px; background: #f3f5f9; border: 1px solid #dde2ec; border-radius: 4px; font-size: 12px; }
pre.token, pre.command { white-space: pre-wrap; word-break: break-all; }
.ok { color: #2e7d32; } .bad { color: #b00000; font-weight: bold; }
nav { margin: 8px 2px; font-size: 14px; }
.legend { color: #555; font-size: 13px; margin: 4px 0 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; vertical-align: middle; }
.swatch.cause { background: #fff3c4; } .swatch.violation { background: #ffdede; }
.scroll { overflow-x: auto; border: 1px solid #e3e7ef; background: #fff; }
svg.sequence { display: block; max-width: 100%; height: auto; }
svg.sequence text { white-space: pre; }
svg.sequence text.fail { fill: #a00000; }
table { border-collapse: collapse; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; width: 100%; }
th, td { border: 1px solid #e1e5ee; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f8; position: sticky; top: 0; }
td.time, td.num, td.actor, td.state, td.event, td.model-event { white-space: nowrap; }
table.model td.state { white-space: normal; min-width: 9em; overflow-wrap: anywhere; }
td.details { word-break: break-word; min-width: 18em; }
td.mark { min-width: 10em; }
tr.cause td { background: #fff3c4; }
tr.violation td { background: #ffdede; font-weight: bold; }
td.changed { background: #e6f0ff; }
tr.cause td.changed, tr.violation td.changed { background: #dbe8ff; }
td.alarm { color: #b00000; font-weight: bold; }
td.mark { color: #7a0000; }
.tag { display: inline-block; margin-left: 4px; padding: 0 4px; border-radius: 3px; background: #b00000; color: #fff; font-weight: normal; }
footer { color: #888; font-size: 12px; margin-top: 24px; }
`;
