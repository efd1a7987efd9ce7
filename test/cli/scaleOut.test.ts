import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sim, simInProcess } from './runSim.ts';

const dir = mkdtempSync(join(tmpdir(), 'wake-sim-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` to a file in the test's directory and returns its path. */
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('command line: --shard, --workers and merge refuse bad input with one line and exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['shard 0/3', ['explore', '--shard', '0/3'], /--shard must be i\/n with 1 <= i <= n <= 10000 \(e\.g\. 2\/3\), not "0\/3"/],
    ['shard 4/3', ['explore', '--shard', '4/3'], /not "4\/3"/],
    ['shard x', ['explore', '--shard', 'x'], /not "x"/],
    ['shard 1/0', ['matrix', '--shard', '1/0'], /not "1\/0"/],
    ['shard with an exhaustive strategy', ['explore', '--scenario', 'minimal-digest', '--strategy', 'exhaustive', '--shard', '1/2'], /--shard needs a strategy whose runs are independent; --strategy exhaustive plans each run/],
    ['matrix shard with an exhaustive strategy', ['matrix', '--strategy', 'exhaustive', '--shard', '2/2'], /--shard needs a strategy whose runs are independent/],
    ['workers with an exhaustive strategy', ['explore', '--strategy', 'exhaustive', '--workers', '2'], /--workers needs a strategy whose runs are independent/],
    ['workers 0', ['explore', '--workers', '0'], /--workers must be a whole number from 1 to 64, not "0"/],
    ['workers many', ['matrix', '--workers', 'many'], /--workers must be a whole number/],
    ['merge without files', ['merge'], /merge: expected the --json output file of every shard/],
    ['merge of a missing file', ['merge', 'no/such/shard.json'], /merge: cannot read no\/such\/shard\.json: no such file/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const result = await simInProcess(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('merge refuses files that are not a complete set of shards of one search', async () => {
    const shard = (index: number, count: number, seed = 1): string =>
      JSON.stringify({ scenario: 'daily-digest', config: {}, faults: [], seed, strategy: { name: 'random' }, runsRequested: 10, runsExecuted: 4, properties: [], violations: [], finding: null, shard: { index, count } });
    const refusals: Array<[string[], RegExp]> = [
      [[file('a.json', shard(1, 3)), file('b.json', shard(3, 3))], /merge: missing shard 2\/3/],
      [[file('c.json', shard(1, 2)), file('d.json', shard(1, 2))], /merge: shard 1\/2 given twice/],
      [[file('e.json', shard(1, 2)), file('f.json', shard(2, 3))], /is shard 2\/3, .* shard 1\/2/],
      [[file('g.json', shard(1, 2)), file('h.json', shard(2, 2, 7))], /are shards of different searches \(their "seed" differ\)/],
      [[file('i.json', 'not json')], /is not JSON/],
      [[file('j.json', '{"cells": []}')], /has no shard/],
      [[file('k.json', '[1, 2]')], /is not the --json output of explore or matrix/],
    ];
    // In this process, one after another (simInProcess captures the process's streams): seven child processes would
    // cost seconds of start-up each.
    const results = [];
    for (const [files] of refusals) results.push(await simInProcess('merge', ...files));
    results.forEach((result, index) => {
      const message = refusals[index]![1];
      expect(result.code, message.source).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});

describe('command line: matrix shards merge into what one unsharded matrix prints', () => {
  // Without faults the cells find nothing, so nothing is shrunk and the searches take a second; how findings merge is
  // tested on the library's cells (test/acceptance/scaleOut.test.ts).
  const matrix = async (...args: string[]): Promise<string> => {
    const result = await simInProcess('matrix', '--vary', 'offset', '--runs', '2', '--faults', 'none', ...args, '--json');
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const shardFile = async (index: number, ...args: string[]): Promise<string> => file(`matrix-${index}${args.join('')}.json`, await matrix(...args, '--shard', `${index}/2`));

  it('merge --json of random shards is the unsharded --json, the runtime, base and varied switches included', async () => {
    const unsharded = await matrix('--runtime', 'v0.6', '--wiring', 'swallow');
    const shards = [await shardFile(1, '--runtime', 'v0.6', '--wiring', 'swallow'), await shardFile(2, '--runtime', 'v0.6', '--wiring', 'swallow')];
    const merged = await simInProcess('merge', ...shards, '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(unsharded);
    const otherBase = await simInProcess('merge', shards[0]!, await shardFile(2, '--runtime', 'v0.6'));
    expect(otherBase.stderr).toMatch(/are shards of different searches \(their "base" differ\)/);
  });

  it('--config applies its preset to every cell, and the JSON and the page name each switch it set', async () => {
    const doc = join(dir, 'hardened-matrix.md');
    const json = JSON.parse(await matrix('--config', 'hardened', '--post-key', 'none', '--doc', doc)) as { base: Record<string, string>; varied: string[] };
    expect(json.varied).toEqual(['offset']);
    expect(json.base).toMatchObject({ wiring: 'retry', 'claim-reaper': 'sweep', 'chat-idempotency': 'honor', 'post-key': 'none' });
    expect(json.base['offset']).toBeUndefined();
    expect(readFileSync(doc, 'utf8')).toMatch(/matrix --vary offset --wiring retry .*--claim-reaper sweep --handler-signal lease --slow-call abortable --lease-store durable --write-tokens database --post-key none --chat-idempotency honor --catch-up every-due --runs 2 /);
  });

  it('merge refuses guided shards of different draws, and the page it writes names the tuning', async () => {
    const uniform = [await shardFile(1, '--strategy', 'guided', '--draw', 'uniform'), await shardFile(2, '--strategy', 'guided', '--draw', 'uniform')];
    expect((JSON.parse(readFileSync(uniform[0]!, 'utf8')) as { strategy: string }).strategy).toBe('guided --draw uniform');
    const mixed = await simInProcess('merge', uniform[0]!, await shardFile(2, '--strategy', 'guided'));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/are shards of different searches \(their "strategy" differ\)/);
    const doc = join(dir, 'merged-matrix.md');
    const merged = await simInProcess('merge', ...uniform, '--doc', doc);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(doc, 'utf8')).toContain('--strategy guided --draw uniform --runs 2');
  });

  it('--shrink-attempts is in the JSON, in merge\'s identity and, when not the default, in the page\'s command', async () => {
    const small = [await shardFile(1, '--shrink-attempts', '0'), await shardFile(2, '--shrink-attempts', '0')];
    expect((JSON.parse(readFileSync(small[0]!, 'utf8')) as { shrinkAttempts: number }).shrinkAttempts).toBe(0);
    const mixed = await simInProcess('merge', small[0]!, await shardFile(2));
    expect(mixed.stderr).toMatch(/are shards of different searches \(their "shrinkAttempts" differ\)/);
    const doc = join(dir, 'unshrunk-matrix.md');
    const merged = await simInProcess('merge', ...small, '--doc', doc);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(doc, 'utf8')).toContain('matrix --vary offset --shrink-attempts 0 --runs 2');
    expect((await simInProcess('matrix', '--shrink-attempts', '-1')).stderr).toBe('sim: --shrink-attempts must be a whole number from 0 to 2500, not "-1"\n');
  });
});

describe('command line: explore shards name their runtime and shrink budget', () => {
  const shard = async (index: number, ...args: string[]): Promise<string> => {
    const result = await simInProcess('explore', '--runs', '2', '--faults', 'none', ...args, '--shard', `${index}/2`, '--json');
    expect(result.code, result.stderr).toBe(0);
    return file(`explore-${index}${args.join('')}.json`, result.stdout);
  };

  it('merge refuses shards of different runtimes or shrink budgets', async () => {
    const first = await shard(1);
    expect(JSON.parse(readFileSync(first, 'utf8'))).toMatchObject({ runtime: 'v0.4', shrinkAttempts: 2500 });
    const budget = await simInProcess('merge', first, await shard(2, '--shrink-attempts', '10'));
    expect(budget.stderr).toMatch(/are shards of different searches \(their "shrinkAttempts" differ\)/);
    const runtime = await simInProcess('merge', first, await shard(2, '--runtime', 'v0.6'));
    expect(runtime.stderr).toMatch(/are shards of different searches \(their "runtime" differ\)/);
  });
});

describe('command line: sharded and threaded explore give the unsharded JSON', () => {
  // Seed 5: run 3 (index 2) is the first to post twice, and it belongs to shard 3/3; three runs and a small shrink
  // budget keep each process short (every process that finds something shrinks it, and what is compared here does not
  // depend on how far it shrinks).
  const search = ['explore', '--runs', '3', '--seed', '5', '--property', 'duplicate-action', '--shrink-attempts', '200', '--json'];

  it('explore --shard 1/3, 2/3, 3/3 and merge --json print byte for byte what one unsharded explore prints', { timeout: 120_000 }, async () => {
    const [unsharded, ...shards] = await Promise.all([sim(...search), ...[1, 2, 3].map((index) => sim(...search, '--shard', `${index}/3`))]);
    expect(unsharded!.code).toBe(1);
    expect(shards.map((shard) => shard.code)).toEqual([0, 0, 1]);
    const files = shards.map((shard, index) => {
      expect(JSON.parse(shard.stdout)).toMatchObject({ shard: { index: index + 1, count: 3 }, runsExecuted: 1 });
      return file(`explore-${index + 1}.json`, shard.stdout);
    });
    const merged = await sim('merge', ...files.reverse(), '--json');
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(unsharded!.stdout);
    const summary = await sim('merge', ...files);
    expect(summary.stdout).toMatch(/Found duplicate-action in run 3 \(the lowest over all shards: where the unsharded search stops\)/);
    expect(summary.stdout).toContain(`npm run sim -- replay ${(JSON.parse(unsharded!.stdout) as { finding: { replay: string } }).finding.replay}`);
  });

  it('explore --workers 2 prints what --workers 1 prints (npm run sim, under tsx)', { timeout: 120_000 }, async () => {
    const [one, two] = await Promise.all([sim(...search, '--workers', '1'), sim(...search, '--workers', '2')]);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe('');
  });
});
