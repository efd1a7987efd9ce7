import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

/** Runs one bench script as `npm run bench:*` would (node with tsx) and collects its exit and output. */
async function bench(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** One line on stderr, exit 2, nothing on stdout: how the tool refuses bad input. */
const refusedWith = (message: RegExp) => ({ code: 2, stdout: '', stderr: expect.stringMatching(new RegExp(`^bench: ${message.source} \\(--help for usage\\)\\n$`)) });

describe('the bench scripts check their command line before any work', () => {
  it('--help prints the usage and exits 0', async () => {
    expect(await bench('history.ts', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: npm run bench:history /), stderr: '' });
  });

  it('an unknown option, a number that is not one and an unknown entry are each one line and exit 2', async () => {
    const [unknown, notANumber, unknownEntry, badSwitch, twice] = await Promise.all([
      bench('explore-throughput.ts', '--bogus'),
      bench('workers.ts', '--runs', 'abc'),
      bench('history.ts', '--entries', 'B99'),
      bench('redeploy-in-flight.ts', '--wiring', 'nope'),
      bench('explore-throughput.ts', '--runs', '5', '--runs', '6'),
    ]);
    expect(twice).toMatchObject(refusedWith(/--runs given more than once \(give it once\)/));
    expect(unknown).toMatchObject(refusedWith(/Unknown option '--bogus'/));
    expect(notANumber).toMatchObject(refusedWith(/--runs must be a whole number of at least 1, not "abc"/));
    expect(unknownEntry).toMatchObject(refusedWith(/unknown history entry "B99" \(known: .*\)/));
    expect(badSwitch).toMatchObject(refusedWith(/unknown value "nope" for --wiring \(allowed: .*\)/));
  });

  it('every argument is checked before the first search, the last ones too; a negative number says what is wrong', async () => {
    const [strategies, lastArgument, faults, dupConfig, historyStrategies, negative, coverageConfig, firstSeed] = await Promise.all([
      bench('coverage.ts', '--strategies', 'random,nope'),
      // Checked after the coverage tables, this would run them for minutes first.
      bench('coverage.ts', '--dup-strategies', 'random,,guided'),
      bench('coverage.ts', '--faults', 'nope'),
      bench('coverage.ts', '--dup-config', 'nope'),
      bench('history.ts', '--strategies', 'nope'),
      bench('http-transport.ts', '--rounds', '-1'),
      bench('coverage.ts', '--config', 'v0.4'),
      bench('coverage.ts', '--first-seed', 'x'),
    ]);
    expect(strategies).toMatchObject(refusedWith(/--strategies: unknown "nope" \(known: random, pct, swarm, guided, guided-uniform\)/));
    expect(lastArgument).toMatchObject(refusedWith(/--dup-strategies "random,,guided" has an empty entry \(a stray comma\?\)/));
    expect(faults).toMatchObject(refusedWith(/--faults must be one of default, all, not "nope"/));
    expect(dupConfig).toMatchObject(refusedWith(/--dup-config must be one of v0\.4, fixed, not "nope"/));
    expect(historyStrategies).toMatchObject(refusedWith(/--strategies: unknown "nope" \(known: random, pct, swarm, guided\)/));
    expect(negative).toMatchObject(refusedWith(/--rounds must be a whole number of at least 1, not "-1"/));
    expect(coverageConfig).toMatchObject(refusedWith(/--config must be one of fixed, hardened, not "v0\.4"/));
    expect(firstSeed).toMatchObject(refusedWith(/--first-seed must be a whole number of at least 0, not "x"/));
  });

  it('--against names a checkout of this project, or the bench refuses it before any timing', async () => {
    const [missing, notACheckout] = await Promise.all([bench('explore-throughput.ts', '--against', 'no/such/folder'), bench('explore-throughput.ts', '--against', 'docs')]);
    expect(missing).toMatchObject(refusedWith(/--against no\/such\/folder: no such folder/));
    expect(notACheckout).toMatchObject(refusedWith(/--against docs: not a checkout of this project \(it has no sim\/strategies\/RandomStrategy\.ts\)/));
  });

  it('--seeds 0 and --dup-seeds 0 skip a part of bench:coverage, as its usage says', async () => {
    const onlyDuplicates = await bench('coverage.ts', '--seeds', '0', '--dup-seeds', '1', '--dup-max-runs', '5', '--dup-strategies', 'random');
    expect(onlyDuplicates.code).toBe(0);
    expect(onlyDuplicates.stdout).not.toMatch(/model transitions taken/);
    expect(onlyDuplicates.stdout).toMatch(/runs to the first duplicate digest over seeds 1\.\.1/);
  }, 60_000);

  it('--config hardened measures the coverage table on the hardened preset, from --first-seed on', async () => {
    const hardened = await bench('coverage.ts', '--config', 'hardened', '--faults', 'default', '--seeds', '1', '--first-seed', '4', '--runs', '2', '--strategies', 'random', '--dup-seeds', '0');
    expect(hardened.code).toBe(0);
    expect(hardened.stdout).toMatch(/daily-digest, --config hardened, faults: default .*; 1 seed \(4\.\.4\)/);
    expect(hardened.stdout).toMatch(/^random +\d/m);
  }, 60_000);
});
