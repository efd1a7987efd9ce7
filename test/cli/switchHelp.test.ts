import { describe, expect, it } from 'vitest';
import { registeredSwitchHelp, withRegisteredSwitches } from '../../cli/format/switchHelp.ts';

describe('switches listed in --help from the registries', () => {
  it("lists a scenario's own switches (daily-digest's --entities), each once", () => {
    const help = withRegisteredSwitches('Usage: explore\n  --idempotency I      raw-collection | public-read | wired-gate\n\nExit status: 0');
    expect(help).toContain('Switches of the scenario daily-digest (--scenario daily-digest):');
    expect(help).toMatch(/--entities V +1 \| 2 \| 3 \| 4 \(default 1\)/);
    // A scenario switch the static text documents is not listed again.
    expect(help.match(/--idempotency /g)).toHaveLength(1);
    expect(help.indexOf('Switches of the scenario')).toBeLessThan(help.indexOf('Exit status'));
  });

  it('without a static text, lists every scenario switch', () => {
    expect(registeredSwitchHelp()).toMatch(/--idempotency V/);
  });
});
