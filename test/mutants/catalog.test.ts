import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMutant, MutantNotApplicable } from '../../mutants/applyMutant.ts';
import { ALL_MUTANTS } from '../../mutants/catalog/index.ts';
import { DEFECT_CLASSES } from '../../mutants/Mutant.ts';
import { MutantsUsageError, parseMutantsArgs } from '../../mutants/mutantsArgs.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the mutant catalog', () => {
  it('has at least 30 mutants with unique ids, mostly in v0.4', () => {
    const ids = ALL_MUTANTS.map((mutant) => mutant.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(ALL_MUTANTS.filter((mutant) => mutant.runtime === 'v0.4').length).toBeGreaterThan(ALL_MUTANTS.length / 2);
  });

  it('plants every mutant in the runtime it names, where its search text occurs exactly once', () => {
    for (const mutant of ALL_MUTANTS) {
      expect(mutant.file.startsWith(mutant.runtime === 'v0.4' ? 'runtimes/v04/' : 'runtimes/v06/')).toBe(true);
      expect(DEFECT_CLASSES).toContain(mutant.defectClass);
      const source = readFileSync(join(ROOT, mutant.file), 'utf8');
      expect(applyMutant(source, mutant)).not.toBe(source);
    }
  });

  it('refuses a stale or ambiguous search text instead of planting nothing', () => {
    const mutant = ALL_MUTANTS[0]!;
    expect(() => applyMutant('nothing to find here', mutant)).toThrow(MutantNotApplicable);
    expect(() => applyMutant(`${mutant.search}\n${mutant.search}`, mutant)).toThrow(/more than once/);
  });
});

describe('npm run mutants arguments', () => {
  it('takes a strategy, a budget, a seed, a selection and workers', () => {
    const args = parseMutantsArgs(['--strategy', 'swarm', '--runs', '200', '--seed', '7', '--only', `${ALL_MUTANTS[1]!.id},${ALL_MUTANTS[0]!.id}`, '--workers', '2']);
    expect(args).toMatchObject({ strategy: 'swarm', runs: 200, seed: 7, workers: 2 });
    expect(args.mutants.map((mutant) => mutant.id)).toEqual([ALL_MUTANTS[0]!.id, ALL_MUTANTS[1]!.id]);
  });

  it("passes guided's draws on to explore, and only for guided", () => {
    expect(parseMutantsArgs(['--strategy', 'guided', '--draw', 'uniform'])).toMatchObject({ strategy: 'guided', draw: 'uniform' });
    expect(parseMutantsArgs(['--strategy', 'guided']).draw).toBeUndefined();
  });

  it.each([
    [['--strategy', 'exhaustive']],
    [['--runs', '3001']],
    [['--runs', 'many']],
    [['--only', 'no-such-mutant']],
    [['--only', '']],
    [['--workers', '0']],
    [['--draw', 'uniform']],
    [['--strategy', 'guided', '--draw', 'sometimes']],
    [['--unknown']],
    [['positional']],
  ])('refuses %j', (argv) => {
    expect(() => parseMutantsArgs(argv)).toThrow(MutantsUsageError);
  });
});
