import { describe, expect, it } from 'vitest';
import { coverageProgress } from '../../cli/format/coverageFigures.ts';
import { fitProgress, formatProgress, openProgress, ProgressLine, progressWanted, type ProgressStream } from '../../cli/format/progress.ts';

class FakeTerminal implements ProgressStream {
  readonly isTTY = true;
  readonly writes: string[] = [];
  constructor(readonly columns = 80) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
}

describe('progress line', () => {
  it('shows the phase: exploring with runs of the budget, runs per second, findings, the label and the time left', () => {
    expect(formatProgress({ runsDone: 120, budget: 500, findings: 0 }, 3_000)).toBe('exploring: 120/500 runs  40.0 runs/s  0 findings  ≤ 0:10 left');
    expect(formatProgress({ label: 'cell 3/60 swallow/durable/raw-collection', runsDone: 1_234, budget: 12_000, findings: 1 }, 2_000)).toBe(
      'cell 3/60 swallow/durable/raw-collection  exploring: 1234/12000 runs  617 runs/s  1 finding  ≤ 0:18 left',
    );
    // Nothing done yet: no pace, so no time left to show.
    expect(formatProgress({ runsDone: 0, budget: 500, findings: 0 }, 0)).toBe('exploring: 0/500 runs  0.0 runs/s  0 findings');
  });

  it('ends with the coverage so far, and for the guided search its corpus and the keys its last generation added', () => {
    const transitions = { covered: 63, total: 85 };
    expect(formatProgress({ runsDone: 10, budget: 500, findings: 0, detail: coverageProgress(transitions, {}) }, 1_000)).toBe(
      'exploring: 10/500 runs  10.0 runs/s  0 findings  ≤ 0:49 left  74.1 % transitions',
    );
    expect(coverageProgress(transitions, { corpusEntries: 57, newKeysLastGeneration: 3 })).toBe('74.1 % transitions  corpus 57 (+3 keys)');
  });

  it('shows shrinking: candidates tried of the budget, the best story so far, the time left', () => {
    const shrinking = { tried: 500, budget: 2_500, bestChoices: 35, bestSteps: 178 };
    expect(formatProgress({ runsDone: 0, budget: 500, findings: 1, shrinking }, 5_000)).toBe('shrinking: 500/2500 tried  best so far: 35 choices, 178 steps  ≤ 0:20 left');
    // Before a smaller failing story is known its steps are not.
    expect(formatProgress({ runsDone: 0, budget: 500, findings: 1, shrinking: { ...shrinking, tried: 1, bestSteps: 0 } }, 0)).toBe('shrinking: 1/2500 tried  best so far: 35 choices');
  });

  it('fits the width by whole parts and never cuts inside a word', () => {
    const parts = ['cell 3/60 swallow/durable/raw-collection', 'exploring: 1234/12000 runs', '617 runs/s'];
    expect(fitProgress(parts, 80)).toBe('cell 3/60 swallow/durable/raw-collection  exploring: 1234/12000 runs  617 runs/s');
    expect(fitProgress(parts, 70)).toBe('cell 3/60 swallow/durable/raw-collection  exploring: 1234/12000 runs');
    expect(fitProgress(parts, 50)).toBe('cell 3/60 swallow/durable/raw-collection');
    // A first part wider than the terminal ends after a whole word, marked as cut.
    expect(fitProgress(parts, 20)).toBe('cell 3/60…');
    for (let width = 10; width <= 120; width += 1) expect([...fitProgress(parts, width)].length).toBeLessThanOrEqual(width);
  });

  it('redraws in place at most once per interval within a phase, fitted to the terminal, and clears the line at the end', () => {
    let now = 0;
    const terminal = new FakeTerminal(40);
    const line = new ProgressLine(terminal, () => now, 100);
    line.update({ runsDone: 1, budget: 500, findings: 0 });
    now = 50;
    line.update({ runsDone: 2, budget: 500, findings: 0 });
    now = 120;
    line.update({ runsDone: 3, budget: 500, findings: 0 });
    // A new phase draws at once and measures its pace from its own start.
    now = 130;
    line.update({ runsDone: 3, budget: 500, findings: 1, shrinking: { tried: 1, budget: 2_500, bestChoices: 30, bestSteps: 0 } });
    line.finish();
    expect(terminal.writes).toEqual([
      '\r\x1b[Kexploring: 1/500 runs  0.0 runs/s',
      '\r\x1b[Kexploring: 3/500 runs  25.0 runs/s',
      '\r\x1b[Kshrinking: 1/2500 tried',
      '\r\x1b[K',
    ]);
  });

  it('clears nothing when it drew nothing', () => {
    const terminal = new FakeTerminal();
    new ProgressLine(terminal).finish();
    expect(terminal.writes).toEqual([]);
  });

  it('is drawn only on a terminal, without --json or --no-progress, and not in CI', () => {
    const terminal = new FakeTerminal();
    const wanted = (overrides: Partial<Parameters<typeof progressWanted>[0]>): boolean =>
      progressWanted({ json: false, noProgress: false, stream: terminal, env: {}, ...overrides });
    expect(wanted({})).toBe(true);
    expect(wanted({ json: true })).toBe(false);
    expect(wanted({ noProgress: true })).toBe(false);
    expect(wanted({ env: { CI: 'true' } })).toBe(false);
    expect(wanted({ env: { CI: '1' } })).toBe(false);
    expect(wanted({ env: { CI: 'false' } })).toBe(true);
    expect(wanted({ stream: { write: () => true, isTTY: false } })).toBe(false);
    // A display that is off draws nothing at all.
    const piped: string[] = [];
    const off = openProgress({ json: false, noProgress: false, stream: { write: (text: string) => piped.push(text) }, env: {} });
    off.update({ runsDone: 1, budget: 2, findings: 0 });
    off.finish();
    expect(piped).toEqual([]);
  });
});
