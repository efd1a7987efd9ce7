import { describe, expect, it } from 'vitest';
import { coverageProgress } from '../../cli/format/coverageFigures.ts';
import { formatProgress, openProgress, ProgressLine, progressWanted, type ProgressStream } from '../../cli/format/progress.ts';

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
  it('shows runs of the budget, runs per second, findings and the label', () => {
    expect(formatProgress({ runsDone: 120, budget: 500, findings: 0 }, 3_000)).toBe('120/500 runs  40.0 runs/s  0 findings');
    expect(formatProgress({ label: 'cell 3/60 swallow/durable/raw-collection', runsDone: 1_234, budget: 12_000, findings: 1 }, 2_000)).toBe(
      'cell 3/60 swallow/durable/raw-collection  1234/12000 runs  617 runs/s  1 finding',
    );
  });

  it('ends with the coverage so far, and for the guided search its corpus and the keys its last generation added', () => {
    const transitions = { covered: 63, total: 85 };
    expect(formatProgress({ runsDone: 10, budget: 500, findings: 0, detail: coverageProgress(transitions, {}) }, 1_000)).toBe(
      '10/500 runs  10.0 runs/s  0 findings  74.1 % transitions',
    );
    expect(coverageProgress(transitions, { corpusEntries: 57, newKeysLastGeneration: 3 })).toBe('74.1 % transitions  corpus 57 (+3 keys)');
  });

  it('redraws in place at most once per interval, cut to the terminal width, and clears the line at the end', () => {
    let now = 0;
    const terminal = new FakeTerminal(30);
    const line = new ProgressLine(terminal, () => now, 100);
    line.update({ runsDone: 1, budget: 500, findings: 0 });
    now = 50;
    line.update({ runsDone: 2, budget: 500, findings: 0 });
    now = 120;
    line.update({ runsDone: 3, budget: 500, findings: 0 });
    line.finish();
    expect(terminal.writes).toEqual(['\r\x1b[K1/500 runs  0.0 runs/s  0 fin', '\r\x1b[K3/500 runs  25.0 runs/s  0 fi', '\r\x1b[K']);
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
