import { describe, expect, it } from 'vitest';
import { WORLD_SWITCHES, worldSwitchOptions } from '../../scenarios/config/worldSwitches.ts';

describe('worldSwitchOptions', () => {
  it('passes every world switch through: each value of each switch gives other World options', () => {
    const defaults = JSON.stringify(worldSwitchOptions({}));
    for (const definition of WORLD_SWITCHES) {
      const seen = new Set(definition.values.map((value) => JSON.stringify(worldSwitchOptions({ [definition.name]: value }))));
      // A switch left out of worldSwitchOptions would give the default options for every value: a silent no-op.
      expect(seen.size, `--${definition.name}`).toBe(definition.values.length);
      expect(seen.has(defaults), `--${definition.name} at its default`).toBe(true);
    }
  });
});
