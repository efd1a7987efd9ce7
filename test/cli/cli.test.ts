import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sim, simInProcess } from './runSim.ts';

describe('command line: bad input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown switch value', ['explore', '--wiring', 'sometimes'], /unknown value "sometimes" for --wiring \(allowed: swallow, reject, retry, empty, retry-same-db\)/],
    ['no runners', ['explore', '--runners', '0'], /^sim: .*unknown value "0" for --runners \(allowed: 1, 2, 3\)/],
    ['more runners than the world has', ['explore', '--runners', '4'], /^sim: .*unknown value "4" for --runners \(allowed: 1, 2, 3\)/],
    ['a runner count that is no number', ['explore', '--runners', 'x'], /^sim: .*unknown value "x" for --runners \(allowed: 1, 2, 3\)/],
    ['unknown preset', ['explore', '--config', 'v9'], /unknown config "v9"/],
    ['unknown option', ['explore', '--speed', 'fast'], /Unknown option '--speed'/],
    ['unknown scenario', ['explore', '--scenario', 'weekly'], /unknown scenario "weekly"/],
    ['unknown fault', ['explore', '--faults', 'redeploy,meteor'], /unknown fault "meteor"/],
    ['unknown property', ['explore', '--property', 'fast'], /unknown property "fast"/],
    ['bad run count', ['explore', '--runs', 'many'], /--runs must be a whole number/],
    ['bad seed', ['explore', '--seed', '12x'], /--seed must be a whole number/],
    ['negative seed', ['explore', '--seed', '-4'], /sim: --seed must be a whole number from 0 to 4294967295 \(decimal or 0x hex\), not "-4"/],
    ['negative seed, explicit', ['explore', '--seed=-4'], /--seed must be a whole number/],
    ['garbled token', ['replay', 'ws2.bm90IGEgdG9rZW4.0000'], /malformed replay token/],
    ['token of another format version', ['replay', 'ws1.bm90IGEgdG9rZW4.0000'], /replay token format version 1 is not supported/],
    ['token of another format version', ['replay', 'ws7.e30.00000000'], /format version 7 is not supported/],
    ['missing token', ['replay'], /expected a token or a trace file/],
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['a command named like an object property', ['constructor'], /unknown command "constructor"/],
    ['unknown strategy', ['explore', '--strategy', 'clever'], /unknown strategy "clever" \(known: random, pct, swarm, exhaustive, guided\)/],
    ['a depth without pct', ['explore', '--depth', '2'], /--depth applies to --strategy pct only/],
    ['a bad depth', ['explore', '--strategy', 'pct', '--depth', '0'], /--depth must be a whole number from 1 to 5/],
    ['a deviation bound without exhaustive', ['explore', '--max-deviations', '2'], /--max-deviations applies to --strategy exhaustive only/],
    ['draws without guided', ['explore', '--strategy', 'swarm', '--draw', 'uniform'], /--draw applies to --strategy guided only/],
    ['unknown draws', ['explore', '--strategy', 'guided', '--draw', 'wild'], /unknown --draw "wild" \(known: swarm, uniform\)/],
    ['a fault the scenario cannot inject', ['explore', '--scenario', 'minimal-digest', '--faults', 'crash'], /scenario "minimal-digest" cannot inject crash/],
    ['an --out that cannot be written', ['explore', '--runs', '5', '--out', '/dev/null/x'], /--out \/dev\/null\/x: cannot write there \(ENOTDIR\)/],
    ['a missing trace file', ['replay', 'no/such/file.trace.json'], /cannot read trace file no\/such\/file\.trace\.json: no such file/],
    ['a trace file that is not one', ['replay', 'package.json'], /package\.json is not a trace file written by wake-sim/],
  ];
  it.each(cases)('%s: one line on stderr, exit 2', async (_name, args, message) => {
    const result = await simInProcess(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('command line: explore and replay', () => {
  it('explore --json finds the v0.4 duplicate (exit 1); replay reproduces it with the same hash (exit 1)', async () => {
    // A small shrink budget: the default's 2,500 candidate runs would be most of this test's time, and what it checks
    // (the report, the token, the replay) does not depend on how far the story shrank.
    const explored = await sim('explore', '--config', 'v0.4', '--runs', '50', '--property', 'duplicate-action', '--shrink-attempts', '200', '--json');
    expect(explored.code).toBe(1);
    const report = JSON.parse(explored.stdout) as {
      scenario: string;
      config: Record<string, string>;
      seed: number;
      runsExecuted: number;
      violations: Array<{ property: string; runIndex: number; run: number; replay: string; traceHash: string }>;
    };
    expect(report.scenario).toBe('daily-digest');
    expect(report.config).toEqual({
      wiring: 'swallow',
      offset: 'minus-one',
      streams: 'fast',
      transport: 'direct',
      'claim-retry': 'none',
      'done-retry': 'none',
      'stop-done': 'send',
      'stream-reconnect': 'backoff',
      'stream-reset': 'any-state',
      'lease-renewal': 'none',
      'lease-fence': 'none',
      'renewal-timeout': 'none',
      'renewal-retry': 'none',
      'handler-signal': 'none',
      'read-watchdog': 'none',
      'failed-wake': 'ack',
      'claim-guard': 'none',
      'request-timeout': 'none',
      'next-wake': 'ignore',
      'wake-batch': 'all',
      'claim-deferral': 'fifo',
      'stop-ack': 'given',
      'claim-concurrency': 'concurrent',
      'stop-gate': 'accepting-claims',
      'resume-offset': 'none',
      'chat-idempotency': 'ignore',
      'claim-reaper': 'none',
      'done-release': 'independent',
      'heartbeat-lease': 'keep',
      'claim-tokens': 'per-stream',
      'pending-wake': 'event',
      'shared-links': 'on-create',
      'run-finished-key': 'manifest',
      'run-finished-delivery': 'runs-stream',
      'spawn-order': 'link-first',
      'lease-store': 'memory',
      'write-tokens': 'memory',
      idempotency: 'raw-collection',
      'post-key': 'none',
      'shared-db': 'connect',
      'catch-up': 'newest',
      'slow-call': 'uninterruptible',
      entities: '1',
      children: '0',
      'dbs-per-wake': '1',
      runners: '1',
    });
    expect(report.seed).toBe(1);
    expect(report.runsExecuted).toBeGreaterThan(0);
    const duplicate = report.violations.find((violation) => violation.property === 'duplicate-action')!;
    expect(duplicate.runIndex).toBe(report.runsExecuted - 1);
    // Run numbers are 1-based wherever people read them; `runIndex` is the 0-based index the seed is mixed with.
    expect(duplicate.run).toBe(duplicate.runIndex + 1);

    const replayed = await sim('replay', duplicate.replay, '--json');
    expect(replayed.code).toBe(1);
    const replay = JSON.parse(replayed.stdout) as { traceHash: string; reproduced: boolean };
    expect(replay.reproduced).toBe(true);
    expect(replay.traceHash).toBe(duplicate.traceHash);
  });

  it('explore --out writes trace files that replay reproduces with the same trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wake-sim-out-'));
    try {
      const explored = await sim('explore', '--runs', '50', '--property', 'duplicate-action', '--shrink-attempts', '200', '--out', dir, '--json');
      expect(explored.code).toBe(1);
      const report = JSON.parse(explored.stdout) as { traceFiles: string[]; finding: { shrunk: { traceHash: string } } };
      expect(report.traceFiles.map((path) => basename(path))).toEqual(['duplicate-action.trace.json', 'duplicate-action.original.trace.json']);
      const replayed = await sim('replay', report.traceFiles[0]!, '--json');
      expect(replayed.code).toBe(1);
      const replay = JSON.parse(replayed.stdout) as { traceHash: string; sameTrace: boolean; reproduced: boolean };
      expect(replay).toMatchObject({ reproduced: true, sameTrace: true, traceHash: report.finding.shrunk.traceHash });
      // Every format says whether the story is the one the file recorded; Mermaid as a comment, so it still renders.
      const diagram = await sim('replay', report.traceFiles[0]!, '--format', 'mermaid');
      expect(diagram.stdout.trimEnd().split('\n').at(-1)).toBe('%% same trace as the file recorded');
      const html = await sim('replay', report.traceFiles[0]!, '--format', 'html', '--out', dir);
      expect(html.stdout.trimEnd().split('\n').at(-1)).toBe('same trace as the file recorded');

      // A file from another layout version is refused with one line.
      const file = JSON.parse(readFileSync(report.traceFiles[0]!, 'utf8')) as Record<string, unknown>;
      const future = join(dir, 'future.trace.json');
      writeFileSync(future, JSON.stringify({ ...file, version: 2 }));
      const refused = await sim('replay', future);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/is trace file version 2; this build reads version 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explore --strategy exhaustive on the minimal scenario reports the schedules it covered', async () => {
    const result = await sim('explore', '--scenario', 'minimal-digest', '--strategy', 'exhaustive', '--max-deviations', '1', '--wiring', 'retry', '--offset', 'durable', '--claim-reaper', 'sweep', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { runsExecuted: number; strategy: Record<string, unknown> };
    expect(report.strategy).toMatchObject({ name: 'exhaustive', exhausted: true, maxDeviations: 1, schedulesCovered: report.runsExecuted });
  });

  it('explore exits 0 when nothing is found', async () => {
    const result = await sim('explore', '--config', 'hardened', '--runs', '20', '--json');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { violations: unknown[] }).violations).toEqual([]);
  });

  it('explore --coverage-gaps compares the transitions taken with those the model reaches in the configuration', async () => {
    const result = await sim('explore', '--config', 'hardened', '--runs', '5', '--json', '--coverage-gaps');
    expect(result.code).toBe(0);
    const coverage = (JSON.parse(result.stdout) as { coverage: { modelTransitions: { covered: number }; reachable: { covered: number; total: number; missed: string[]; beyondCheck: number } } }).coverage;
    expect(coverage.reachable.covered).toBe(coverage.modelTransitions.covered);
    expect(coverage.reachable.total).toBeGreaterThan(coverage.reachable.covered);
    // Five runs miss some of what the model reaches; each miss is named by its catalog id.
    expect(coverage.reachable.missed.length).toBe(coverage.reachable.total - coverage.reachable.covered);
    expect(coverage.reachable.missed.every((id) => /^[a-zA-Z]+:[^:]+:[A-Z_a-z]+#\d+$/.test(id))).toBe(true);
  });

  it('prints help with exit 0', async () => {
    const result = await sim('explore', '--help');
    expect(result.code).toBe(0);
    // Each switch of a runtime is described once, in its runtime's section, with its values and default.
    expect(result.stdout).toContain('--idempotency V      raw-collection | public-read | wired-gate (default raw-collection)');
    const v04Section = result.stdout.slice(result.stdout.indexOf('Switches of the runtime v0.4'), result.stdout.indexOf('Switches of the runtime v0.6'));
    expect(result.stdout.split('\n  --wiring V ').length - 1).toBe(2); // v0.4's and v0.6's
    expect(v04Section.split('\n  --wiring V ').length - 1).toBe(1);
  });

  it('--ignore-runs looks past a known finding: the run still runs, its violations do not count', async () => {
    const search = ['explore', '--property', 'duplicate-action', '--runs', '40', '--seed', '1', '--shrink-attempts', '0', '--json'];
    const first = JSON.parse((await simInProcess(...search)).stdout) as { finding: { run: number } | null };
    expect(first.finding).not.toBeNull();
    const known = first.finding!.run;
    const past = await simInProcess(...search, '--ignore-runs', String(known));
    const report = JSON.parse(past.stdout) as { ignoredRuns: number[]; finding: { run: number } | null; runsExecuted: number };
    expect(report.ignoredRuns).toEqual([known]);
    if (report.finding) expect(report.finding.run).toBeGreaterThan(known);
    else expect(report.runsExecuted).toBe(40);
    expect((await simInProcess('explore', '--ignore-runs', '3', '--shard', '1/2')).stderr).toBe('sim: --ignore-runs runs in this thread only; drop --shard\n');
  });

  it('--keep-going runs the whole budget and lists every failing run with its token; the first is the finding', async () => {
    const search = ['explore', '--property', 'duplicate-action', '--runs', '30', '--seed', '1', '--shrink-attempts', '0', '--json'];
    const first = JSON.parse((await simInProcess(...search)).stdout) as { finding: { run: number } };
    const result = await simInProcess(...search, '--keep-going');
    const report = JSON.parse(result.stdout) as { runsExecuted: number; finding: { run: number }; failingRuns: Array<{ run: number; properties: string[]; replay: string }> };
    expect(report.runsExecuted).toBe(30);
    expect(report.failingRuns.length).toBeGreaterThan(1);
    expect(report.failingRuns[0]!.run).toBe(first.finding.run);
    expect(report.finding.run).toBe(first.finding.run);
    const last = report.failingRuns[report.failingRuns.length - 1]!;
    expect(last.properties).toEqual(['duplicate-action']);
    const replayed = await simInProcess('replay', last.replay);
    expect(replayed.code).toBe(1);
  });

  it("every command's own help lists --config-module, which every command takes", async () => {
    for (const command of [['explore'], ['replay'], ['start'], ['matrix'], ['merge'], ['models', 'check'], ['models', 'coverage'], ['models', 'docs']]) {
      const result = await simInProcess(...command, '--help');
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toMatch(/^ {2}--config-module PATH\s+import this registration module first/m);
    }
  });
});

describe('command line: models', () => {
  it('models check --json gives a verdict for every switch combination chosen (here the three idempotency checks of v0.4)', async () => {
    // Every combination (75) takes three minutes; the options narrow it, and test/models covers the model's answers.
    const result = await sim('models', 'check', '--no-reproduce', '--json', '--wiring', 'swallow', '--offset', 'minus-one');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      configs: Array<{ config: Record<string, string>; properties: Record<string, { reachable: boolean; lostLease?: boolean; path: string[] }> }>;
    };
    expect(report.configs.map((entry) => entry.config['idempotency'])).toEqual(['raw-collection', 'public-read', 'wired-gate']);
    expect(report.configs.every((entry) => entry.config['wiring'] === 'swallow' && entry.config['offset'] === 'minus-one')).toBe(true);
    const [v04, publicRead] = report.configs;
    expect(v04!.properties['duplicate-action']!.reachable).toBe(true);
    expect(v04!.properties['duplicate-action']!.lostLease).toBe(false);
    expect(v04!.properties['duplicate-action']!.path.at(-1)).toMatch(/^ACTION occurrence=0/);
    // A check that reads the shared state through the public API: a duplicate only when two wakes run at once.
    expect(publicRead!.properties['duplicate-action']!.lostLease).toBe(true);
  });

  it('models check refuses a switch value it does not know, in one line, before any work', async () => {
    const result = await sim('models', 'check', '--wiring', 'retri');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--wiring retri is not a value of that switch \(one of: swallow, reject, retry, empty, retry-same-db\)/);
  });

  it('models coverage --json reports states and transitions', async () => {
    const result = await sim('models', 'coverage', '--runs', '12', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { transitions: { covered: number; total: number; missing: unknown[] }; nonconformingRuns: number };
    expect(report.transitions.covered).toBeGreaterThan(0);
    expect(report.transitions.missing.length).toBe(report.transitions.total - report.transitions.covered);
    expect(report.nonconformingRuns).toBe(0);
  });

  it('models docs --check passes on the committed docs', async () => {
    const result = await sim('models', 'docs', '--check');
    expect(result.code).toBe(0);
  });

  it.each([
    [['models', 'frob'], /unknown subcommand "frob"/],
    [['models', 'toString'], /unknown subcommand "toString"/],
    [['models', 'check', '--faults', 'meteor'], /unknown fault "meteor"/],
    [['models', 'coverage', '--runs', 'x'], /--runs must be a whole number/],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const result = await simInProcess(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('command line: matrix', () => {
  it('prints help and refuses bad input with exit 2', async () => {
    expect((await sim('matrix', '--help')).stdout).toContain('--runs N');
    const bad = await sim('matrix', '--runs', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--runs must be a whole number/);
  });
});
