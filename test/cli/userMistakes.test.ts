import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { traceFileFor, writeTraceFile } from '../../cli/traceFiles.ts';
import { RecordedChoiceSource } from '../../sim/choice/RecordedChoiceSource.ts';
import { replayTokenFor } from '../../scenarios/replayTokens.ts';
import { hashOfEvents, type TraceEvent } from '../../sim/trace/Trace.ts';
import { runScenario } from '../../scenarios/runScenario.ts';
import { BOTH_FIXES, digestSpec } from '../acceptance/helpers.ts';
import { sim, simInProcess } from './runSim.ts';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wake-sim-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An existing plain file and an existing directory, where a command expects the other. */
const existingFile = join(dir, 'existing-file');
writeFileSync(existingFile, 'not a directory\n');
const existingDir = join(dir, 'existing-dir');
mkdirSync(existingDir);
/** A fault-free story of the fixed configuration: replays in milliseconds, reproduces nothing (exit 0). */
const token = replayTokenFor(digestSpec(BOTH_FIXES), []);
/** A budget no test could wait for: a check that ran after the search would time the test out. */
const ENDLESS = '10000000';

/**
 * Every mistake: one line on stderr, exit 2, no stack, and before any long work (the searches asked for here would
 * run for hours). The first group is the list of issue 11; the second, more mistakes of the same kinds.
 */
describe('user mistakes: one line on stderr, exit 2, checked before the search', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['explore --out an existing file', ['explore', '--runs', ENDLESS, '--out', existingFile], /^sim: --out .*existing-file: is a file, not a directory$/],
    ['replay --format html --out an existing file', ['replay', token, '--format', 'html', '--out', existingFile], /^sim: --out .*existing-file: is a file, not a directory$/],
    ['matrix --doc in a directory that cannot be created', ['matrix', '--runs', ENDLESS, '--doc', '/proc/no-such-dir/fix-matrix.md'], /^sim: --doc \/proc\/no-such-dir\/fix-matrix\.md: cannot write in \/proc\/no-such-dir \(ENOENT\)$/],
    ['models docs --out an existing file', ['models', 'docs', '--out', existingFile], /^sim: models docs: --out .*existing-file is a file, not a directory$/],
    ['an empty --faults', ['explore', '--runs', ENDLESS, '--faults', ''], /^sim: --faults is empty; name fault kinds, or default, all or none$/],
    ['an empty --property', ['explore', '--runs', ENDLESS, '--property', ''], /^sim: --property is empty; name one or more of: duplicate-action, /],
    ['an empty --seed', ['explore', '--runs', ENDLESS, '--seed', ''], /^sim: --seed is empty; give a whole number from 0 to 4294967295/],
    ['--runs -1', ['explore', '--runs', '-1'], /^sim: --runs must be a whole number from 1 to 10000000, not "-1"$/],
    ['replay of neither a token nor a trace file', ['replay', 'hello'], /^sim: replay: "hello" is neither a replay token \(ws2\.<data>\.<checksum>\) nor a trace file \(no file of that name\)$/],

    ['matrix --doc ""', ['matrix', '--runs', ENDLESS, '--doc', ''], /^sim: --doc needs a file path, not an empty string$/],
    ['matrix --doc an existing directory', ['matrix', '--runs', ENDLESS, '--doc', existingDir], /^sim: --doc .*existing-dir: is a directory, not a file$/],
    ['merge --doc an existing directory', ['merge', '--doc', existingDir, existingFile], /^sim: --doc .*existing-dir: is a directory, not a file$/],
    ['matrix --out an existing file', ['matrix', '--runs', ENDLESS, '--out', existingFile], /^sim: --out .*existing-file: is a file, not a directory$/],
    ['models docs --check --out an existing file', ['models', 'docs', '--check', '--out', existingFile], /^sim: models docs: --out .*existing-file is a file, not a directory$/],
    ['explore --out ""', ['explore', '--runs', ENDLESS, '--out', ''], /^sim: --out needs a directory, not an empty string$/],
    ['a stray comma in --faults', ['explore', '--runs', ENDLESS, '--faults', 'redeploy,'], /^sim: --faults "redeploy," has an empty entry \(a stray comma\?\)$/],
    ['none with fault kinds', ['explore', '--runs', ENDLESS, '--faults', 'none,redeploy'], /^sim: --faults "none,redeploy": none cannot be combined with other fault kinds$/],
    ['a stray comma in --property', ['explore', '--runs', ENDLESS, '--property', 'duplicate-action,'], /^sim: --property has an empty entry \(a stray comma\?\)$/],
    ['a switch given twice', ['explore', '--runs', ENDLESS, '--wiring', 'swallow', '--wiring', 'retry'], /^sim: explore: --wiring given more than once \(give it once; see --help\)$/],
    ['--workers -2', ['explore', '--runs', ENDLESS, '--workers', '-2'], /^sim: --workers must be a whole number from 1 to 64, not "-2"$/],
    ['replay of a directory', ['replay', existingDir], /^sim: replay: .*existing-dir is a directory, not a trace file$/],
    ['replay of an empty argument', ['replay', ''], /^sim: replay: the token or trace file argument is empty$/],
    ['replay of two arguments that are no token', ['replay', 'story.trace.json', 'html'], /^sim: replay: expected one token or trace file, got 2 arguments$/],
    ['merge of a directory', ['merge', existingDir], /^sim: merge: .*existing-dir is a directory, not a shard's --json output$/],
    ['an empty matrix --vary', ['matrix', '--runs', ENDLESS, '--vary', ''], /^sim: --vary is empty; name the switches to vary \(e\.g\. wiring,offset\)$/],
    ['a stray comma in matrix --vary', ['matrix', '--runs', ENDLESS, '--vary', 'wiring,,offset'], /^sim: --vary "wiring,,offset" has an empty entry \(a stray comma\?\)$/],
    ['start --shrink-attempts that is no number', ['start', '--shrink-attempts', 'many'], /^sim: --shrink-attempts must be a whole number from 0 to 2500, not "many"$/],
    ['matrix --vary a switch also fixed', ['matrix', '--runs', ENDLESS, '--vary', 'wiring', '--wiring', 'retry'], /^sim: --wiring retry fixes a switch --vary varies; give one or the other$/],
    ['matrix --vary a switch twice', ['matrix', '--runs', ENDLESS, '--vary', 'wiring,offset,wiring'], /^sim: --vary "wiring,offset,wiring" names wiring twice$/],
    ['a preset of another runtime', ['explore', '--runs', ENDLESS, '--runtime', 'v0.6', '--config', 'hardened'], /^sim: config "hardened" sets --offset server-seek, which this runtime does not have \(allowed: /],
    ['help of an unknown command', ['help', 'nope'], /^sim: help: unknown command "nope" \(known: explore, replay, start, models, matrix, merge\)$/],
  ];
  // In this process (main, as the command line runs it): 24 child processes would cost half a minute of start-up.
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await simInProcess(...args);
    expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('replay: tokens as pasted, and trace files this build tells differently', () => {
  it('replays a token wrapped over several lines or broken at spaces', async () => {
    const wrapped = token.replace(/(.{40})/g, '$1\n    ');
    expect(wrapped).toContain('\n');
    const asOneArgument = await sim('replay', wrapped, '--json');
    const asSeveral = await sim('replay', ...token.match(/.{1,50}/g)!);
    expect(asOneArgument.code).toBe(0);
    expect(asSeveral.code).toBe(0);
    const replayed = JSON.parse(asOneArgument.stdout) as { traceHash: string };
    const expected = await runScenario(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]));
    expect(replayed.traceHash).toBe(expected.traceHash);
    expect(asSeveral.stdout).toContain(`trace hash ${expected.traceHash}`);
  });

  it('exits 4 when a trace file replays to another story than it recorded, and says so', async () => {
    const result = await runScenario(digestSpec(BOTH_FIXES), new RecordedChoiceSource([]));
    const same = writeTraceFile(dir, 'same', traceFileFor(result, token, undefined));
    const recorded = JSON.parse(readFileSync(same, 'utf8')) as Record<string, unknown>;
    // What an older build would have written: one event told differently, and the hash of the events as written.
    const events = (recorded['events'] as TraceEvent[]).map((event, index) => (index === 5 ? { ...event, atMs: event.atMs + 1 } : event));
    const otherHash = hashOfEvents(events);
    const other = join(dir, 'other.trace.json');
    writeFileSync(other, JSON.stringify({ ...recorded, events, traceHash: otherHash }));
    expect((await sim('replay', same)).code).toBe(0);
    const differs = await sim('replay', other);
    expect(differs.code).toBe(4);
    expect(differs.stdout).toContain(`DIFFERENT trace from the one the file recorded (${otherHash})`);
    // An event edited by hand, the hash left as it was: the file is not what any build recorded.
    const edited = join(dir, 'edited.trace.json');
    writeFileSync(edited, JSON.stringify({ ...recorded, events }));
    const refused = await sim('replay', edited);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^sim: .*edited\.trace\.json: its events do not give its recorded trace hash \(was the file edited\?\)\n$/);
    const help = await sim('replay', '--help');
    expect(help.stdout).toMatch(/\b4 a trace file whose story this build\s+tells differently/);
  });
});

describe('internal errors', () => {
  // Errors no command caught: exit 3 and "internal error (please report)", never 1, which means a finding.
  it.each([
    ['an unhandled rejection', 'Promise.reject(new Error("planted"))'],
    ['an uncaught exception', 'setTimeout(() => { throw new Error("planted"); })'],
  ])('%s exits 3 and says it is an internal error', async (_name, fault) => {
    const script = `import('./cli/internalError.ts').then(({ installInternalErrorHandlers }) => { installInternalErrorHandlers(); ${fault}; })`;
    const outcome = await execFileAsync(process.execPath, ['--import', 'tsx', '-e', script]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(/^sim: internal error \(please report\): Error: planted\n/);
  });

  it('a rejection no one handles in the middle of a search exits 3 from the command line', async () => {
    // Planted from outside the tool: a preloaded module waits until the command line is up (its handlers are
    // installed) and rejects a promise while `explore` is searching; after a minute it rejects anyway, so a command
    // line without the handlers fails this test rather than search forever.
    const plant = `data:text/javascript,${encodeURIComponent(
      'const started = Date.now(); const poll = setInterval(() => { if (process.listenerCount("unhandledRejection") > 0 || Date.now() - started > 60000) { clearInterval(poll); Promise.reject(new Error("planted")); } }, 20);',
    )}`;
    const args = ['--import', 'tsx', '--import', plant, 'cli/main.ts', 'explore', '--wiring', 'retry', '--offset', 'durable', '--runs', ENDLESS];
    const outcome = await execFileAsync(process.execPath, args).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(/^sim: internal error \(please report\): Error: planted\n/);
  });
});
