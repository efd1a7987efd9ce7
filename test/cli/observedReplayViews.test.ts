import { beforeAll, describe, expect, it } from 'vitest';
import { htmlReport } from '../../cli/format/htmlReport.ts';
import { formatMermaidSequence } from '../../cli/format/mermaidSequence.ts';
import { replayView, type ReplayView } from '../../cli/format/replayView.ts';
import { formatTimeline, timelineLegend } from '../../cli/format/timeline.ts';
import { minimalDigestScenario } from '../../scenarios/daily-digest/minimalDigestScenario.ts';
import { runSpecFor } from '../../scenarios/config/runSpecFor.ts';
import { registerScenario } from '../../scenarios/index.ts';
import { replayTokenFor, type ReplayRequest } from '../../scenarios/replayTokens.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';

/** The view `replay` builds of the ordinary run (no recorded choice) of `spec`, with the runtime's annotations dropped or not. */
async function viewOf(request: ReplayRequest, dropAnnotations: boolean): Promise<ReplayView> {
  const result = await runScenario(request.spec, new RecordedChoiceSource(request.choices), { dropAnnotations });
  return replayView(replayTokenFor(request.spec, request.choices), request, result, false);
}

const minimalDigest: ReplayRequest = { spec: runSpecFor({ scenario: 'minimal-digest' }), choices: [], property: undefined };
/** A runtime that annotates nothing of itself, as a user's own may: v0.4 with every annotation dropped. */
let unannotated: ReplayView;
let annotated: ReplayView;

beforeAll(async () => {
  unannotated = await viewOf(minimalDigest, true);
  annotated = await viewOf(minimalDigest, false);
  expect(unannotated.result.events.some((event) => event.annotation)).toBe(false);
  expect(unannotated.result.events.some((event) => event.kind === 'claim-answered' && event.detail['status'] === 200)).toBe(true);
});

describe('the sequence diagram draws claims, dones and acks from what the servers observed', () => {
  it('for a runtime without annotations: the granted claim, the done and the acks it applied', () => {
    const lines = formatMermaidSequence(unannotated.story).split('\n');
    expect(lines.some((line) => /^ {2}agents-->>host\d+: claim gen 1 granted \(w1\)$/.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}host\d+->>agents: done w1 gen 1 \(200[,)]/.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}agents->>streams: acks gen 1: \S+@\d+_\d+/.test(line))).toBe(true);
  });

  it("for v0.4: one arrow per claim and per done, the runtime's outcome added to the server's answer", () => {
    const lines = formatMermaidSequence(annotated.story).split('\n');
    const claims = annotated.result.events.filter((event) => event.kind === 'claim-answered').length;
    const dones = annotated.result.events.filter((event) => event.kind === 'done-received').length;
    expect(lines.filter((line) => /agents-->>host\d+: claim /.test(line))).toHaveLength(claims);
    expect(lines.filter((line) => /host\d+->>agents: (done|ack) /.test(line))).toHaveLength(dones);
    expect(lines.some((line) => /^ {2}agents-->>host\d+: claim gen 1 granted \(w1\): dispatched$/.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}host\d+->>agents: done w1 gen 1 \(200[^)]*\): completed$/.test(line))).toBe(true);
  });

  it('is the same diagram with or without annotations but for what they add (the outcomes, the runtime-only steps)', () => {
    const serverArrows = (view: ReplayView): string[] =>
      formatMermaidSequence(view.story)
        .split('\n')
        .filter((line) => /: (claim|done|acks) /.test(line))
        .map((line) => line.replace(/\): (dispatched|completed|failed)$/, ')').replace(/: (dispatched|completed|failed)$/, ''));
    expect(serverArrows(annotated)).toEqual(serverArrows(unannotated));
  });
});

describe('the timeline state columns come from the servers where they saw it', () => {
  it('shows the runner read position and the wake in progress for a runtime without annotations', () => {
    const lines = formatTimeline(unannotated.rows, unannotated.result.events, 120, unannotated.violations);
    const claimed = lines.find((line) => line.includes('claim-answered'));
    expect(claimed).toMatch(/│ host#\d+ @\d+_\d+ +w1 /);
    const firstRead = lines.find((line) => line.includes('stream-read') && line.includes('stream=runners/'));
    expect(firstRead).toMatch(/│ host#\d+ @-1 /);
    // The done the server accepted ends the wake in its row.
    expect(lines.find((line) => line.includes('done-received'))).toMatch(/│ host#\d+ @\d+_\d+ +- /);
  });

  it('gives the same runner and wake columns with or without annotations once the servers saw the reads', () => {
    const columns = (view: ReplayView): string[] =>
      view.rows
        .filter((row) => !row.event.annotation && row.state.runner?.readOffset !== null)
        .map((row) => `${row.event.step} ${row.event.actor} ${row.event.kind} ${row.state.runner?.readOffset} ${row.state.wake?.wakeId ?? '-'} ${row.state.wake?.status ?? '-'}`);
    expect(columns(annotated)).toEqual(columns(unannotated));
    expect(columns(annotated).length).toBeGreaterThan(0);
  });

  it('says in the legend where each column comes from', () => {
    const legend = timelineLegend('minimal-digest').join(' ');
    expect(legend).toContain('as the Durable Streams service served it');
    expect(legend).toContain('the wake whose claim the agents server granted');
    expect(legend).toContain('as the runtime and its handler report it');
  });
});

describe("the HTML report's model states", () => {
  it('are replaced by one line saying why for a scenario the composed model does not follow', async () => {
    // A scenario of a user's own that says nothing of the composed model (as docs/write-a-scenario.md builds one).
    const { followedByComposedModel: _followed, ...world } = minimalDigestScenario;
    registerScenario({ ...world, name: 'users-own-report', summary: 'a scenario a user wrote' });
    const view = await viewOf({ ...minimalDigest, spec: { ...minimalDigest.spec, scenario: 'users-own-report' } }, true);
    const html = htmlReport(view);
    const section = html.slice(html.indexOf('<section id="model">'), html.indexOf('</section>', html.indexOf('<section id="model">')));
    expect(section).toContain('The composed model is not judged for this scenario: model-conformance: not judged in these runs (');
    expect(section).toContain('scenario users-own-report does not say its entity behaves like it');
    expect(section).not.toContain('<table');
    expect(section).not.toContain('cannot take');
  });

  it('are shown for a digest scenario', () => {
    const html = htmlReport(annotated);
    expect(html).toContain('<table class="model">');
    expect(html).toContain('digestEntity');
    expect(html).not.toContain('not judged for this scenario');
  });
});
