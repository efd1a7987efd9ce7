import { describe, expect, it } from 'vitest';
import { DEFAULT_VARIED, matrixDocCommand, SHRINK_ATTEMPTS } from '../../cli/commands/matrixCommand.ts';
import { parseStrategyOptions, strategyCommandTail } from '../../cli/options.ts';

describe('strategy options on a printed command', () => {
  it('name the tuning that differs from the defaults, so the command reproduces the search', () => {
    const tail = (values: Record<string, string>) => strategyCommandTail(parseStrategyOptions(values));
    expect(tail({})).toBe('random');
    expect(tail({ strategy: 'pct' })).toBe('pct');
    expect(tail({ strategy: 'pct', depth: '4' })).toBe('pct --depth 4');
    expect(tail({ strategy: 'exhaustive', 'max-deviations': '2' })).toBe('exhaustive --max-deviations 2');
    expect(tail({ strategy: 'guided', draw: 'swarm' })).toBe('guided');
    expect(tail({ strategy: 'guided', draw: 'uniform' })).toBe('guided --draw uniform');
  });

  it("end up in the matrix page's regenerating command", () => {
    const strategy = strategyCommandTail(parseStrategyOptions({ strategy: 'guided', draw: 'uniform' }));
    const command = matrixDocCommand({ runs: 100, seed: 1, faults: [], scenario: 'daily-digest', strategy, shrinkAttempts: SHRINK_ATTEMPTS, runtime: 'v0.4', base: {}, varied: DEFAULT_VARIED, doc: 'x.md' });
    expect(command).toContain('--strategy guided --draw uniform --runs 100');
  });
});
