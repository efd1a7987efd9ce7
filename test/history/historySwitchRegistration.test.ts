import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../scenarios/config/describeConfig.ts';
import { HISTORY_ENTRIES, historySpec, historySwitch } from '../../scenarios/history/historyEntries.ts';
import { simInProcess } from '../cli/runSim.ts';

describe('history switches are registered', () => {
  it('explore --help and matrix --help list every entry switch with its values and its default', async () => {
    for (const command of ['explore', 'matrix']) {
      const help = await simInProcess(command, '--help');
      expect(help.code).toBe(0);
      for (const entry of HISTORY_ENTRIES) {
        const definition = historySwitch(entry);
        expect(definition.values).toContain(entry.defect);
        expect(definition.values).toContain(entry.fixed);
        const values = definition.values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' \\| ');
        expect(help.stdout).toMatch(new RegExp(`--${entry.switchName} V +${values} \\(default ${definition.defaultValue}\\)`));
      }
    }
  });

  it.each(HISTORY_ENTRIES.map((entry) => [entry.id, entry] as const))('%s: the fix is the default or the value its preset sets', (_, entry) => {
    // A defect that is the shipped default (an open entry) is fixed by the preset; otherwise the fix is the default.
    const definition = historySwitch(entry);
    if (definition.defaultValue !== entry.fixed) expect(definition.defaultValue).toBe(entry.defect);
  });

  // In this process (main, as the command line runs it): a child process per switch would cost half a minute of
  // start-up; test/cli/userMistakes.test.ts shows that the process itself prints what main returns.
  it.each(HISTORY_ENTRIES.map((entry) => [entry.switchName, entry] as const))('--%s with a bad value is one line on stderr and exit 2', async (name) => {
    const run = await simInProcess('explore', `--${name}`, 'no-such-value', '--runs', '1');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`--${name}`);
  });

  it.each(HISTORY_ENTRIES.map((entry) => [entry.id, entry] as const))("describeConfig tells %s's defect from its fix, naming the value that is not the default", (_, entry) => {
    const defect = describeConfig(historySpec(entry, entry.defect).config);
    const fixed = describeConfig(historySpec(entry, entry.fixed).config);
    expect(defect).not.toBe(fixed);
    const { defaultValue } = historySwitch(entry);
    if (entry.defect !== defaultValue) expect(defect).toContain(`${entry.switchName}=${entry.defect}`);
    if (entry.fixed !== defaultValue) expect(fixed).toContain(`${entry.switchName}=${entry.fixed}`);
  });
});
