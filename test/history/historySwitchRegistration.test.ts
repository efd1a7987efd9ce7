import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../scenarios/config/describeConfig.ts';
import { HISTORY_ENTRIES, historySpec } from '../../scenarios/history/historyEntries.ts';
import { sim } from '../cli/runSim.ts';

describe('history switches are registered', () => {
  it('explore --help and matrix --help list every entry switch with its values', async () => {
    for (const command of ['explore', 'matrix']) {
      const help = await sim(command, '--help');
      expect(help.code).toBe(0);
      for (const entry of HISTORY_ENTRIES) {
        expect(help.stdout).toMatch(new RegExp(`--${entry.switchName} V +(${entry.defect} \\| ${entry.fixed}|${entry.fixed} \\| ${entry.defect}) \\(default ${entry.fixed}\\)`));
      }
    }
  });

  it.each(HISTORY_ENTRIES.map((entry) => [entry.switchName, entry] as const))('--%s with a bad value is one line on stderr and exit 2', async (name) => {
    const run = await sim('explore', `--${name}`, 'no-such-value', '--runs', '1');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`--${name}`);
  });

  it.each(HISTORY_ENTRIES.map((entry) => [entry.id, entry] as const))("describeConfig names %s's defect value and leaves its default out", (_, entry) => {
    expect(describeConfig(historySpec(entry, entry.defect).config)).toContain(`${entry.switchName}=${entry.defect}`);
    expect(describeConfig(historySpec(entry, entry.fixed).config)).not.toContain(`${entry.switchName}=`);
  });
});
