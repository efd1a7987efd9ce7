import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRequired, BROWSER_REQUIRED_VARIABLE, CHROMIUM_INSTALL_HINT, findChromium, loadInChromium } from './chromium.ts';
import { sim } from './runSim.ts';
import { replayCommand } from '../../cli/commands/replayCommand.ts';
import { formatTimeline, timelineRows } from '../../cli/format/timeline.ts';
import { UsageError } from '../../cli/UsageError.ts';
import type { Violation } from '../../properties/index.ts';
import type { TraceEvent } from '../../sim/trace/Trace.ts';

/** Runs `replay` in process; returns its exit status and printed lines. */
async function replayLines(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await replayCommand(args, (line) => lines.push(...line.split('\n')));
  return { code, lines };
}

const width = (line: string): number => [...line].length;

let token = '';
const scratch = mkdtempSync(join(tmpdir(), 'wake-sim-reports-'));

beforeAll(async () => {
  // The v0.4 duplicate digest, found the way a user finds it.
  const explored = await sim('explore', '--runs', '50', '--property', 'duplicate-action', '--json');
  expect(explored.code).toBe(1);
  const report = JSON.parse(explored.stdout) as { finding: { property: string; replay: string } | null };
  expect(report.finding?.property).toBe('duplicate-action');
  token = report.finding!.replay;
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('replay: the timeline', () => {
  it('shows time, state and actor per event within 120 columns, the violation marked <== and its causes <--', async () => {
    const { code, lines } = await replayLines(token);
    expect(code).toBe(1);
    for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(120);
    const header = lines.find((line) => line.includes('│ runner @read'));
    expect(header).toMatch(/time\s+step\s+│ runner @read\s+wake\s+handle\s+posts\s+│ actor\s+event/);
    const duplicate = lines.find((line) => line.includes('<== duplicate-action'));
    expect(duplicate).toMatch(/^! +\+\d+:\d\d\.\d{3} #\d+ /);
    expect(duplicate).toMatch(/action-performed/);
    expect(duplicate).toMatch(/ 2 dup /);
    // The causal steps, derived from the trace: the first post, the preload failure behind the unwired handle.
    for (const cause of ['first post', 'preload failure', 'wake that posts again']) {
      expect(lines.some((line) => line.startsWith('* ') && line.includes(`<-- ${cause}`)), cause).toBe(true);
    }
    expect(lines.some((line) => line.includes('UNWIRED') && line.includes('observe-resolved'))).toBe(true);
    expect(lines).toContain('duplicate-action: reproduced');
    expect(lines.join('\n')).not.toMatch(/\b\d{16}_\d{16}\b/);
    expect(lines.some((line) => line.includes('a simulated day is 5 virtual minutes'))).toBe(true);
  });

  it('is byte-identical across replays; --all adds the scheduler steps', async () => {
    const first = await replayLines(token);
    const second = await replayLines(token);
    expect(second.lines).toEqual(first.lines);
    const all = await replayLines(token, '--all');
    expect(all.lines.length).toBeGreaterThan(first.lines.length);
    expect(all.lines.some((line) => / step\s/.test(line))).toBe(true);
  });

  it('--json gives timeline entries as objects with the state columns and the marks', async () => {
    const { code, lines } = await replayLines(token, '--json');
    expect(code).toBe(1);
    const json = JSON.parse(lines.join('\n')) as {
      reproduced: boolean;
      timeline: Array<{
        kind: string;
        actor: string;
        detail: Record<string, unknown>;
        state: { runner: { process: string; startOffset: string | null; readOffset: string | null } | null; wake: { wakeId: string; handle: string } | null; posts: { total: number; duplicates: number } };
        marks: Array<{ kind: string; label: string }>;
      }>;
    };
    expect(json.reproduced).toBe(true);
    const duplicate = json.timeline.find((entry) => entry.marks.some((mark) => mark.kind === 'violation' && mark.label === 'duplicate-action'));
    expect(duplicate?.kind).toBe('action-performed');
    expect(duplicate?.state.posts).toMatchObject({ total: 2, duplicates: 1 });
    expect(duplicate?.state.runner?.process).toMatch(/^host#\d+$/);
    expect(json.timeline.some((entry) => entry.state.wake?.handle === 'unwired')).toBe(true);
    expect(json.timeline.some((entry) => entry.marks.some((mark) => mark.kind === 'cause' && mark.label === 'first post'))).toBe(true);
  });
});

describe('the causal steps of the bug report story, derived from the trace', () => {
  // The story of electric#4625, written by hand in the trace's vocabulary: host#1 is served the wake, claims it, posts
  // and crashes before recording it; host#2 starts at -1, is served the old wake again, its preload fails, observe
  // resolves unwired and it posts again.
  const wake = '0000000000000000_0000000000000105';
  const served = (peer: string): TraceEvent['detail'] => ({
    peer,
    stream: 'runners/runner-1/wake',
    offset: '-1',
    live: false,
    status: 200,
    next: wake,
    count: 1,
    wakes: [{ subscription: 'sub:digest-1', generation: 1 }],
  });
  const raw: Array<[string, string, TraceEvent['detail'], boolean?]> = [
    ['host#1', 'process-start', {}],
    ['host#1', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }, true],
    ['durable-streams', 'stream-read', served('host#1')],
    ['host#1', 'wake-read', { offset: wake, subscription: 'sub:digest-1', generation: 1 }, true],
    ['agents-server', 'claim-answered', { peer: 'host#1', runner: 'runner-1', subscription: 'sub:digest-1', status: 200, wakeId: 'w_000000000000000000000001', generation: 1, entity: 'digest-1' }],
    ['host#1', 'wake-start', { entity: 'digest-1', wakeId: 'w_000000000000000000000001', generation: 1 }, true],
    ['host#1', 'claim-settled', { offset: wake, subscription: 'sub:digest-1', generation: 1, outcome: 'dispatched' }, true],
    ['host#1', 'observe-called', { entity: 'digest-1', sharedId: 'digest-log', created: true }, true],
    ['host#1', 'handle-wired', { entity: 'digest-1', sharedId: 'digest-log', restored: false, empty: false }, true],
    ['host#1', 'observe-resolved', { entity: 'digest-1', sharedId: 'digest-log', wakeId: 'w_000000000000000000000001', wired: true }],
    ['host#1', 'idempotency-check', { entity: 'digest-1', occurrence: 0, verdict: 'not-posted' }],
    ['chat', 'action-performed', { peer: 'host#1', channel: 'digests', entity: 'digest-1', action: 'digest:0', id: 'm1' }],
    ['supervisor', 'fault', { kind: 'crash', host: 'host#1' }],
    ['host#1', 'process-exit', { reason: 'crash' }],
    ['host#2', 'process-start', {}],
    ['host#2', 'runner-start', { runnerId: 'runner-1', startOffset: '-1', registeredOffset: null }, true],
    ['durable-streams', 'stream-read', served('host#2')],
    ['host#2', 'wake-read', { offset: wake, subscription: 'sub:digest-1', generation: 1 }, true],
    ['agents-server', 'claim-answered', { peer: 'host#2', runner: 'runner-1', subscription: 'sub:digest-1', status: 200, wakeId: 'w_000000000000000000000001', generation: 1, entity: 'digest-1' }],
    ['host#2', 'wake-start', { entity: 'digest-1', wakeId: 'w_000000000000000000000001', generation: 1 }, true],
    ['host#2', 'observe-called', { entity: 'digest-1', sharedId: 'digest-log', created: true }, true],
    ['durable-streams', 'fault', { kind: 'preload-not-found', stream: 'shared/digest-log', reader: 'host#2' }],
    ['host#2', 'preload-failed', { entity: 'digest-1', sharedId: 'digest-log', restored: false, attempt: 1, error: 'HttpError 404', handling: 'propagate' }, true],
    ['host#2', 'wiring-failed', { entity: 'digest-1', error: 'HttpError 404', code: 'SHARED_STATE_WIRING_FAILED' }, true],
    ['host#2', 'observe-resolved', { entity: 'digest-1', sharedId: 'digest-log', wakeId: 'w_000000000000000000000001', wired: false }],
    ['host#2', 'idempotency-check', { entity: 'digest-1', occurrence: 0, verdict: 'not-posted' }],
    ['chat', 'action-performed', { peer: 'host#2', channel: 'digests', entity: 'digest-1', action: 'digest:0', id: 'm2' }],
  ];
  const events: TraceEvent[] = raw.map(([actor, kind, detail, annotation], step) => ({ step, atMs: step * 100, actor, kind, detail, ...(annotation ? { annotation: true as const } : {}) }));
  const at = (actor: string, kind: string, from = 0): number => events.findIndex((event, index) => index >= from && event.actor === actor && event.kind === kind);
  const servedAt = (peer: string): number => events.findIndex((event) => event.kind === 'stream-read' && event.detail['peer'] === peer);
  const violation = (property: Violation['property'], eventIndex: number): Violation => ({ property, message: property, step: eventIndex, atMs: eventIndex * 100, eventIndex });
  const duplicate = events.length - 1;
  const violations = [violation('duplicate-action', duplicate), violation('unwired-resolve', at('host#2', 'observe-resolved')), violation('wake-replay', servedAt('host#2'))];

  it('marks the first post, the restart, the start at -1, the replayed wake, the preload failure and the check', () => {
    const rows = timelineRows(events, violations);
    const labels = (index: number): string[] => rows.find((row) => row.index === index)!.marks.map((mark) => mark.label);
    expect(labels(at('chat', 'action-performed'))).toEqual(['first post']);
    expect(labels(at('host#1', 'process-exit'))).toEqual(['exit before record']);
    expect(labels(at('supervisor', 'fault'))).toEqual(['restart']);
    expect(labels(at('host#2', 'process-start'))).toEqual(['new process']);
    expect(labels(at('host#2', 'runner-start'))).toEqual(['runner starts at -1']);
    expect(labels(servedAt('host#2'))).toEqual(['wake-replay', 'replayed wake']);
    expect(labels(servedAt('host#1'))).toEqual(['first read of this wake']);
    expect(labels(at('agents-server', 'claim-answered'))).toEqual(['processed']);
    expect(labels(at('host#2', 'wake-start'))).toEqual(['wake that posts again']);
    expect(labels(at('durable-streams', 'fault'))).toEqual(['injected fault']);
    expect(labels(at('host#2', 'preload-failed'))).toEqual(['preload failure']);
    expect(labels(at('host#2', 'observe-resolved'))).toEqual(['unwired-resolve']);
    expect(labels(at('host#2', 'idempotency-check'))).toEqual(['check misses first post']);
    expect(labels(duplicate)).toEqual(['duplicate-action']);
    // Nothing else is marked: the first wake's own wiring and check were fine.
    expect(labels(at('host#1', 'observe-resolved'))).toEqual([]);
    expect(labels(at('host#1', 'idempotency-check'))).toEqual([]);
  });

  it('shows the restarted runner reading from -1 and re-reading the old wake', () => {
    const lines = formatTimeline(timelineRows(events, violations), events);
    const line = (actor: string, kind: string, from = 0): string => lines.find((text) => text.includes(`│ ${actor} `) && text.includes(` ${kind}`) && lines.indexOf(text) >= from)!;
    expect(line('host#2', 'runner-start')).toMatch(/│ host#2 @-1 /);
    // The service serving the old wake again is what shows the replay, in the restarted runner's row; after it the
    // runner's position is what the service served it (the old wake, read again from -1).
    expect(lines.find((text) => /^! .* stream-read /.test(text))).toMatch(/│ host#2 @0_105 .*<== wake-replay {2}<-- replayed wake$/);
    expect(line('host#1', 'process-exit')).toMatch(/│ host#1 down .* 1 +│/);
    expect(line('host#2', 'observe-resolved')).toMatch(/w1 +UNWIRED/);
    for (const text of lines) expect(width(text), text).toBeLessThanOrEqual(120);
  });
});

describe('the timeline of any trace a runtime can leave', () => {
  const event = (step: number, detail: TraceEvent['detail']): TraceEvent => ({ step, atMs: step, actor: 'host#1', kind: 'heartbeat', detail });

  it('prints a detail value that JSON cannot hold (undefined) instead of failing', () => {
    // Found by Stryker: a mutant that left a field undefined turned its finding into an internal error.
    const events = [event(1, { ok: true, offset: undefined as unknown as string })];
    expect(formatTimeline(timelineRows(events, [], true), events).join('\n')).toMatch(/offset=undefined/);
  });

  it('prints a run that spun to its step budget: more rows than a call takes arguments', () => {
    const events = Array.from({ length: 200_000 }, (_, index) => event(index, { ok: true, n: index }));
    const lines = formatTimeline(timelineRows(events, [], true), events);
    expect(lines.some((line) => line.includes('n=199999'))).toBe(true);
  });
});

describe('replay --format mermaid', () => {
  it('prints a sequenceDiagram of the story with the violation as a note, the same every time', async () => {
    const { code, lines } = await replayLines(token, '--format', 'mermaid');
    expect(code).toBe(1);
    expect(lines[0]).toBe('sequenceDiagram');
    for (const participant of ['cron as cron / workload', 'agents as agents server', 'streams as durable streams', 'chat as chat service', 'faults']) {
      expect(lines).toContain(`  participant ${participant}`);
    }
    expect(lines.some((line) => /^ {2}participant host\d+ as host\d+ runner$/.test(line))).toBe(true);
    expect(lines.some((line) => /host\d+->>chat: post digest:0/.test(line))).toBe(true);
    expect(lines.some((line) => /streams--xhost\d+: preload fails/.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}Note over .*: ⚠ duplicate-action: /.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('[first post]'))).toBe(true);
    // `#` starts a comment and `;` ends a statement in Mermaid: only entity codes may contain them.
    for (const line of lines) expect(line.replace(/#\d+;/g, ''), line).not.toMatch(/[#;]/);
    expect((await replayLines(token, '--format', 'mermaid')).lines).toEqual(lines);
  });
});

/** Each highlighted timeline row (a cause, or the event that shows a violation) has its highlighted band in the diagram. */
function expectEveryMarkedRowDrawn(html: string): void {
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  const timeline = html.slice(html.indexOf('<table class="timeline">'), html.indexOf('</table>', html.indexOf('<table class="timeline">')));
  const markedRows = timeline.match(/<tr class="(cause|violation)">/g) ?? [];
  const bands = svg.match(/<rect x="0" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#(fff3c4|ffdede)"\/>/g) ?? [];
  expect(markedRows.length).toBeGreaterThanOrEqual(3);
  expect(bands.length).toBe(markedRows.length);
}

describe('replay --format html', () => {
  it('writes a self-contained report and prints its path; the same token gives the same bytes in any directory', async () => {
    const first = join(scratch, 'first');
    const second = join(scratch, 'nested', 'second');
    const a = await replayLines(token, '--format', 'html', '--out', first);
    const b = await replayLines(token, '--format', 'html', '--out', second);
    expect(a.code).toBe(1);
    const written = a.lines.find((line) => line.startsWith('wrote '))!.slice('wrote '.length);
    expect(written).toMatch(/replay-[0-9a-f]{12}\.html$/);
    expect(written.startsWith(first)).toBe(true);
    const html = readFileSync(written, 'utf8');
    const again = readFileSync(b.lines.find((line) => line.startsWith('wrote '))!.slice('wrote '.length), 'utf8');
    expect(again).toBe(html);
    expect(html).not.toContain(scratch);
    expect(html).not.toContain(process.cwd());
    // Nothing to fetch: no script, no external resource (the SVG namespace is a name, not a request).
    expect(html).not.toMatch(/<script/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain(`npm run sim -- replay ${token}`);
    expect(html).toContain('<svg');
    expect(html).toContain('sequenceDiagram');
    expect(html).toContain('digestEntity');
    // The diagram scales to the page; its texts wrap onto more lines instead of being cut.
    expect(html).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(html).toMatch(/svg\.sequence \{[^}]*max-width: 100%[^}]*height: auto/);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).not.toContain('…');
    expect(svg).toMatch(/preload fails: HttpError 404( |<\/text>\s*<text[^>]*>)STREAM_NOT_FOUND: Stream not found/);
    // One notation: offsets short, virtual times with their legend, the replay command once.
    expect(html).not.toMatch(/\b\d{16}_\d{16}\b/);
    expect(html).toContain('a simulated day is 5 virtual minutes');
    expect(html.split(token).length - 1).toBe(1);
    expectEveryMarkedRowDrawn(html);
  });

  it('draws every highlighted step of a two-host story, the servers\' observations included', async () => {
    // Defect A alone: a redeploy, and the new process is served the old wake again from -1.
    const explored = await sim('explore', '--wiring', 'retry', '--faults', 'redeploy', '--runs', '50', '--property', 'wake-replay', '--json');
    expect(explored.code).toBe(1);
    const replayed = (JSON.parse(explored.stdout) as { finding: { replay: string } }).finding.replay;
    const { lines } = await replayLines(replayed, '--format', 'html', '--out', join(scratch, 'two-hosts'));
    const html = readFileSync(lines.find((line) => line.startsWith('wrote '))!.slice('wrote '.length), 'utf8');
    expect(html).toContain('host#2 runner');
    // The first read of the wake and the done that processed it are what the servers saw: no runtime event draws them.
    expect(html).toMatch(/serves runners\/runner-1\/wake from/);
    expectEveryMarkedRowDrawn(html);
  }, 120_000);

  it('closes the timeline with a row for a violation judged at the end of the run, at the step the report cites', async () => {
    // A small shrink budget (the default's 2,500 candidate runs would be most of this test's time): the row is checked
    // on the story as shrunk, however far it shrank.
    const explored = await sim('explore', '--wiring', 'reject', '--runs', '50', '--property', 'missed-action', '--shrink-attempts', '200', '--json');
    expect(explored.code).toBe(1);
    const missed = (JSON.parse(explored.stdout) as { finding: { replay: string } }).finding.replay;
    const { lines } = await replayLines(missed, '--format', 'html', '--out', join(scratch, 'missed'));
    const html = readFileSync(lines.find((line) => line.startsWith('wrote '))!.slice('wrote '.length), 'utf8');
    const cited = /<span class="property">missed-action<\/span> <span class="message">[^<]*<\/span> <span class="where">step (\d+) · ([^<]+)<\/span>/.exec(html);
    expect(cited).not.toBeNull();
    const endRow = /<tr class="violation end-of-run"><td class="time">([^<]+)<\/td><td class="num">#(\d+)<\/td>.*?<\/tr>/.exec(html);
    expect(endRow?.[2]).toBe(cited![1]);
    expect(endRow?.[1]).toBe(cited![2]);
    expect(endRow?.[0]).toContain('&#60;== missed-action');
    // The timeline scrolls inside its box instead of running off a narrow page.
    expect(html).toContain('<div class="scroll"><table class="timeline">');
  }, 120_000);

  it('refuses bad input with one line and exit 2', async () => {
    await expect(replayLines(token, '--format', 'pdf')).rejects.toThrow(UsageError);
    await expect(replayLines(token, '--format', 'html')).rejects.toThrow(/--format html needs --out DIR/);
    await expect(replayLines(token, '--out', scratch)).rejects.toThrow(/--out only applies to --format html/);
    for (const [args, message] of [
      [['replay', token, '--format', 'pdf'], /unknown format "pdf" \(known: text, mermaid, html\)/],
      [['replay', token, '--format', 'html'], /--format html needs --out DIR/],
    ] as const) {
      const result = await sim(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('replay --format html in a browser', () => {
  it('loads in headless Chromium without console errors and shows the violation', async (context) => {
    const chromium = findChromium();
    if (chromium === undefined) {
      const missing = `browser check: Chromium not found; ${CHROMIUM_INSTALL_HINT}`;
      if (browserRequired()) throw new Error(`${missing} (${BROWSER_REQUIRED_VARIABLE}=1 requires it)`);
      // One visible line in the run's output, then the skip: the check stays a real-browser check.
      console.warn(`SKIPPED ${missing} (${BROWSER_REQUIRED_VARIABLE}=1 makes this a failure)`);
      context.skip();
      return;
    }
    const out = join(scratch, 'browser');
    const { lines } = await replayLines(token, '--format', 'html', '--out', out);
    const path = lines.find((line) => line.startsWith('wrote '))!.slice('wrote '.length);
    const expressions = {
      violations: 'document.querySelector("#violations").innerText',
      title: 'document.title',
      sequenceRows: 'document.querySelectorAll("svg.sequence text").length',
      timelineRows: 'document.querySelectorAll("table.timeline tbody tr:not(.end-of-run)").length',
      markedRows: 'document.querySelectorAll("table.timeline tr.violation").length',
      modelRows: 'document.querySelectorAll("table.model tbody tr").length',
    };
    const page = await loadInChromium(chromium, pathToFileURL(path).href, expressions, scratch);
    // The probe shows the console capture works: a page error would have been seen the same way.
    expect(page.problems).toEqual(['console.error: wake-sim probe']);
    expect(page.values['violations']).toMatch(/duplicate-action\s+digest-1 digest:0 performed twice/);
    expect(page.values['violations']).toMatch(/duplicate-action: reproduced/);
    expect(page.values['title']).toMatch(/duplicate-action/);
    expect(page.values['sequenceRows']).toBeGreaterThan(20);
    expect(page.values['timelineRows']).toBeGreaterThan(20);
    expect(page.values['markedRows']).toBeGreaterThanOrEqual(1);
    expect(page.values['modelRows']).toBe(page.values['timelineRows']);
  }, 120_000);
});
